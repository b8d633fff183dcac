package dev.osgimon.itests.osgisources;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.management.JMException;
import javax.management.ObjectName;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

import dev.osgimon.itests.support.Distribution;
import dev.osgimon.itests.support.Tcp;
import dev.osgimon.itests.support.Waits;
import dev.osgimon.testing.DescribedMBean;

/**
 * The {@code jmx} source declared again in the running distribution: once the agent runs, a test
 * bundle dropped into {@code deploy/} registers an MBean whose attribute descriptor says
 * {@code metricType=counter}, {@code units=bytes}; the metric catalog (command {@code cjmx}, as a user
 * reads it) then lists that field as a counter in bytes, without anything restarted: the core logs
 * that the source was declared again, never that it was registered anew. Removing the bundle takes
 * the MBean's declarations out of the catalog the same way.
 */
class JmxRedeclareTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String BUNDLE = "dev.osgimon.itests.jmxdescribed";
    private static final String MEASUREMENT = "jmx_dev_osgimon_itest_described";

    private static Distribution osgimon;
    private static int port;

    @BeforeAll
    static void start() throws IOException {
        osgimon = Distribution.prepare(Map.of("JAVA_OPTS", "-Xmx256m"));
        // a .cfg value is one string: entries separated by ';'
        Files.writeString(osgimon.home().resolve("etc/dev.osgimon.source.jmx.cfg"),
                "beans = java.lang:type=ClassLoading|LoadedClassCount;dev.osgimon.itest:type=Described,*\n");
        osgimon.start();
        port = osgimon.port("OSGIMON_COMMAND_PORT");
    }

    @AfterAll
    static void stop() {
        if (osgimon != null) {
            osgimon.close();
        }
    }

    @Test
    void anMBeanRegisteredLaterIsListedWithItsDescriptorsKindAndUnitWithoutARestart() throws IOException {
        Waits.until("the jmx source in the catalog", WAIT,
                () -> entries("cjmx").contains(List.of("jmx_source", "resolves", "counter", "{resolve}", "jmx",
                        "Times the patterns were resolved to MBeans, since the source started")));
        assertThat(entries("cjmx")).as("nothing of the MBean before its bundle").noneMatch(e -> e.get(0).equals(MEASUREMENT));
        // the core says at debug when it registers or declares a source again
        assertThat(Tcp.command(port, "Ldev.osgimon.core.internal.SourceRegistry:debug")).isEqualTo("ok\n");

        Path jar = TestBundle.named(BUNDLE)
                .activator(DescribedActivator.class, "org.osgi.framework;version=\"[1.8,2)\",javax.management", DescribedMBean.class)
                .writeInto(osgimon.home().resolve("deploy"));
        List<String> sent = List.of(MEASUREMENT, "Sent", "counter", "By", "jmx", "Bytes sent");
        List<String> others = List.of(MEASUREMENT, "*", "gauge", "", "jmx", "JMX attributes without a metricType descriptor");
        Waits.until("the MBean's fields in the catalog", WAIT,
                () -> entries("cjmx").stream().anyMatch(e -> e.get(0).equals(MEASUREMENT)));
        assertThat(entries("cjmx")).filteredOn(e -> e.get(0).equals(MEASUREMENT)).as("as its descriptors say")
                .containsExactlyInAnyOrder(sent, others);
        assertThat(osgimon.logText()).contains("Metric source jmx declared again")
                .as("the source kept its registration").doesNotContain("Metric source jmx [jmx] registered");

        Files.delete(jar);
        Waits.until("the MBean's fields gone from the catalog", WAIT,
                () -> entries("cjmx").stream().noneMatch(e -> e.get(0).equals(MEASUREMENT)));
        assertThat(entries("cjmx")).contains(List.of("jmx_java_lang_classloading", "*", "gauge", "", "jmx",
                "JMX attributes without a metricType descriptor"));
        assertThat(osgimon.logText()).doesNotContain("Metric source jmx [jmx] registered").doesNotContain("| ERROR |");
        assertThat(osgimon.isAlive()).isTrue();
    }

    private static List<List<String>> entries(String command) {
        return Tcp.catalogEntries(Tcp.command(port, command));
    }

    /**
     * The test bundle's activator: registers {@value #NAME} on the platform MBean server while the
     * bundle runs. Runs inside the distribution (copied into the bundle with {@link DescribedMBean}).
     */
    public static final class DescribedActivator implements BundleActivator {

        /** The MBean's name. */
        public static final String NAME = "dev.osgimon.itest:type=Described";

        @Override
        public void start(BundleContext context) throws JMException {
            ManagementFactory.getPlatformMBeanServer().registerMBean(new DescribedMBean(), new ObjectName(NAME));
        }

        @Override
        public void stop(BundleContext context) throws JMException {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(new ObjectName(NAME));
        }
    }
}
