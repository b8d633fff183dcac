package dev.osgimon.itests.influx;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.osgimon.itests.support.Distribution;
import dev.osgimon.itests.support.QuestDb;
import dev.osgimon.itests.support.Waits;

/**
 * The real distribution with an {@code http://} target and {@code OSGIMON_ORG}/{@code OSGIMON_BUCKET}/
 * {@code OSGIMON_TOKEN} (the v2 API through influxdb-client-java) pushes into a real QuestDB; QuestDB
 * goes away for several intervals and comes back: every cycle arrives.
 */
class DistributionToQuestDbHttpTest {

    private static final String TOKEN = "itest-token-Zx7Vb6-secret";
    private static QuestDb questdb;
    private static Distribution osgimon;

    @BeforeAll
    static void start() {
        questdb = QuestDb.startNew();
        osgimon = Distribution.start(Map.of(
                "OSGIMON_TARGET", "http://127.0.0.1:" + questdb.httpPort(),
                "OSGIMON_ORG", "acme",
                "OSGIMON_BUCKET", "metrics",
                "OSGIMON_TOKEN", TOKEN,
                "OSGIMON_HOSTNAME", "itest-vm"));
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

    @Test
    void pushesThroughTheV2ApiAndSurvivesAnOutage() {
        Waits.until("osgimon rows in QuestDB", Duration.ofSeconds(60),
                () -> questdb.number("select count() from osgimon where vm = 'itest-vm'") >= 3);
        assertThat(questdb.value("select target from osgimon limit 1")).isEqualTo("http");
        assertThat(questdb.value("select max(lines_dropped) from osgimon")).isEqualTo("0");
        assertThat(questdb.value("select max(write_errors) from osgimon")).isEqualTo("0");
        assertThat(osgimon.logText()).contains("v2 /api/v2/write org=acme bucket=metrics").doesNotContain(TOKEN);
        assertThat(osgimon.consoleText()).doesNotContain(TOKEN);

        // an outage of several intervals: every cycle arrives once QuestDB is back, and the
        // transport's counters reach the monitoring source
        long before = questdb.number("select max(cycles) from osgimon");
        questdb.stop();
        Waits.until("osgimon notices the outage", Duration.ofSeconds(30),
                () -> osgimon.logText().contains("Cannot send to http://127.0.0.1:" + questdb.httpPort()));
        long outageStart = System.nanoTime();
        Waits.until("4 s of outage", Duration.ofSeconds(10),
                () -> System.nanoTime() - outageStart > Duration.ofSeconds(4).toNanos());
        questdb.start();
        long target = before + 8;
        Waits.until("cycles up to " + target, Duration.ofSeconds(60),
                () -> questdb.number("select max(cycles) from osgimon") >= target);
        Waits.until("no gap in cycles", Duration.ofSeconds(30), () -> questdb.number(
                "select count_distinct(cycles) from osgimon") == questdb.number("select max(cycles) from osgimon") + 1);
        assertThat(questdb.number("select min(cycles) from osgimon")).isZero();
        assertThat(questdb.number("select max(lines_dropped) from osgimon")).as("dropped").isZero();
        assertThat(questdb.number("select max(write_errors) from osgimon")).as("write errors").isGreaterThanOrEqualTo(1);
        // cycles collected after the recovery report it
        Waits.until("a row counting the recovery", Duration.ofSeconds(30),
                () -> questdb.number("select max(reconnects) from osgimon") >= 1);
        assertThat(osgimon.logText()).as("one warning per outage")
                .containsOnlyOnce("Cannot send to http://127.0.0.1:" + questdb.httpPort());
    }
}
