package dev.osgimon.prometheus.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import dev.osgimon.api.model.Kind;
import dev.osgimon.testing.TestCycle;

/** The remote-write records of hand-built cycles, read back with protobuf-java. */
class RemoteWriteEncoderTest {

    private static final long T = 1_700_000_000_123_456_789L;
    private static final long MS = 1_700_000_000_123L;

    private final RemoteWriteEncoder encoder = new RemoteWriteEncoder();

    private List<String> encode(TestCycle cycle, int expectedRecords) {
        int records = encoder.encode(cycle);
        List<String> series = RemoteWriteDecoder.decode(encoder.buffer(), 0, encoder.size());
        assertThat(records).isEqualTo(expectedRecords).isEqualTo(series.size());
        return series;
    }

    @Test
    void fieldsAndHistogramsBecomeSortedSeriesAtTheCycleTimestamp() {
        TestCycle cycle = new TestCycle(T).global("vm", "vm-1")
                .point("jvm.memory").tag("pool name", "G1 \"Eden\"\n\u00e9\ud83d\ude00").tag("Zone", "z")
                .field("used", 123L, Kind.GAUGE, "By", "Heap used")
                .gauge("ratio", 0.25)
                .gauge("up", true)
                .gauge("state", "RUNNING")
                .unsigned("big", -1L, Kind.GAUGE, "")
                .point("http").field("requests", 7L, Kind.COUNTER, "{request}", "")
                .point("http_latency").tag("route", "/a")
                .histogram("s", "", new double[] {0.005, 0.1}, new long[] {1, 2, 3}, 4.5);
        assertThat(encode(cycle, 10)).containsExactly(
                "{Zone=\"z\",__name__=\"jvm_memory_used_bytes\",pool_name=\"G1 \"Eden\"\n\u00e9\ud83d\ude00\",vm=\"vm-1\"} 123.0 @" + MS,
                "{Zone=\"z\",__name__=\"jvm_memory_ratio\",pool_name=\"G1 \"Eden\"\n\u00e9\ud83d\ude00\",vm=\"vm-1\"} 0.25 @" + MS,
                "{Zone=\"z\",__name__=\"jvm_memory_up\",pool_name=\"G1 \"Eden\"\n\u00e9\ud83d\ude00\",vm=\"vm-1\"} 1.0 @" + MS,
                "{Zone=\"z\",__name__=\"jvm_memory_big\",pool_name=\"G1 \"Eden\"\n\u00e9\ud83d\ude00\",vm=\"vm-1\"} 1.8446744073709552E19 @" + MS,
                "{__name__=\"http_requests_total\",vm=\"vm-1\"} 7.0 @" + MS,
                "{__name__=\"http_latency_seconds_bucket\",le=\"0.005\",route=\"/a\",vm=\"vm-1\"} 1.0 @" + MS,
                "{__name__=\"http_latency_seconds_bucket\",le=\"0.1\",route=\"/a\",vm=\"vm-1\"} 3.0 @" + MS,
                "{__name__=\"http_latency_seconds_bucket\",le=\"+Inf\",route=\"/a\",vm=\"vm-1\"} 6.0 @" + MS,
                "{__name__=\"http_latency_seconds_sum\",route=\"/a\",vm=\"vm-1\"} 4.5 @" + MS,
                "{__name__=\"http_latency_seconds_count\",route=\"/a\",vm=\"vm-1\"} 6.0 @" + MS);
    }

    @Test
    void aCycleWithoutNumbersEncodesNothing() {
        assertThat(encode(new TestCycle(T), 0)).isEmpty();
        assertThat(encode(new TestCycle(T).point("m").gauge("s", "text"), 0)).isEmpty();
        assertThat(encoder.size()).isZero();
        assertThat(encoder.format()).isEqualTo("prometheus-remote-write-1");
    }

    @Test
    void unsignedValuesRoundAsPrometheusReadsTheirDigits() {
        long[] values = {Long.MIN_VALUE, -1L, -2L, Long.MIN_VALUE + 1, 0x8000_0000_0000_0401L, 0xFFFF_FFFF_FFFF_F400L,
                0x8000_0000_0000_0C00L, 0x8000_0000_0000_0400L};
        for (long v : values) {
            assertThat(RemoteWriteEncoder.unsigned(v)).as(Long.toUnsignedString(v))
                    .isEqualTo(Double.parseDouble(Long.toUnsignedString(v)));
        }
    }

