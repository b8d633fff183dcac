package dev.osgimon.itests.karaf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.osgimon.itests.support.Tcp;
import dev.osgimon.itests.support.Waits;

/**
 * Expiring log levels across a real restart of Apache Karaf 4.4.10, where levels set at runtime survive
 * a restart (Karaf writes the PID {@code org.ops4j.pax.logging} back to {@code etc/}): a level due
 * while Karaf was down is gone once it is up again, a level not yet due is still there with the time
 * it had left (not a fresh duration), and when that runs out the logger returns to the level it had
 * before, which survived the restart too (docs/protocol.md: an expiring level never outlives its
 * duration, not even across a restart).
 */
class KarafExpiringLevelsRestartTest {

    private static final String VERSION = "0.1.0-SNAPSHOT";
    private static final String LOGGING_CFG = "org.ops4j.pax.logging.cfg";
    /** Outlasts a restart of Karaf on a slow machine, with room to spare. */
    private static final Duration LONG = Duration.ofSeconds(150);
    private static final Pattern TIME_LEFT = Pattern.compile("ok: org\\.foo:debug@(?:(\\d+)m)?(?:(\\d+)s)?\n");

    private static Karaf karaf;
    private static int port;

    @BeforeAll
    static void start() {
        karaf = Karaf.prepare(Map.of());
        karaf.start();
        String out = karaf.console("feature:repo-add mvn:dev.osgimon/osgimon-features/" + VERSION + "/xml/features",
                "feature:install osgimon");
        assertThat(out).as("feature:install osgimon").doesNotContainIgnoringCase("error");
        port = karaf.port("OSGIMON_COMMAND_PORT");
        Waits.until("log levels over TCP", Duration.ofSeconds(60), () -> tryTcp("l").startsWith("ok: "));
    }

    @AfterAll
    static void stop() {
        if (karaf != null) {
            karaf.close();
        }
    }

    /** The answer, or nothing while the port is closed (during the restart). */
    private static String tryTcp(String line) {
        try {
            return Tcp.command(port, line);
        } catch (UncheckedIOException e) {
            return "";
        }
    }

    @Test
    void anExpiringLevelKeepsItsDueTimeAcrossAKarafRestartAndThePreviousLevelReturns() {
        assertThat(Tcp.command(port, "Lorg.foo:warn")).isEqualTo("ok\n");
        Instant set = Instant.now();
        assertThat(Tcp.command(port, "Lorg.foo:debug@" + LONG.toSeconds() + "s,org.bar:trace@3s")).isEqualTo("ok\n");
        Instant due = set.plus(LONG);
        assertThat(Tcp.command(port, "lorg.foo,org.bar")).matches("ok: org\\.foo:debug@2m[0-9]+s,org\\.bar:trace@[1-3]s\n");
        Waits.until("Karaf wrote both levels and their due times to etc/" + LOGGING_CFG, Duration.ofSeconds(30), () -> {
            Properties file = karaf.etc(LOGGING_CFG);
            return file.values().stream().anyMatch(v -> v.toString().startsWith("org.foo DEBUG WARN "))
                    && file.values().stream().anyMatch(v -> v.toString().startsWith("org.bar TRACE - "));
        });

        karaf.stop();
        Waits.until("org.bar due while Karaf is down", Duration.ofSeconds(10),
                () -> Instant.now().isAfter(set.plusSeconds(4)));
        Instant restart = Instant.now();
        karaf.start();
        Waits.until("log levels over TCP after the restart", Duration.ofSeconds(90), () -> tryTcp("l").startsWith("ok: "));
        System.out.printf("Karaf restarted in %d s%n", Duration.between(restart, Instant.now()).toSeconds());

        // due while Karaf was down: taken back at start (it had no level of its own before)
        Waits.until("org.bar back", Duration.ofSeconds(15), () -> Tcp.command(port, "lorg.bar").equals("ok: org.bar:info\n"));
        // not due yet: still there, with the time it had left
        String foo = Tcp.command(port, "lorg.foo");
        Instant asked = Instant.now();
        Matcher m = TIME_LEFT.matcher(foo);
        assertThat(m.matches()).as("org.foo still at debug with time left after the restart (restart took %s): %s",
                Duration.between(restart, asked), foo).isTrue();
        long left = (m.group(1) == null ? 0 : Long.parseLong(m.group(1)) * 60) + (m.group(2) == null ? 0 : Long.parseLong(m.group(2)));
        assertThat(left).as("seconds left: those to the due time set before the restart, not a fresh %s", LONG)
                .isPositive().isBetween(Duration.between(asked, due).toSeconds() - 2, Duration.between(asked, due).toSeconds() + 2);

        Waits.until("org.foo back at its previous level, warn", Duration.between(Instant.now(), due).plusSeconds(30),
                () -> Tcp.command(port, "lorg.foo").equals("ok: org.foo:warn\n"));
        assertThat(Instant.now()).as("not before its due time").isAfterOrEqualTo(due.minusSeconds(1));
        Waits.until("etc/" + LOGGING_CFG + " without the due times", Duration.ofSeconds(15), () -> karaf.etc(LOGGING_CFG)
                .values().stream().noneMatch(v -> v.toString().startsWith("org.foo ") || v.toString().startsWith("org.bar ")));
        assertThat(karaf.logText()).contains("log levels by expiry: [org.bar:trace -> ")
                .contains("log levels by expiry: [org.foo:debug -> warn]");
    }
}
