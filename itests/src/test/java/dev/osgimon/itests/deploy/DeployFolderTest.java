package dev.osgimon.itests.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.osgimon.itests.support.Distribution;
import dev.osgimon.itests.support.QuestDb;
import dev.osgimon.itests.support.Tcp;
import dev.osgimon.itests.support.Waits;

/**
 * Drop-in deployment on the Felix distribution: started without the {@code net} source bundle,
 * its jar copied into {@code deploy/} makes {@code net} appear in {@code m*} and its points arrive in
 * QuestDB; the jar deleted makes it disappear, with nothing logged at ERROR. Twenty such rounds leave
 * the JVM's thread count, live classes and heap (after a full GC) where they were after the first.
 */
class DeployFolderTest {

    private static final String NET_JAR = "dev.osgimon.source.net.jar";
    private static final int ROUNDS = 20;

    private static QuestDb questdb;
    private static Distribution osgimon;
    private static Path netJar;

    @BeforeAll
    static void start() throws IOException {
        questdb = QuestDb.startNew();
        osgimon = Distribution.prepare(Map.of(
                "OSGIMON_TARGET", "tcp://127.0.0.1:" + questdb.ilpPort(),
                "OSGIMON_HOSTNAME", "deploy-itest",
                "JAVA_OPTS", "-Xmx256m"));
        Path shipped = osgimon.home().resolve("bundle").resolve(NET_JAR);
        netJar = Files.createTempFile("osgimon-net", ".jar");
        Files.move(shipped, netJar, StandardCopyOption.REPLACE_EXISTING);
        osgimon.start();
    }

    @AfterAll
    static void stop() throws IOException {
        if (osgimon != null) {
            osgimon.close();
        }
        if (questdb != null) {
            questdb.close();
        }
        if (netJar != null) {
            Files.deleteIfExists(netJar);
        }
    }

    @Test
    void netComesAndGoesWithItsJarInDeployWithoutErrorsOrLeaks() throws IOException {
        int port = osgimon.port("OSGIMON_COMMAND_PORT");
        Path deployed = osgimon.home().resolve("deploy").resolve(NET_JAR);
        // the port accepts (start() waited for it): the shipped sources are listed from the first answer on
        assertThat(Tcp.command(port, "m*")).contains("memory:").doesNotContain("net:");
        assertThat(Tcp.command(port, "mnet")).isEqualTo("error: unknown source: net\n");

        // round 1, watched closely: rows arrive while the jar is there and stop when it is gone
        drop(deployed);
        Waits.until("net in m*", Duration.ofSeconds(30), () -> Tcp.command(port, "m*").contains("net:enabled"));
        Waits.until("net rows in QuestDB", Duration.ofSeconds(30),
                () -> questdb.number("select count() from net where vm = 'deploy-itest'") >= 2);
        Files.delete(deployed);
        Waits.until("net gone from m*", Duration.ofSeconds(30), () -> !Tcp.command(port, "m*").contains("net:"));
        assertThat(Tcp.command(port, "mnet")).isEqualTo("error: unknown source: net\n");
        long cyclesAtRemoval = questdb.number("select max(cycles) from osgimon");
        Waits.until("three more cycles in QuestDB", Duration.ofSeconds(30),
                () -> questdb.number("select max(cycles) from osgimon") >= cyclesAtRemoval + 3);
        long netRows = questdb.number("select count() from net");
        Waits.until("two more cycles in QuestDB", Duration.ofSeconds(30),
                () -> questdb.number("select max(cycles) from osgimon") >= cyclesAtRemoval + 5);
        assertThat(questdb.number("select count() from net")).as("no net rows once its bundle is gone").isEqualTo(netRows);

        Jvm baseline = Jvm.measure(osgimon.process().pid());
        for (int round = 2; round <= ROUNDS; round++) {
            drop(deployed);
            Waits.until("net in m* (round " + round + ")", Duration.ofSeconds(30),
                    () -> Tcp.command(port, "mnet").equals("ok: net:enabled\n"));
            Files.delete(deployed);
            Waits.until("net gone (round " + round + ")", Duration.ofSeconds(30),
                    () -> Tcp.command(port, "mnet").equals("error: unknown source: net\n"));
        }
        Jvm after = Jvm.measure(osgimon.process().pid());

        System.out.printf("JVM after round 1: %s%nJVM after round %d: %s%n", baseline, ROUNDS, after);
        assertThat(after.threads()).as("threads after %d rounds: %s, after round 1: %s", ROUNDS, after.threadNames(),
                        baseline.threadNames())
                .isLessThanOrEqualTo(baseline.threads() + 2);
        // a round that leaked its bundle's class loader would keep all of the jar's classes: 19 rounds, 19 times
        long netClasses = classesIn(netJar);
        assertThat(after.liveClasses()).as("live classes after %d rounds (after round 1: %s, %d classes in the jar)",
                ROUNDS, baseline.liveClasses(), netClasses).isLessThanOrEqualTo(baseline.liveClasses() + 3 * netClasses);
        // Heap after a full GC grows by about 80 KB a round: pax-logging-log4j2 2.3.2 keeps one PaxLoggerImpl per
        // bundle and logger name, which holds the uninstalled bundle (BundleImpl, its archive and jar entries; not
        // its class loader). 4 MB allows that and catches anything that keeps more than ~200 KB a round.
        assertThat(after.heapUsedKb()).as("heap used after full GC after %d rounds (after round 1: %d KB)", ROUNDS,
                baseline.heapUsedKb()).isLessThanOrEqualTo(baseline.heapUsedKb() + 4 * 1024);

        assertThat(osgimon.isAlive()).isTrue();
        assertThat(osgimon.logText()).as("log/osgimon.log").isNotEmpty().doesNotContain("| ERROR |");
        assertThat(osgimon.consoleText()).as("nothing at ERROR on the console").doesNotContain(" ERROR ");
    }

