package dev.osgimon.itests.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.osgimon.itests.support.Distribution;
import dev.osgimon.itests.support.Tcp;
import dev.osgimon.itests.support.Waits;

/**
 * Log levels that expire, against the running distribution: {@code l} shows the time left, the previous
 * level comes back on its own, a bad duration changes nothing. Every change is in the log with who made it.
 *
 * <p>Across a restart: the distribution keeps no level set at runtime (docs/protocol.md: its
 * ConfigurationAdmin starts from {@code etc/} and a fresh bundle cache every time), so a restart brings
 * back the shipped levels, expiring ones or not. Where levels do survive a restart, in Karaf, the due
 * time travels with them: {@code karaf/KarafExpiringLevelsRestartTest}.
 */
class ExpiringLevelsEndToEndTest {

    /** What the distribution ships in etc/org.ops4j.pax.logging.cfg. */
    private static final String SHIPPED = "ok: *:info,org.eclipse.jetty:warn\n";

    private Distribution osgimon;
    private int port;

    @BeforeEach
    void start() {
        osgimon = Distribution.start(Map.of());
        port = osgimon.port("OSGIMON_COMMAND_PORT");
    }

    @AfterEach
    void stop() {
        if (osgimon != null) {
            osgimon.close();
        }
    }

    private String tcp(String line) {
        return Tcp.command(port, line);
    }

    @Test
    void aLevelSetForTwoSecondsShowsTheTimeLeftAndThePreviousLevelReturns() {
        assertThat(tcp("l")).isEqualTo(SHIPPED);
        assertThat(tcp("Lorg.eclipse.jetty:debug@2s,org.foo:trace@2s")).isEqualTo("ok\n");
        assertThat(tcp("l")).matches("ok: \\*:info,org\\.eclipse\\.jetty:debug@[12]s,org\\.foo:trace@[12]s\n");
        assertThat(tcp("lorg.foo,org.foo.bar")).matches("ok: org\\.foo:trace@[12]s,org\\.foo\\.bar:trace\n");

        Waits.until("the previous levels are back", Duration.ofSeconds(30), () -> tcp("l").equals(SHIPPED));
        assertThat(tcp("lorg.foo")).isEqualTo("ok: org.foo:info\n");
        assertThat(osgimon.logText()).containsPattern("INFO .*\\| log levels by tcp 127\\.0\\.0\\.1:\\d+: "
                + "'Lorg\\.eclipse\\.jetty:debug@2s,org\\.foo:trace@2s'; before: \\*:info,org\\.eclipse\\.jetty:warn; "
                + "after: \\*:info,org\\.eclipse\\.jetty:debug@[12]s,org\\.foo:trace@[12]s")
                .contains("log levels by expiry");
    }

    @Test
    void aBadDurationIsAnErrorAndChangesNothing() {
        assertThat(tcp("Lorg.foo:debug@5d")).startsWith("error: malformed duration '5d'");
        assertThat(tcp("Lorg.foo:debug@25h")).isEqualTo("error: duration '25h' is too long (at most 24h)\n");
        assertThat(tcp("La.b:debug,org.foo:debug@0s")).startsWith("error: duration '0s' is zero");
        assertThat(tcp("l")).isEqualTo(SHIPPED);
        // the mirage grammar stays as it was
        assertThat(tcp("Lorg.foo:debug")).isEqualTo("ok\n");
        assertThat(tcp("l")).isEqualTo("ok: *:info,org.eclipse.jetty:warn,org.foo:debug\n");
    }

    @Test
    void aRestartOfTheDistributionStartsFromTheShippedLevels() {
        assertThat(tcp("Lorg.foo:debug@1h,org.bar:trace")).isEqualTo("ok\n");
        assertThat(tcp("l")).matches("ok: \\*:info,org\\.bar:trace,org\\.eclipse\\.jetty:warn,org\\.foo:debug@(59m[0-9]+s|1h0m0s)\n");
        osgimon.stop();
        osgimon.start();
        // the old process has exited and the new one's port accepts: its first answer is the settled one
        assertThat(tcp("l")).isEqualTo(SHIPPED);
        assertThat(tcp("lorg.foo,org.bar")).isEqualTo("ok: org.foo:info,org.bar:info\n");
    }
}
