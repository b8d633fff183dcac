package dev.osgimon.itests.influx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.osgimon.itests.support.Distribution;
import dev.osgimon.itests.support.InfluxDb1;
import dev.osgimon.itests.support.Tcp;
import dev.osgimon.itests.support.Waits;

/**
 * The real distribution with an {@code http://} target and {@code OSGIMON_DATABASE} pushes into a real
 * InfluxDB 1.6 through the influxdb-http bundle (so that bundle resolves and starts in the Felix
 * distribution); a new configuration of {@code dev.osgimon.influxdb.http} switches databases without
 * losing a cycle; the token shows up nowhere.
 */
class DistributionToInfluxDb1Test {

    private static final String TOKEN = "itest-token-Q9w8e7-secret";
    private static InfluxDb1 influx;
    private static Distribution osgimon;

    @BeforeAll
    static void start() {
        influx = InfluxDb1.startNew();
        influx.execute("CREATE DATABASE osgimon_a");
        influx.execute("CREATE DATABASE osgimon_b");
        osgimon = Distribution.start(Map.of(
                "OSGIMON_TARGET", influx.url(),
                "OSGIMON_DATABASE", "osgimon_a",
                "OSGIMON_TOKEN", TOKEN,
                "OSGIMON_HOSTNAME", "itest-vm"));
    }

    @AfterAll
    static void stop() {
        if (osgimon != null) {
            osgimon.close();
        }
        if (influx != null) {
            influx.close();
        }
    }

    @Test
    void pushesOverHttpAndSwitchesDatabasesWithoutLosingACycle() throws Exception {
        Waits.until("osgimon rows in osgimon_a", Duration.ofSeconds(60),
                () -> cycles("osgimon_a").size() >= 3);
        Map<String, String> row = influx.query("osgimon_a", "SELECT * FROM osgimon WHERE vm = 'itest-vm' LIMIT 1")
                .get(0);
        assertThat(row).containsEntry("target", "http").containsEntry("vm", "itest-vm");
        assertThat(influx.fieldTypes("osgimon_a", "osgimon")).containsEntry("lines_dropped", "integer");
        assertThat(influx.query("osgimon_a", "SHOW MEASUREMENTS")).extracting(r -> r.get("name"))
                .contains("osgimon").hasSizeGreaterThan(1);

        // a new configuration of the transport's PID, as an administrator would write it
        Files.writeString(osgimon.home().resolve("etc/dev.osgimon.influxdb.http.cfg"),
                "database=osgimon_b\ntoken=" + TOKEN + "\n");
        Waits.until("osgimon rows in osgimon_b", Duration.ofSeconds(60), () -> cycles("osgimon_b").size() >= 3);

        Set<Long> a = cycles("osgimon_a");
        Set<Long> b = cycles("osgimon_b");
        long last = b.stream().mapToLong(Long::longValue).max().orElseThrow();
        Set<Long> all = new TreeSet<>(a);
        all.addAll(b);
        for (long c = 0; c <= last; c++) {
            assertThat(all).as("cycle %d in osgimon_a or osgimon_b", c).contains(c);
        }
        assertThat(b.stream().mapToLong(Long::longValue).min().orElseThrow())
                .as("osgimon_b starts where osgimon_a ended").isGreaterThan(0);
        Map<String, String> latest = influx.query("osgimon_b",
                "SELECT last(lines_dropped) AS d FROM osgimon").get(0);
        assertThat(latest.get("d")).isEqualTo("0");

        // the token is used (InfluxDB 1.6 without auth ignores it) but never shown
        int commandPort = osgimon.port("OSGIMON_COMMAND_PORT");
        for (String command : new String[] {"m*", "m", "l*"}) {
            assertThat(Tcp.command(commandPort, command)).startsWith("ok").doesNotContain(TOKEN);
        }
        assertThat(osgimon.logText()).contains("http://127.0.0.1:" + influx.httpPort()).doesNotContain(TOKEN);
        assertThat(osgimon.consoleText()).doesNotContain(TOKEN);
    }

    private static Set<Long> cycles(String db) {
        List<Map<String, String>> rows = influx.query(db, "SELECT cycles FROM osgimon WHERE vm = 'itest-vm'");
        return rows.stream().map(r -> Long.parseLong(r.get("cycles"))).collect(Collectors.toCollection(TreeSet::new));
    }
}