    @Test
    void recordsOfSeveralCyclesConcatenateIntoOneRequest() {
        TestCycle first = new TestCycle(1_000_000_000L).point("m").gauge("v", 1L);
        TestCycle second = new TestCycle(2_000_000_000L).point("m").gauge("v", 2L).point("n").gauge("w", 3.5);
        encoder.encode(first);
        byte[] a = Arrays.copyOf(encoder.buffer(), encoder.size());
        encoder.encode(second);
        byte[] both = new byte[a.length + encoder.size()];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(encoder.buffer(), 0, both, a.length, encoder.size());
        assertThat(RemoteWriteDecoder.decode(both, 0, both.length)).containsExactly(
                "{__name__=\"m_v\"} 1.0 @1000", "{__name__=\"m_v\"} 2.0 @2000", "{__name__=\"n_w\"} 3.5 @2000");
    }

    /** Collisions after mapping: remote write keeps exactly the series the scrape endpoint serves. */
    @Test
    void keepsTheSameSeriesAsTheScrapeEndpoint() {
        TestCycle cycle = new TestCycle(T).global("vm", "v")
                .point("a.b").gauge("c", 1L)
                .point("a_b").gauge("c", 2L)
                .point("x").field("n", 3L, Kind.COUNTER, "", "")
                .point("x").gauge("n_total", 4L)
                .point("h").histogram("", "", new double[] {1}, new long[] {1, 1}, 2)
                .point("h").gauge("count", 5L)
                .point("t").tag("a-b", "1").tag("a.b", "2").gauge("v", 6L)
                .point("q").tag("le", "x").histogram("", "", new double[] {1}, new long[] {0, 1}, 3)
                .point("u").gauge("t", 1L).point("u").field("t", 2.0, Kind.GAUGE, "s", "")
                .point("w").tag("k", "1").gauge("v", 7L).point("w").tag("k", "2").gauge("v", 8L);
        List<String> pushed = new ArrayList<>();
        for (String s : encode(cycle, 10)) {
            pushed.add(s.substring(0, s.lastIndexOf(" @")));
        }
        List<String> scraped = new ArrayList<>();
        String text = new String(new SnapshotBuilder().build(cycle).bytes(Format.TEXT, false), StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            if (!line.startsWith("#") && !line.startsWith("osgimon_prometheus_")) {
                scraped.add(sortedLabels(line));
            }
        }
        assertThat(pushed).containsExactlyInAnyOrderElementsOf(scraped);
    }

    /** A text exposition sample ({@code name{b="1",a="2"} 3}) as the decoder writes it, labels sorted. */
    private static String sortedLabels(String line) {
        int brace = line.indexOf('{');
        int space = line.lastIndexOf(' ');
        String name = brace < 0 ? line.substring(0, space) : line.substring(0, brace);
        TreeMap<String, String> labels = new TreeMap<>();
        labels.put("__name__", name);
        if (brace >= 0) {
            String body = line.substring(brace + 1, line.lastIndexOf('}'));
            for (String pair : body.split(",")) { // the values of this test have no comma or escape
                int eq = pair.indexOf('=');
                labels.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
            }
        }
        StringBuilder b = new StringBuilder("{");
        labels.forEach((k, v) -> b.append(b.length() == 1 ? "" : ",").append(k).append("=\"").append(v).append('"'));
        String value = line.substring(space + 1);
        return b.append("} ").append(String.format(Locale.ROOT, "%s", Double.parseDouble(value.replace("+Inf", "Infinity"))))
                .toString();
    }

    @Test
    void aCycleLikeTheLastIsEncodedWithoutAllocating() {
        TestCycle cycle = new TestCycle(T).global("vm", "vm-1");
        for (int i = 0; i < 50; i++) {
            cycle.point("m" + i % 10).tag("pool", "p" + i).field("used", (long) i, Kind.GAUGE, "By", "")
                    .field("count", (long) i, Kind.COUNTER, "", "").gauge("up", true);
        }
        cycle.point("lat").histogram("s", "", new double[] {0.01, 0.1, 1}, new long[] {1, 2, 3, 4}, 1.5);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 3000; i++) {
            encoder.encode(cycle);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1000; i++) {
            encoder.encode(cycle);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated by 1000 encodings of a 156-series cycle").isLessThan(1024);
    }
}
