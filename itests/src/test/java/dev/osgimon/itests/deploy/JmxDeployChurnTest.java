package dev.osgimon.itests.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.jar.JarFile;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.osgimon.itests.support.Distribution;
import dev.osgimon.itests.support.QuestDb;
import dev.osgimon.itests.support.Tcp;
import dev.osgimon.itests.support.Waits;

/**
 * The {@code jmx} source on the Felix distribution with its shipped configuration (the default
 * set): its jar moved from {@code bundle/} to {@code deploy/} and back twenty times. The default set
 * arrives in QuestDB without errors; each removal takes only the source down (its listener on the
 * MBean server delegate with it), and twenty rounds leave threads, live classes and heap where
 * they were after the first, with nothing logged at ERROR.
 */
class JmxDeployChurnTest {

    private static final String JAR = "dev.osgimon.source.jmx.jar";
    private static final String VM = "jmx-churn-itest";
    private static final int ROUNDS = 20;

    private static QuestDb questdb;
    private static Distribution osgimon;
    private static Path jar;

    @BeforeAll
    static void start() throws IOException {
        questdb = QuestDb.startNew();
        osgimon = Distribution.prepare(Map.of(
                "OSGIMON_TARGET", "tcp://127.0.0.1:" + questdb.ilpPort(),
                "OSGIMON_HOSTNAME", VM,
                "JAVA_OPTS", "-Xmx256m"));
        jar = Files.createTempFile("osgimon-jmx", ".jar");
        Files.move(osgimon.home().resolve("bundle").resolve(JAR), jar, StandardCopyOption.REPLACE_EXISTING);
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
        if (jar != null) {
            Files.deleteIfExists(jar);
        }
    }

    @Test
    void theDefaultSetArrivesAndTwentyRoundsOfTheJarLeaveNothingBehind() throws IOException {
        int port = osgimon.port("OSGIMON_COMMAND_PORT");
        Path deployed = osgimon.home().resolve("deploy").resolve(JAR);
        assertThat(Tcp.command(port, "mjmx")).isEqualTo("error: unknown source: jmx\n");

        drop(deployed);
        Waits.until("jmx in m*", Duration.ofSeconds(30), () -> Tcp.command(port, "mjmx").equals("ok: jmx:enabled\n"));
        String where = " where vm = '" + VM + "'";
        Waits.until("the default set in QuestDB", Duration.ofSeconds(60),
                () -> questdb.number("select count() from jmx_source" + where) >= 2
                        && questdb.number("select max(TotalLoadedClassCount) from jmx_java_lang_classloading" + where) > 0
                        && questdb.number("select max(TotalMemorySize) from jmx_java_lang_operatingsystem" + where) > 0
                        && questdb.number("select max(AvailableProcessors) from jmx_java_lang_operatingsystem" + where) > 0
                        && questdb.number("select max(TotalCompilationTime) from jmx_java_lang_compilation" + where) >= 0);
        // no Karaf and no Jetty MBeans in this distribution: three platform MBeans, nothing fails
        assertThat(questdb.number("select max(mbeans) from jmx_source" + where)).isEqualTo(3);
        assertThat(questdb.number("select max(errors) from jmx_source" + where)).isZero();
        Files.delete(deployed);
        Waits.until("jmx gone", Duration.ofSeconds(30), () -> Tcp.command(port, "mjmx").equals("error: unknown source: jmx\n"));

        DeployFolderTest.Jvm baseline = DeployFolderTest.Jvm.measure(osgimon.process().pid());
        for (int round = 2; round <= ROUNDS; round++) {
            drop(deployed);
            Waits.until("jmx in m* (round " + round + ")", Duration.ofSeconds(30),
                    () -> Tcp.command(port, "mjmx").equals("ok: jmx:enabled\n"));
            Files.delete(deployed);
            Waits.until("jmx gone (round " + round + ")", Duration.ofSeconds(30),
                    () -> Tcp.command(port, "mjmx").equals("error: unknown source: jmx\n"));
        }
        DeployFolderTest.Jvm after = DeployFolderTest.Jvm.measure(osgimon.process().pid());

        System.out.printf("JVM after round 1: %s%nJVM after round %d: %s%n", baseline, ROUNDS, after);
        assertThat(after.threads()).as("threads after %d rounds: %s, after round 1: %s", ROUNDS, after.threadNames(),
                baseline.threadNames()).isLessThanOrEqualTo(baseline.threads() + 2);
        // a round whose listener stayed on the MBean server delegate would keep the bundle's class loader and its classes
        long classes = classesIn(jar);
        assertThat(after.liveClasses()).as("live classes after %d rounds (after round 1: %s, %d classes in the jar)",
                ROUNDS, baseline.liveClasses(), classes).isLessThanOrEqualTo(baseline.liveClasses() + 3 * classes);
        // the same allowance as DeployFolderTest: pax-logging keeps ~80 KB per uninstalled bundle
        assertThat(after.heapUsedKb()).as("heap used after full GC after %d rounds (after round 1: %d KB)", ROUNDS,
                baseline.heapUsedKb()).isLessThanOrEqualTo(baseline.heapUsedKb() + 4 * 1024);
        assertThat(osgimon.isAlive()).isTrue();
        assertThat(osgimon.logText()).as("log/osgimon.log").doesNotContain("| ERROR |");
        assertThat(osgimon.consoleText()).as("nothing at ERROR on the console").doesNotContain(" ERROR ");
    }

    private static void drop(Path deployed) throws IOException {
        Path tmp = deployed.resolveSibling(JAR + ".part");
        Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, deployed, StandardCopyOption.ATOMIC_MOVE);
    }

    private static long classesIn(Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            return j.stream().filter(e -> e.getName().endsWith(".class")).count();
        }
    }
}
