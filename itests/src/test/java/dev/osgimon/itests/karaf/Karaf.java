package dev.osgimon.itests.karaf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import dev.osgimon.itests.support.Distribution;
import dev.osgimon.itests.support.Ports;
import dev.osgimon.itests.support.Waits;

/**
 * A real Apache Karaf (the {@code org.apache.karaf:apache-karaf} tar.gz, copied to {@code itests.tools}
 * by the build), unpacked into a temporary folder and started as an operator would: {@code bin/karaf
 * server}, with free ports for SSH, RMI and HTTP, the user {@code karaf/karaf}, and the osgimon
 * Maven repository ({@code features/target/repo}) as an extra default repository, so that
 * {@code feature:repo-add mvn:dev.osgimon/...} resolves without anything being installed into a
 * local Maven repository. Console commands go through {@code bin/client} over SSH.
 */
final class Karaf implements AutoCloseable {

    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");

    private final Path base;
    private final Path home;
    private final Map<String, String> env;
    private final int sshPort;
    private final int httpPort;
    private Process process;

    private Karaf(Path base, Path home, Map<String, String> env, int sshPort, int httpPort) {
        this.base = base;
        this.home = home;
        this.env = env;
        this.sshPort = sshPort;
        this.httpPort = httpPort;
    }

    /**
     * Unpacks Karaf and configures it (not started yet).
     *
     * @param env environment of the Karaf process, e.g. {@code OSGIMON_TARGET}
     */
    static Karaf prepare(Map<String, String> env) {
        Path tools = Path.of(System.getProperty("itests.tools", "target/tools"));
        Path tarball = tools.resolve("apache-karaf.tar.gz");
        Path repo = Path.of(System.getProperty("osgimon.features.repo", "../features/target/repo")).toAbsolutePath().normalize();
        String version = System.getProperty("karaf.version", "4.4.10");
        if (!Files.isRegularFile(tarball)) {
            throw new IllegalStateException("No Karaf at " + tarball + " (run through Maven)");
        }
        if (!Files.isDirectory(repo.resolve("dev/osgimon/osgimon-features"))) {
            throw new IllegalStateException("No osgimon features repository at " + repo + " (build features/ first)");
        }
        try {
            Path base = Files.createTempDirectory("osgimon-karaf");
            run(base, "tar", "xzf", tarball.toAbsolutePath().toString());
            Path home = base.resolve("apache-karaf-" + version);
            int ssh = Ports.free();
            int http = Ports.free();
            edit(home.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort", String.valueOf(ssh));
            edit(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiRegistryPort", String.valueOf(Ports.free()));
            edit(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiServerPort", String.valueOf(Ports.free()));
            Files.writeString(home.resolve("etc/org.ops4j.pax.web.cfg"), "org.osgi.service.http.port=" + http + "\n");
            Files.writeString(home.resolve("etc/users.properties"), "\nkaraf = karaf,_g_:admingroup\n"
                    + "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n",
                    java.nio.file.StandardOpenOption.APPEND);
            Path mvn = home.resolve("etc/org.ops4j.pax.url.mvn.cfg");
            String cfg = Files.readString(mvn);
            String key = "org.ops4j.pax.url.mvn.defaultRepositories=";
            if (!cfg.contains(key)) {
                throw new IllegalStateException("Unexpected " + mvn);
            }
            Files.writeString(mvn, cfg.replace(key, key + repo.toUri() + "@id=osgimon@snapshots, \\\n    "));
            Map<String, String> all = new HashMap<>();
            all.put("JAVA_HOME", System.getProperty("java.home"));
            all.put("OSGIMON_INTERVAL", "1");
            all.put("OSGIMON_COMMAND_PORT", String.valueOf(Ports.free()));
            all.put("OSGIMON_MEMTRACE_PORT", String.valueOf(Ports.free()));
            all.putAll(env);
            return new Karaf(base, home, all, ssh, http);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code bin/karaf server}; returns once the console answers over SSH. */
    void start() {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server");
        pb.environment().putAll(env);
        pb.directory(home.toFile());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.out").toFile()));
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Waits.until("Karaf console on SSH port " + sshPort, Duration.ofSeconds(180), () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("Karaf exited: " + Files.readString(home.resolve("console.out")));
            }
            try {
                return console(Duration.ofSeconds(20), "feature:list -i").contains("shell");
            } catch (IllegalStateException slow) {
                return false; // bin/client still waiting for the console: a slow start, try again
            }
        });
    }

    /**
     * Runs console commands through {@code bin/client} (batch mode, one command a line).
     *
     * @return what the console printed, without colours
     */
    String console(String... commands) {
        return console(Duration.ofSeconds(120), commands);
    }

    private String console(Duration timeout, String... commands) {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/client").toString(), "-a", String.valueOf(sshPort),
                "-u", "karaf", "-p", "karaf", "-b");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.directory(home.toFile());
        pb.redirectErrorStream(true);
        try {
            Process client = pb.start();
            try (OutputStream in = client.getOutputStream()) {
                in.write((String.join("\n", commands) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(client.getInputStream()));
            if (!client.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                client.destroyForcibly();
                throw new IllegalStateException("bin/client did not finish " + String.join("; ", commands));
            }
            return ANSI.matcher(out.get(10, TimeUnit.SECONDS)).replaceAll("");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return Karaf's log ({@code data/log/karaf.log}) */
    String logText() {
        try {
            Path log = home.resolve("data/log/karaf.log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return a {@code .cfg} file of {@code etc/} as properties (values as written, not interpolated) */
    Properties etc(String file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(home.resolve("etc").resolve(file))) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    int port(String envName) {
        return Integer.parseInt(env.get(envName));
    }

    int httpPort() {
        return httpPort;
    }

    Path home() {
        return home;
    }

    /**
     * Stops Karaf with {@code bin/stop} and waits until it has exited; kills what is left after 30 s. Its
     * folder stays as Karaf left it, so {@link #start()} starts it again (a restart).
     */
    void stop() {
        if (process == null) {
            return;
        }
        try {
            if (process.isAlive()) {
                ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/stop").toString());
                pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
                pb.directory(home.toFile());
                pb.redirectErrorStream(true);
                pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
                pb.start().waitFor(30, TimeUnit.SECONDS);
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process = null;
        }
    }

    /** Stops Karaf ({@link #stop()}) and deletes its folder. */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            Distribution.deleteTree(base);
        }
    }

    private static void edit(Path cfg, String key, String value) throws IOException {
        String text = Files.readString(cfg);
        Pattern line = Pattern.compile("(?m)^\\s*" + Pattern.quote(key) + "\\s*=.*$");
        if (!line.matcher(text).find()) {
            throw new IllegalStateException(key + " not in " + cfg);
        }
        Files.writeString(cfg, line.matcher(text).replaceFirst(key + " = " + value));
    }

    private static void run(Path dir, String... command) throws IOException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = readAll(p.getInputStream());
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String readAll(InputStream in) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
