package dev.osgimon.otlp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;

import dev.osgimon.testing.TestCycle;

/** What the encoder makes of the model: resource, grouping, start times, and the semconv names. */
class OtlpEncoderTest {

    private static final long S = 1_000_000_000L;
    private static final long JVM_START = 7 * S;

    private static ResourceMetrics decode(OtlpEncoder e, TestCycle c) throws Exception {
        int n = e.encode(c);
        ExportMetricsServiceRequest r = ExportMetricsServiceRequest.parseFrom(
                java.util.Arrays.copyOf(e.buffer(), e.size()));
        assertEquals(1, r.getResourceMetricsCount());
        int points = r.getResourceMetrics(0).getScopeMetrics(0).getMetricsList().stream().mapToInt(m -> switch (
                m.getDataCase()) {
            case GAUGE -> m.getGauge().getDataPointsCount();
            case SUM -> m.getSum().getDataPointsCount();
            default -> m.getHistogram().getDataPointsCount();
        }).sum();
        assertEquals(points, n, "encode counts the data points");
        return r.getResourceMetrics(0);
    }

    private static Map<String, Metric> byName(ResourceMetrics rm) {
        return rm.getScopeMetrics(0).getMetricsList().stream()
                .collect(Collectors.toMap(Metric::getName, Function.identity()));
    }

