package dev.osgimon.itests.influx;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.osgimon.api.transport.WriteResult;
import dev.osgimon.core.internal.transport.UdpWriter;
import dev.osgimon.itests.support.InfluxDb1;
import dev.osgimon.itests.support.Waits;

/**
 * The core's {@code udp://} transport into the {@code [[udp]]} line-protocol listener of a real
 * InfluxDB 1.6: lines packed into several datagrams all arrive, with exact values, types and tags.
 */
class UdpToInfluxDb1Test {

    private static InfluxDb1 influx;

    @BeforeAll
    static void start() {
        influx = InfluxDb1.startNew();
    }

    @AfterAll
    static void stop() {
        if (influx != null) {
            influx.close();
        }
    }

    @Test
    void linesInSeveralDatagramsArriveWithExactValuesTypesAndTags() {
        int n = 120;
        String[] lines = IntStream.range(0, n).mapToObj(i -> "udp_it,vm=itest,seq=s" + i + " count=" + i
                + "i,ratio=" + i + ".5,even=" + (i % 2 == 0) + ",label=\"line " + i + "\" " + (1_700_000_000_000_000_000L + i))
                .toArray(String[]::new);
        UdpWriter udp = new UdpWriter("127.0.0.1", influx.udpPort(), 1472);
        try {
            byte[] bytes = (String.join("\n", lines) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(udp.write(bytes, 0, bytes.length, n)).isEqualTo(WriteResult.delivered());
            Waits.until(n + " points over UDP", Duration.ofSeconds(30),
                    () -> influx.query(InfluxDb1.UDP_DATABASE, "SELECT count(count) FROM udp_it").stream()
                            .anyMatch(r -> String.valueOf(n).equals(r.get("count"))));
        } finally {
            udp.close();
        }
        List<Map<String, String>> rows = influx.query(InfluxDb1.UDP_DATABASE,
                "SELECT * FROM udp_it WHERE seq = 's7' OR seq = 's118'");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsEntry("time", "1700000000000000007").containsEntry("vm", "itest")
                .containsEntry("count", "7").containsEntry("ratio", "7.5").containsEntry("even", "false")
                .containsEntry("label", "line 7");
        assertThat(rows.get(1)).containsEntry("time", "1700000000000000118").containsEntry("count", "118")
                .containsEntry("even", "true");
        assertThat(influx.fieldTypes(InfluxDb1.UDP_DATABASE, "udp_it")).isEqualTo(Map.of("count", "integer",
                "ratio", "float", "even", "boolean", "label", "string"));
    }
}
