package dev.osgimon.itests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real osgimon distribution ({@code distribution/target/osgimon}), copied to a temporary folder
 * and started as a new user would: {@code bin/osgimon} with environment variables, stdin not a
 * terminal. Ports default to free ones; the interval to 1 s.
 */
public final class Distribution implements AutoCloseable {

    private final Path home;
    private final Map<String, String> env;
    private Process process;

    private Distribution(Path home, Map<String, String> env) {
        this.home = home;
        this.env = env;
    }

    /**
     * Copies the distribution and prepares its environment (not started yet).
     *
     * @param env extra environment, e.g. {@code OSGIMON_TARGET}
     * @return the copy
     */
    public static Distribution prepare(Map<String, String> env) {
        Path source = Path.of(System.getProperty("osgimon.dist", "../distribution/target/osgimon"));
        if (!Files.isExecutable(source.resolve("bin/osgimon"))) {
            throw new IllegalStateException("No distribution at " + source + " (build it with mvn package first)");
        }
        try {
            Path home = Files.createTempDirectory("osgimon-dist");
            copyTree(source, home);
            home.resolve("bin/osgimon").toFile().setExecutable(true);
            Map<String, String> all = new HashMap<>();
            all.put("OSGIMON_INTERVAL", "1");
            all.put("OSGIMON_COMMAND_PORT", String.valueOf(Ports.free()));
            all.put("OSGIMON_MEMTRACE_PORT", String.valueOf(Ports.free()));
            all.put("OSGIMON_HTTP_PORT", String.valueOf(Ports.free()));
            all.put("OSGIMON_TARGET", "tcp://127.0.0.1:" + Ports.free());
            all.putAll(env);
            return new Distribution(home, all);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies and starts. */
    public static Distribution start(Map<String, String> env) {
        Distribution d = prepare(env);
        d.start();
        return d;
    }

    /**
     * Starts {@code bin/osgimon}; returns once the core logged that it collects and the command port accepts,
     * which is when a user's script sends its first command (docs/protocol.md: ready when it answers).
     */
    public void start() {
        int startsBefore = starts();
        launch();
        Waits.until("osgimon started (" + console() + ")", Duration.ofSeconds(60),
                () -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("osgimon exited:\n" + consoleText());
                    }
                    return starts() > startsBefore;
                });
        int commandPort = port("OSGIMON_COMMAND_PORT");
        if (commandPort > 0) {
            Tcp.awaitAccepting(commandPort, Duration.ofSeconds(60), this::isAlive);
        }
    }

    /**
     * Starts {@code bin/osgimon} and returns at once, as a user's script does before it waits for a port
     * (see {@link Tcp#awaitAccepting}).
     */
    public void launch() {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/osgimon").toString());
        pb.environment().putAll(env);
        pb.directory(home.toFile());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(console().toFile()));
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How often the console says the core started (it is appended to across restarts). */
    private int starts() {
        String text = consoleText();
        int n = 0;
        for (int i = text.indexOf("osgimon collecting every"); i >= 0; i = text.indexOf("osgimon collecting every", i + 1)) {
            n++;
        }
        return n;
    }

    /** Kills the process with SIGKILL ({@code kill -9}): no shutdown hook runs. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /**
     * Sends SIGTERM and waits.
     *
     * @return the exit code
     */
    public int stop() {
        int code = process == null ? 0 : Processes.stop(process, 30);
        process = null;
        return code;
    }

    /** @return the environment the process gets */
    public Map<String, String> env() {
        return env;
    }

    /** @return an environment value, e.g. {@code OSGIMON_COMMAND_PORT} */
    public int port(String envName) {
        return Integer.parseInt(env.get(envName));
    }

    /** @return the osgimon home of this copy */
    public Path home() {
        return home;
    }

    /** @return the file that gets stdout and stderr */
    public Path console() {
        return home.resolve("console.out");
    }

    /** @return what was printed so far */
    public String consoleText() {
        try {
            return Files.exists(console()) ? Files.readString(console(), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the log file text ({@code log/osgimon.log}) */
    public String logText() {
        try {
            Path log = home.resolve("log/osgimon.log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return whether the process runs */
    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** @return the process, for its pid */
    public Process process() {
        return process;
    }

    @Override
    public void close() {
        stop();
        deleteTree(home);
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path rel = from.relativize(p);
                if (rel.startsWith("data") || rel.startsWith("log")) {
                    continue;
                }
                Path dest = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /** Deletes a folder tree; what cannot be deleted is left. */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // a leftover temp folder is not worth failing a test for
        }
    }
}
