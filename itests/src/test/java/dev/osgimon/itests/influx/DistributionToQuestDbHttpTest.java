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
 * {@code OSGIMON_TOKEN} (the v2 API through influxdb-client-java) pushes into a real QuestDB.
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
    void pushesThroughTheV2Api() {
        Waits.until("osgimon rows in QuestDB", Duration.ofSeconds(60), () -> {
            String n = questdb.value("select count() from osgimon where vm = 'itest-vm'");
            return n != null && Long.parseLong(n) >= 3;
        });
        assertThat(questdb.value("select target from osgimon limit 1")).isEqualTo("http");
        assertThat(questdb.value("select max(lines_dropped) from osgimon")).isEqualTo("0");
        assertThat(questdb.value("select max(write_errors) from osgimon")).isEqualTo("0");
        assertThat(osgimon.logText()).contains("v2 /api/v2/write org=acme bucket=metrics").doesNotContain(TOKEN);
        assertThat(osgimon.consoleText()).doesNotContain(TOKEN);
    }
}
