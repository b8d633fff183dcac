package dev.osgimon.itests.osgisources;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.osgimon.itests.osgisources.probes.JmxProbeActivator;
import dev.osgimon.itests.support.Distribution;
import dev.osgimon.itests.support.QuestDb;
import dev.osgimon.itests.support.Waits;

/**
 * The {@code jmx} source end to end: the real distribution (configured through
 * {@code etc/dev.osgimon.source.jmx.cfg}) pushes into a real QuestDB while a test bundle dropped into
 * {@code deploy/} registers two MXBeans: one with a number and a {@code CompositeData} attribute,
 * whose exact values arrive and stay; one whose getter throws, which is counted once a cycle while
 * its readable attribute and the other MBeans still arrive. Removing the bundle takes its MBeans
 * away without an error.
 */
class JmxSourceEndToEndTest {

    private static final String VM = "jmx-itest";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PROBE_TABLE = "jmx_dev_osgimon_itest_probe";

    private static QuestDb questdb;
    private static Distribution osgimon;
    private static Path deploy;

    @BeforeAll
    static void start() throws IOException {
        questdb = QuestDb.startNew();
        osgimon = Distribution.prepare(Map.of(
                "OSGIMON_TARGET", "tcp://127.0.0.1:" + questdb.ilpPort(),
                "OSGIMON_HOSTNAME", VM,
                "JAVA_OPTS", "-Xmx256m"));
        // a .cfg value is one string: entries separated by ';'
        Files.writeString(osgimon.home().resolve("etc/dev.osgimon.source.jmx.cfg"),
                "beans = java.lang:type=ClassLoading|LoadedClassCount;dev.osgimon.itest:type=Probe,*\nmaxSeries = 100\n");
        osgimon.start();
        deploy = osgimon.home().resolve("deploy");
    }

    @AfterAll
    static void stop() {
        if (osgimon != null) {
            osgimon.close();
        }
        if (questdb != null) {
            questdb.close();
        }
    }

    private static long latest(String table, String column, String where) {
        return questdb.number("select " + column + " from " + table + " where vm = '" + VM + "'"
                + (where.isEmpty() ? "" : " and " + where) + " order by timestamp desc limit 1");
    }

    private static long cycles() {
        return latest("osgimon", "cycles", "");
    }

    /** errors of the newest jmx_source row minus errors of the row before it: the errors of one cycle. */
    private static long errorsOfTheLastCycle() {
        List<List<String>> rows = questdb.rows("select errors from jmx_source where vm = '" + VM
                + "' order by timestamp desc limit 2");
        assertThat(rows).hasSize(2);
        return Long.parseLong(rows.get(0).get(0)) - Long.parseLong(rows.get(1).get(0));
    }

    @Test
    void anMBeanOfATestBundleArrivesWithExactValuesAndAThrowingGetterIsCountedWithoutStoppingTheOthers() throws IOException {
        Waits.until("jmx_source and class loading rows", WAIT,
                () -> latest("jmx_source", "mbeans", "") == 1 && latest("jmx_java_lang_classloading", "LoadedClassCount", "") > 0);
        assertThat(latest("jmx_source", "errors", "")).as("no errors before the test bundle").isZero();

        TestBundle.named("dev.osgimon.itests.jmxprobe")
                .activator(JmxProbeActivator.class, "org.osgi.framework;version=\"[1.8,2)\",javax.management",
                        JmxProbeActivator.ProbeMXBean.class, JmxProbeActivator.BrokenProbeMXBean.class,
                        JmxProbeActivator.Probe.class, JmxProbeActivator.BrokenProbe.class)
                .writeInto(deploy);
        Waits.until("the probe MBeans found", WAIT, () -> latest("jmx_source", "mbeans", "") == 3);
        Waits.until("probe rows", WAIT, () -> latest(PROBE_TABLE, "Requests", "name = 'good'") >= 0
                && latest(PROBE_TABLE, "Good", "name = 'broken'") >= 0);
        long c = cycles();
        Waits.until("three more cycles", WAIT, () -> cycles() >= c + 3);

        List<List<String>> good = questdb.rows("select Requests, Usage_init, Usage_used, Usage_committed, Usage_max from "
                + PROBE_TABLE + " where vm = '" + VM + "' and name = 'good' order by timestamp desc limit 1");
        assertThat(good).containsExactly(List.of(String.valueOf(JmxProbeActivator.REQUESTS), String.valueOf(JmxProbeActivator.INIT),
                String.valueOf(JmxProbeActivator.USED), String.valueOf(JmxProbeActivator.COMMITTED), String.valueOf(JmxProbeActivator.MAX)));
        assertThat(questdb.number("select count() from " + PROBE_TABLE + " where vm = '" + VM
                + "' and name = 'good' and Requests != " + JmxProbeActivator.REQUESTS)).as("rows with another value").isZero();
        assertThat(latest(PROBE_TABLE, "Good", "name = 'broken'")).isEqualTo(JmxProbeActivator.GOOD_VALUE);
        assertThat(errorsOfTheLastCycle()).as("the throwing getter counts one error a cycle").isEqualTo(1);
        assertThat(latest("jmx_java_lang_classloading", "LoadedClassCount", "")).as("the other MBeans still arrive").isPositive();
        assertThat(latest("osgimon_source", "errors", "source = 'jmx'")).as("the source itself never failed").isZero();
        assertThat(osgimon.logText()).contains("MBean " + JmxProbeActivator.BROKEN);

        // the bundle leaves: its MBeans with it, without an error
        Files.delete(deploy.resolve("dev.osgimon.itests.jmxprobe.jar"));
        Waits.until("the probe MBeans gone", WAIT, () -> latest("jmx_source", "mbeans", "") == 1);
        long after = cycles();
        Waits.until("two more cycles", WAIT, () -> cycles() >= after + 2);
        assertThat(errorsOfTheLastCycle()).isZero();
        assertThat(osgimon.isAlive()).isTrue();
        assertThat(osgimon.logText()).doesNotContain("| ERROR |");
    }
}