    /** Copies the jar in under a name FileInstall ignores, then renames it: the watcher never sees half a jar. */
    private static void drop(Path deployed) throws IOException {
        Path tmp = deployed.resolveSibling(NET_JAR + ".part");
        Files.copy(netJar, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, deployed, StandardCopyOption.ATOMIC_MOVE);
    }

    private static long classesIn(Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            return j.stream().filter(e -> e.getName().endsWith(".class")).count();
        }
    }

    /**
     * Threads, live classes and heap after a full GC of a running JVM, read with jcmd. The command
     * server's workers ({@code osgimon-command-*}, a pool bounded by its connection limit whose idle
     * threads end after 30 s) are left out of the thread count: this test's own probes start them.
     */
    record Jvm(long threads, long liveClasses, long heapUsedKb, Map<String, Long> threadNames) {

        private static final Pattern USED = Pattern.compile("total \\d+K, used (\\d+)K");
        private static final Pattern COUNTER = Pattern.compile("(?m)^java\\.cls\\.(loadedClasses|unloadedClasses)=(\\d+)$");
        private static final Pattern THREAD = Pattern.compile("(?m)^\"([^\"]*)\" ");

        static Jvm measure(long pid) {
            jcmd(pid, "GC.run");
            String heap = jcmd(pid, "GC.heap_info");
            Matcher used = USED.matcher(heap);
            if (!used.find()) {
                throw new IllegalStateException("no heap use in " + heap);
            }
            long loaded = 0;
            long unloaded = 0;
            Matcher c = COUNTER.matcher(jcmd(pid, "PerfCounter.print"));
            while (c.find()) {
                if (c.group(1).equals("loadedClasses")) {
                    loaded = Long.parseLong(c.group(2));
                } else {
                    unloaded = Long.parseLong(c.group(2));
                }
            }
            Map<String, Long> names = new TreeMap<>();
            Matcher t = THREAD.matcher(jcmd(pid, "Thread.print"));
            while (t.find()) {
                if (!t.group(1).startsWith("osgimon-command-")) {
                    names.merge(t.group(1).replaceAll("\\d+", "N"), 1L, Long::sum);
                }
            }
            long threads = names.values().stream().mapToLong(Long::longValue).sum();
            if (threads == 0 || loaded == 0) {
                throw new IllegalStateException("cannot read threads or classes of " + pid);
            }
            return new Jvm(threads, loaded - unloaded, Long.parseLong(used.group(1)), names);
        }

        private static String jcmd(long pid, String command) {
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            try {
                Process p = new ProcessBuilder(jcmd, String.valueOf(pid), command).redirectErrorStream(true).start();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (InputStream in = p.getInputStream()) {
                    in.transferTo(out);
                }
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException("jcmd " + command + " failed: " + out.toString(StandardCharsets.UTF_8));
                }
                return out.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