    private static Map<String, String> attrs(List<KeyValue> kvs) {
        return kvs.stream().collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue(),
                (a, b) -> a, java.util.LinkedHashMap::new));
    }

    @Test
    void resourceHoldsServiceHostAndGlobalTagsAndPointsKeepTheirOwnTags() throws Exception {
        OtlpEncoder e = new OtlpEncoder("osgimon", "shop", "uuid-1", "0.1.0", JVM_START);
        TestCycle c = new TestCycle(10 * S).global("vm", "web-1").global("env", "prod");
        c.point("jvm_memory").tag("area", "heap").gauge("used", 10L).gauge("max", 20L);
        c.point("jvm_memory").tag("area", "nonheap").gauge("used", 5L).gauge("max", 8L);
        c.point("osgimon").tag("target", "otlp+http").gauge("note", "a string").counter("cycles", 3L, "{cycle}");
        ResourceMetrics rm = decode(e, c);
        assertEquals(Map.of("service.name", "shop", "service.instance.id", "uuid-1", "host.name", "web-1", "env", "prod"),
                attrs(rm.getResource().getAttributesList()));
        assertEquals("dev.osgimon", rm.getScopeMetrics(0).getScope().getName());
        assertEquals("0.1.0", rm.getScopeMetrics(0).getScope().getVersion());
        Map<String, Metric> m = byName(rm);
        assertEquals(List.of("jvm_memory.used", "jvm_memory.max", "osgimon.cycles"),
                rm.getScopeMetrics(0).getMetricsList().stream().map(Metric::getName).toList(),
                "one metric per field, its points grouped; the string field is left out");
        List<NumberDataPoint> used = m.get("jvm_memory.used").getGauge().getDataPointsList();
        assertEquals(Map.of("area", "heap"), attrs(used.get(0).getAttributesList()));
        assertEquals(Map.of("area", "nonheap"), attrs(used.get(1).getAttributesList()));
        assertEquals(10L, used.get(0).getAsInt());
        assertEquals(10 * S, used.get(0).getTimeUnixNano());
        assertEquals(0, used.get(0).getStartTimeUnixNano(), "gauges have no start");
        assertTrue(m.get("osgimon.cycles").getSum().getIsMonotonic());
        assertEquals("{cycle}", m.get("osgimon.cycles").getUnit());
        assertEquals("cycles counted", m.get("osgimon.cycles").getDescription());
    }

    @Test
    void counterStartIsFixedWhileTheSourceLivesAndMovesOnAReset() throws Exception {
        OtlpEncoder e = new OtlpEncoder("osgimon", "osgimon", "id", "1", JVM_START);
        long[] values = {5, 9, 12, 2, 4};
        long[] expectedStart = {JVM_START, JVM_START, JVM_START, 30 * S, 30 * S};
        for (int i = 0; i < values.length; i++) {
            TestCycle c = new TestCycle((10 + 10 * i) * S).global("vm", "h");
            c.point("log_entries").tag("level", "error").counter("count", values[i], "{entry}");
            c.point("log_entries").tag("level", "warn").counter("count", 100L + i, "{entry}");
            if (i >= 2) {
                c.point("net").tag("interface", "eth1").counter("bytes_recv", 1000L * i, "By");
            }
            List<NumberDataPoint> counts = byName(decode(e, c)).get("log_entries.count").getSum().getDataPointsList();
            assertEquals(expectedStart[i], counts.get(0).getStartTimeUnixNano(), "error series at cycle " + i);
            assertEquals(JVM_START, counts.get(1).getStartTimeUnixNano(), "warn series at cycle " + i);
            if (i >= 2) {
                long start = byName(decode(new OtlpEncoder("osgimon", "o", "i", "1", JVM_START), c)).get("net.bytes_recv")
                        .getSum().getDataPoints(0).getStartTimeUnixNano();
                assertEquals(JVM_START, start, "a series in an encoder's first cycle started with the JVM");
            }
        }
        TestCycle c = new TestCycle(70 * S).global("vm", "h");
        c.point("net").tag("interface", "eth1").counter("bytes_recv", 1L, "By");
        c.point("net").tag("interface", "eth9").counter("bytes_recv", 1L, "By");
        List<NumberDataPoint> net = byName(decode(e, c)).get("net.bytes_recv").getSum().getDataPointsList();
        assertEquals(50 * S, net.get(0).getStartTimeUnixNano(), "a drop: reset after the last point seen");
        assertEquals(50 * S, net.get(1).getStartTimeUnixNano(), "a new series started after the previous cycle");
    }

    @Test
    void semconvRenamesConvertsAndGroups() throws Exception {
        OtlpEncoder e = new OtlpEncoder("semconv", "osgimon", "id", "1", JVM_START);
        TestCycle c = new TestCycle(10 * S).global("vm", "h");
        c.point("jvm_memory").tag("area", "heap").gauge("used", 10L);
        c.point("jvm_memory_pool").tag("pool", "G1 Eden Space").tag("area", "heap").gauge("used", 3L).gauge("max", 9L);
        c.point("jvm_memory_pool").tag("pool", "Metaspace").tag("area", "nonheap").gauge("used", 4L);
        c.point("jvm_gc").tag("gc", "G1 Young Generation").counter("count", 7L, "{collection}")
                .counter("time_ms", 250L, "ms");
        c.point("process").counter("cpu_user_s", 1.5, "s").counter("cpu_system_s", 0.5, "s")
                .gauge("threads", 42L).counter("uptime_s", 99.0, "s");
        c.point("http_latency").tag("route", "osgimon")
                .histogram(new double[] {0.1}, new long[] {3, 1}, 0.4, 0.01, 0.2, "s");
        c.point("http_server").gauge("in_flight", 2L);
        c.point("net").tag("interface", "eth0").counter("bytes_recv", 10L, "By").counter("bytes_sent", 20L, "By");
        Map<String, Metric> m = byName(decode(e, c));

        assertEquals(10L, m.get("jvm_memory.used").getGauge().getDataPoints(0).getAsInt(), "no convention: kept");
        Metric used = m.get("jvm.memory.used");
        assertFalse(used.getSum().getIsMonotonic(), "an UpDownCounter");
        assertEquals("By", used.getUnit());
        assertEquals(Map.of("jvm.memory.pool.name", "Metaspace", "jvm.memory.type", "non_heap"),
                attrs(used.getSum().getDataPoints(1).getAttributesList()));
        assertEquals(9L, m.get("jvm.memory.limit").getSum().getDataPoints(0).getAsInt());

        var gc = m.get("jvm.gc.duration").getHistogram().getDataPoints(0);
        assertEquals("s", m.get("jvm.gc.duration").getUnit());
        assertEquals(7, gc.getCount());
        assertEquals(0.25, gc.getSum(), 1e-12);
        assertEquals(List.of(7L), gc.getBucketCountsList());
        assertEquals(Map.of("jvm.gc.name", "G1 Young Generation"), attrs(gc.getAttributesList()));
        assertNull(m.get("jvm_gc.count"), "the count went into jvm.gc.duration");

        List<NumberDataPoint> cpu = m.get("process.cpu.time").getSum().getDataPointsList();
        assertEquals(2, cpu.size(), "two fields, one metric");
        assertEquals(Map.of("cpu.mode", "user"), attrs(cpu.get(0).getAttributesList()));
        assertEquals(1.5, cpu.get(0).getAsDouble());
        assertEquals(Map.of("cpu.mode", "system"), attrs(cpu.get(1).getAttributesList()));
        assertEquals(42L, m.get("jvm.thread.count").getSum().getDataPoints(0).getAsInt());
        assertEquals(Metric.DataCase.GAUGE, m.get("process.uptime").getDataCase());

        var latency = m.get("http.server.request.duration").getHistogram().getDataPoints(0);
        assertEquals(Map.of("http.route", "osgimon"), attrs(latency.getAttributesList()));
        assertEquals(List.of(0.1), latency.getExplicitBoundsList());
        assertEquals(2L, m.get("http.server.active_requests").getSum().getDataPoints(0).getAsInt());
        List<NumberDataPoint> io = m.get("system.network.io").getSum().getDataPointsList();
        assertEquals(Map.of("network.interface.name", "eth0", "network.io.direction", "receive"),
                attrs(io.get(0).getAttributesList()));
        assertEquals(Map.of("network.interface.name", "eth0", "network.io.direction", "transmit"),
                attrs(io.get(1).getAttributesList()));
    }

    @Test
    void anEmptyCycleIsNoRecordAndBadNamesAreRefused() {
        OtlpEncoder e = new OtlpEncoder("osgimon", "o", "i", "1", 0);
        assertEquals(0, e.encode(new TestCycle(S)));
        assertEquals(0, e.size());
        TestCycle strings = new TestCycle(S);
        strings.point("m").gauge("text", "only a string");
        assertEquals(0, e.encode(strings));
        assertEquals(0, e.size(), "nothing to send: no bytes");
        assertEquals("otlp-protobuf-1", e.format());
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> new OtlpEncoder("prometheus", "o", "i", "1", 0));
        assertTrue(x.getMessage().contains("osgimon or semconv"), x.getMessage());
    }
}
