package dev.osgimon.itests.influx;

import static dev.osgimon.itests.influx.HttpConfigs.send;
import static dev.osgimon.itests.influx.HttpConfigs.transport;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.osgimon.core.internal.delivery.Outbox;
import dev.osgimon.itests.support.QuestDb;
import dev.osgimon.itests.support.Waits;

/**
 * The http transport in v2 mode (influxdb-client-java, {@code /api/v2/write}, gzip, token) against a
 * real QuestDB: exact values, column types and symbols (tags) come back.
 */
class HttpToQuestDbTest {

    private static QuestDb questdb;

    @BeforeAll
    static void start() {
        questdb = QuestDb.startNew();
    }

    @AfterAll
    static void stop() {
        if (questdb != null) {
            questdb.close();
        }
    }

    @Test
    void anOutageKeepsWhatFitsInTheBufferAndCountsTheRest() {
        int perCycle = 4;
        int buffer = 12;
        Outbox t = transport("http://127.0.0.1:" + questdb.httpPort(), buffer, Map.of());
        try {
            send(t, cycle(0, perCycle));
            Waits.until("cycle 0 sent", Duration.ofSeconds(30), () -> t.status().linesSent() == perCycle);
            questdb.stop();
            for (int c = 1; c <= 6; c++) {
                long errors = t.status().writeErrors();
                send(t, cycle(c, perCycle));
                Waits.until("a failed attempt", Duration.ofSeconds(30), () -> t.status().writeErrors() > errors);
            }
            assertThat(t.status().linesBuffered()).isEqualTo(buffer);
            assertThat(t.status().linesDropped()).isEqualTo(6 * perCycle - buffer);
            questdb.start();
            Waits.until("the buffer is sent", Duration.ofSeconds(60), () -> t.status().linesBuffered() == 0);
        } finally {
            t.close();
        }
        assertThat(t.status().linesSent()).isEqualTo(perCycle + buffer);
        assertThat(t.status().linesDropped()).isEqualTo(6 * perCycle - buffer);
        // cycles 1..3 were the oldest of the outage and were dropped; 4..6 waited and arrived
        assertThat(questdb.rows("select n, count() from outage_v2 order by n")).containsExactly(
                List.of("0", "4"), List.of("4", "4"), List.of("5", "4"), List.of("6", "4"));
    }

    private static String[] cycle(int n, int lines) {
        long ts = 1_700_000_000_000_000_000L + n * 1_000_000_000L;
        return java.util.stream.IntStream.range(0, lines).mapToObj(i -> "outage_v2,i=" + i + " n=" + n + "i " + ts)
                .toArray(String[]::new);
    }

    @Test
    void valuesTypesAndTagsArriveExactlyThroughTheV2Api() {
        Outbox t = transport("http://127.0.0.1:" + questdb.httpPort(), 100,
                Map.of("org", "acme", "bucket", "metrics", "token", "ignored-by-questdb"));
        try {
            send(t, "http_v2,pool=G1\\ Old\\ Gen,vm=itest used=123456789012i,ratio=0.25,ok=true,"
                    + "note=\"say \\\"hi\\\" \\\\ bye\" 1700000000123456000",
                    "http_v2,pool=Metaspace,vm=itest used=-7i,ratio=1e-3,ok=false,note=\"x\" 1700000000123457000");
            Waits.until("2 rows in QuestDB", Duration.ofSeconds(30),
                    () -> "2".equals(questdb.value("select count() from http_v2")));
        } finally {
            t.close();
        }
        assertThat(t.status().linesSent()).isEqualTo(2);
        assertThat(t.status().writeErrors()).isZero();

        List<List<String>> rows = questdb.rows("select pool, vm, used, ratio, ok, note, timestamp from http_v2"
                + " where note = 'x' or length(note) = 14 and note like 'say \"hi\" _ bye' order by timestamp");
        // (QuestDB's CSV export shows the stored backslash of 'say "hi" \ bye' doubled, hence length and like)
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get(6)).isEqualTo("2023-11-14T22:13:20.123456Z");
        rows = List.of(rows.get(0).subList(0, 5), rows.get(1));
        assertThat(rows).containsExactly(
                List.of("G1 Old Gen", "itest", "123456789012", "0.25", "true"),
                List.of("Metaspace", "itest", "-7", "0.001", "false", "x", "2023-11-14T22:13:20.123457Z"));
        Map<String, String> types = questdb.rows("select \"column\", type from table_columns('http_v2')").stream()
                .collect(Collectors.toMap(r -> r.get(0), r -> r.get(1)));
        assertThat(types).containsEntry("pool", "SYMBOL").containsEntry("vm", "SYMBOL")
                .containsEntry("used", "LONG").containsEntry("ratio", "DOUBLE").containsEntry("ok", "BOOLEAN");
        assertThat(types.get("note")).isIn("VARCHAR", "STRING");
        assertThat(types.get("timestamp")).startsWith("TIMESTAMP");
    }
}
