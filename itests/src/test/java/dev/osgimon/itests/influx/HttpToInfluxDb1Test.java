package dev.osgimon.itests.influx;

import static dev.osgimon.itests.influx.HttpConfigs.send;
import static dev.osgimon.itests.influx.HttpConfigs.transport;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.osgimon.api.admin.DeliveryStatus;
import dev.osgimon.core.internal.delivery.Outbox;
import dev.osgimon.itests.support.InfluxDb1;
import dev.osgimon.itests.support.Waits;

/**
 * The http transport against a real InfluxDB 1.6 through {@code /write?db=&precision=ns}: exact values,
 * field types and tags come back; an outage keeps what fits in the buffer and counts the rest.
 */
class HttpToInfluxDb1Test {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static InfluxDb1 influx;

    @BeforeAll
    static void start() {
        influx = InfluxDb1.startNew();
        influx.execute("CREATE DATABASE osgimon_it");
        influx.execute("CREATE DATABASE outage_it");
    }

    @AfterAll
    static void stop() {
        if (influx != null) {
            influx.close();
        }
    }

    @Test
    void valuesTypesAndTagsArriveExactly() {
        Outbox t = transport(influx.url(), 100, Map.of("database", "osgimon_it"));
        try {
            send(t, "jvm_mem,pool=G1\\ Old\\ Gen,vm=itest used=123456789012i,ratio=0.25,ok=true,"
                    + "note=\"say \\\"hi\\\" \\\\ bye\" 1700000000123456789",
                    "jvm_mem,pool=Metaspace,vm=itest used=-7i,ratio=1e-3,ok=false,note=\"\" 1700000000123456790");
            Waits.until("2 points in InfluxDB", WAIT,
                    () -> influx.query("osgimon_it", "SELECT * FROM jvm_mem").size() == 2);
        } finally {
            t.close();
        }
        List<Map<String, String>> rows = influx.query("osgimon_it", "SELECT * FROM jvm_mem");
        assertThat(rows.get(0)).containsEntry("time", "1700000000123456789").containsEntry("pool", "G1 Old Gen")
                .containsEntry("vm", "itest").containsEntry("used", "123456789012").containsEntry("ratio", "0.25")
                .containsEntry("ok", "true").containsEntry("note", "say \"hi\" \\ bye");
        assertThat(rows.get(1)).containsEntry("time", "1700000000123456790").containsEntry("pool", "Metaspace")
                .containsEntry("used", "-7").containsEntry("ratio", "0.001").containsEntry("ok", "false");
        assertThat(influx.fieldTypes("osgimon_it", "jvm_mem")).isEqualTo(Map.of("used", "integer", "ratio", "float",
                "ok", "boolean", "note", "string"));
        assertThat(influx.query("osgimon_it", "SHOW TAG KEYS FROM jvm_mem")).extracting(r -> r.get("tagKey"))
                .containsExactlyInAnyOrder("pool", "vm");
        DeliveryStatus s = t.status();
        assertThat(s.linesSent()).isEqualTo(2);
        assertThat(s.linesDropped()).isZero();
        assertThat(s.writeErrors()).isZero();
    }

    @Test
    void anOutageKeepsWhatFitsInTheBufferAndCountsTheRest() {
        int perCycle = 5;
        int buffer = 20;
        Outbox t = transport(influx.url(), buffer, Map.of("database", "outage_it"));
        try {
            send(t, cycle(0, perCycle));
            send(t, cycle(1, perCycle));
            Waits.until("cycles 0 and 1 sent", WAIT, () -> t.status().linesSent() == 2 * perCycle);

            influx.stop();
            for (int c = 2; c < 10; c++) {
                long errors = t.status().writeErrors();
                send(t, cycle(c, perCycle));
                // one cycle per failed attempt: the sender keeps trying while the target is down
                Waits.until("a failed attempt", WAIT, () -> t.status().writeErrors() > errors);
            }
            DeliveryStatus during = t.status();
            assertThat(during.linesBuffered()).isEqualTo(buffer);
            assertThat(during.linesDropped()).isEqualTo(8 * perCycle - buffer);

            influx.start();
            Waits.until("the buffer is sent", WAIT, () -> t.status().linesBuffered() == 0);
        } finally {
            t.close();
        }
        DeliveryStatus after = t.status();
        assertThat(after.linesSent()).isEqualTo(2 * perCycle + buffer);
        assertThat(after.linesDropped()).isEqualTo(8 * perCycle - buffer);
        assertThat(after.reconnects()).as("recoveries").isEqualTo(1);

        Map<String, Long> perCycleInDb = new TreeMap<>(influx.query("outage_it", "SELECT * FROM cycle").stream()
                .collect(Collectors.groupingBy(r -> r.get("n"), Collectors.counting())));
        // the oldest lines of the outage were dropped: cycles 2..5; 6..9 waited and arrived
        assertThat(perCycleInDb.keySet()).isEqualTo(Set.of("0", "1", "6", "7", "8", "9"));
        assertThat(perCycleInDb.values()).containsOnly((long) perCycle);
    }

    private static String[] cycle(int n, int lines) {
        long ts = 1_700_000_000_000_000_000L + n * 1_000_000_000L;
        return IntStream.range(0, lines).mapToObj(i -> "cycle,i=" + i + " n=" + n + "i " + ts).toArray(String[]::new);
    }
}
