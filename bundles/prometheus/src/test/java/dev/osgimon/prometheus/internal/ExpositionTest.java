package dev.osgimon.prometheus.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.osgimon.api.model.Kind;
import dev.osgimon.testing.LogCapture;
import dev.osgimon.testing.TestCycle;

/** The renderer and the snapshot builder against a hand-built cycle: every mapping rule, in both formats. */
class ExpositionTest {

    private static final long T = 1_700_000_000_123_000_000L;

    private final SnapshotBuilder builder = new SnapshotBuilder();

    private Snapshot snapshot(TestCycle cycle) {
        return builder.build(cycle);
    }

    private static String text(Snapshot s) {
        return new String(s.bytes(Format.TEXT, false), StandardCharsets.UTF_8);
    }

    private static String om(Snapshot s) {
        return new String(s.bytes(Format.OPENMETRICS, false), StandardCharsets.UTF_8);
    }

    /** The lines of a rendering that are samples (not comments), without the endpoint's own. */
    private static List<String> samples(String exposition) {
        List<String> out = new ArrayList<>();
        for (String line : exposition.split("\n")) {
            if (!line.startsWith("#") && !line.startsWith("osgimon_prometheus_")) {
                out.add(line);
            }
        }
        return out;
    }

    @Test
    void beforeTheFirstCycleOnlyTheEndpointsOwnMetrics() {
        Snapshot s = builder.empty();
        assertThat(text(s)).isEqualTo("""
                # HELP osgimon_prometheus_cycle_timestamp_seconds Timestamp of the collection cycle served (0: none collected yet)
                # TYPE osgimon_prometheus_cycle_timestamp_seconds gauge
                osgimon_prometheus_cycle_timestamp_seconds 0
                # HELP osgimon_prometheus_series Series served from that cycle, besides these
                # TYPE osgimon_prometheus_series gauge
                osgimon_prometheus_series 0
                # HELP osgimon_prometheus_refused_series_total Series refused because their mapped names or labels would collide
                # TYPE osgimon_prometheus_refused_series_total counter
                osgimon_prometheus_refused_series_total 0
                """);
        assertThat(om(s)).isEqualTo("""
                # HELP osgimon_prometheus_cycle_timestamp_seconds Timestamp of the collection cycle served (0: none collected yet)
                # TYPE osgimon_prometheus_cycle_timestamp_seconds gauge
                # UNIT osgimon_prometheus_cycle_timestamp_seconds seconds
                osgimon_prometheus_cycle_timestamp_seconds 0
                # HELP osgimon_prometheus_series Series served from that cycle, besides these
                # TYPE osgimon_prometheus_series gauge
                osgimon_prometheus_series 0
                # HELP osgimon_prometheus_refused_series Series refused because their mapped names or labels would collide
                # TYPE osgimon_prometheus_refused_series counter
                osgimon_prometheus_refused_series_total 0
                # EOF
                """);
    }

    @Test
    void theCycleTimestampAndSeriesCountAreServedWithoutSampleTimestamps() {
        Snapshot s = snapshot(new TestCycle(T).point("m").gauge("a", 1).gauge("b", 2));
        String text = text(s);
        assertThat(text).contains("osgimon_prometheus_cycle_timestamp_seconds 1.700000000123E9\n")
                .contains("osgimon_prometheus_series 2\n");
        for (String line : text.split("\n")) {
            if (!line.startsWith("#")) {
                assertThat(line.split(" ")).as("name and value, no timestamp: " + line).hasSize(2);
            }
        }
    }

    @Test
    void metricNamesAreSanitized() {
        Snapshot s = snapshot(new TestCycle(T)
                .point("jvm.memory-pool").gauge("used bytes", 1)
                .point("1min").gauge("load", 2)
                .point("ns:sub").gauge("é", 3));
        assertThat(samples(text(s))).containsExactly("jvm_memory_pool_used_bytes 1", "_1min_load 2", "ns:sub__ 3");
    }

    @Test
    void unitSuffixesFollowTheDeclaredUnitInBothFormats() {
        TestCycle c = new TestCycle(T).point("u")
                .field("a", 1, Kind.GAUGE, "s", "")
                .field("b", 1, Kind.GAUGE, "ms", "")
                .field("c", 1, Kind.GAUGE, "us", "")
                .field("d", 1, Kind.GAUGE, "ns", "")
                .field("e", 1, Kind.GAUGE, "By", "")
                .field("f", 1.5, Kind.GAUGE, "1", "")
                .field("g", 1, Kind.COUNTER, "1", "")
                .field("h", 1, Kind.GAUGE, "%", "")
                .field("i", 1, Kind.COUNTER, "{request}", "")
                .field("uptime_seconds", 1, Kind.GAUGE, "s", "")
                .field("rx", 1, Kind.GAUGE, "By/s", "")
                .field("age_s", 1, Kind.GAUGE, "s", "")
                .field("time_ms", 1, Kind.COUNTER, "ms", "");
        Snapshot s = snapshot(c);
        List<String> expected = List.of("u_a_seconds 1", "u_b_milliseconds 1", "u_c_microseconds 1", "u_d_nanoseconds 1",
                "u_e_bytes 1", "u_f_ratio 1.5", "u_g_total 1", "u_h_percent 1", "u_i_total 1", "u_uptime_seconds 1",
                "u_rx_bytes_per_second 1", "u_age_seconds 1", "u_time_milliseconds_total 1");
        assertThat(samples(text(s))).containsExactlyElementsOf(expected);
        assertThat(samples(om(s))).as("PromQL must not change with Accept").containsExactlyElementsOf(expected);
        assertThat(om(s)).contains("# UNIT u_a_seconds seconds\n", "# UNIT u_f_ratio ratio\n", "# UNIT u_e_bytes bytes\n")
                .doesNotContain("# UNIT u_g ").doesNotContain("# UNIT u_i ");
        assertThat(text(s)).doesNotContain("# UNIT");
    }

    @Test
    void countersCarryTotalOnceInBothFormats() {
        Snapshot s = snapshot(new TestCycle(T)
                .point("http_requests").tag("method", "GET").field("total", 7, Kind.COUNTER, "{request}", "Requests")
                .point("process").field("cpu_time_total", 2.5, Kind.COUNTER, "s", "CPU time")
                .point("net").field("rx", 9, Kind.COUNTER, "By", ""));
        String text = text(s);
        assertThat(text).contains("""
                # HELP http_requests_total Requests
                # TYPE http_requests_total counter
                http_requests_total{method="GET"} 7
                # HELP process_cpu_time_seconds_total CPU time
                # TYPE process_cpu_time_seconds_total counter
                process_cpu_time_seconds_total 2.5
                # TYPE net_rx_bytes_total counter
                net_rx_bytes_total 9
                """);
        assertThat(om(s)).contains("""
                # HELP http_requests Requests
                # TYPE http_requests counter
                http_requests_total{method="GET"} 7
                # HELP process_cpu_time_seconds CPU time
                # TYPE process_cpu_time_seconds counter
                # UNIT process_cpu_time_seconds seconds
                process_cpu_time_seconds_total 2.5
                # TYPE net_rx_bytes counter
                # UNIT net_rx_bytes bytes
                net_rx_bytes_total 9
                """).endsWith("# EOF\n");
    }

    @Test
    void histogramsHaveCumulativeBucketsSumAndCount() {
        Snapshot s = snapshot(new TestCycle(T).global("vm", "a")
                .point("http_latency").tag("route", "/x").histogram("s", "Request duration",
                        new double[] {0.005, 0.25, 1, 2.5}, new long[] {3, 0, 2, 1, 4}, 41.75));
        String expectedSamples = """
                http_latency_seconds_bucket{route="/x",vm="a",le="0.005"} 3
                http_latency_seconds_bucket{route="/x",vm="a",le="0.25"} 3
                http_latency_seconds_bucket{route="/x",vm="a",le="1.0"} 5
                http_latency_seconds_bucket{route="/x",vm="a",le="2.5"} 6
                http_latency_seconds_bucket{route="/x",vm="a",le="+Inf"} 10
                http_latency_seconds_sum{route="/x",vm="a"} 41.75
                http_latency_seconds_count{route="/x",vm="a"} 10
                """;
        assertThat(text(s)).contains("# HELP http_latency_seconds Request duration\n# TYPE http_latency_seconds histogram\n"
                + expectedSamples);
        assertThat(om(s)).contains("# HELP http_latency_seconds Request duration\n# TYPE http_latency_seconds histogram\n"
                + "# UNIT http_latency_seconds seconds\n" + expectedSamples);
    }

    @Test
    void histogramsWithoutTagsStillNameTheirBucket() {
        Snapshot s = snapshot(new TestCycle(T).point("lat")
                .histogram("ms", "", new double[] {1e-4, 10}, new long[] {1, 1, 0}, 5));
        assertThat(samples(text(s))).containsExactly("lat_milliseconds_bucket{le=\"0.0001\"} 1",
                "lat_milliseconds_bucket{le=\"10.0\"} 2", "lat_milliseconds_bucket{le=\"+Inf\"} 2",
                "lat_milliseconds_sum 5", "lat_milliseconds_count 2");
    }

    @Test
    void undeclaredFieldsAreGaugesBooleansAreZeroOrOneStringsAreLeftOutUnsignedStaysUnsigned() {
        Snapshot s = snapshot(new TestCycle(T).point("m")
                .gauge("n", 42)
                .gauge("neg", -3)
                .gauge("d", 0.25)
                .gauge("big", 1e20)
                .gauge("up", true)
                .gauge("down", false)
                .gauge("state", "ACTIVE")
                .unsigned("u", -1L, Kind.COUNTER, ""));
        String text = text(s);
        assertThat(samples(text)).containsExactly("m_n 42", "m_neg -3", "m_d 0.25", "m_big 1.0E20", "m_up 1", "m_down 0",
                "m_u_total 18446744073709551615");
        assertThat(text).contains("# TYPE m_n gauge\n").doesNotContain("state").doesNotContain("ACTIVE")
                .contains("osgimon_prometheus_series 7\n");
    }

    @Test
    void helpIsEscapedPerFormat() {
        Snapshot s = snapshot(new TestCycle(T).point("m").field("x", 1, Kind.GAUGE, "", "a\\b\nc \"q\" é"));
        assertThat(text(s)).contains("# HELP m_x a\\\\b\\nc \"q\" é\n");
        assertThat(om(s)).contains("# HELP m_x a\\\\b\\nc \\\"q\\\" é\n");
    }

    @Test
    void labelsAreTagsAndGlobalTagsWithNamesMappedAndValuesEscapedExactly() {
        Snapshot s = snapshot(new TestCycle(T).global("vm", "host-1")
                .point("m").tag("content-type", "a\\b\"c\nd é").tag("__name__", "x").tag("1st", "y").tag("_ok", "z")
                .gauge("v", 1));
        String expected = "m_v{content_type=\"a\\\\b\\\"c\\nd é\",_name__=\"x\",_1st=\"y\",_ok=\"z\",vm=\"host-1\"} 1";
        assertThat(samples(text(s))).containsExactly(expected);
        assertThat(samples(om(s))).containsExactly(expected);
    }

    @Test
    void samplesOfOneFamilyAreContiguousWhateverThePointOrder() {
        Snapshot s = snapshot(new TestCycle(T)
                .point("m").tag("k", "1").gauge("x", 1)
                .point("other").gauge("y", 2)
                .point("m").tag("k", "2").gauge("x", 3));
        assertThat(samples(text(s))).containsExactly("m_x{k=\"1\"} 1", "m_x{k=\"2\"} 3", "other_y 2");
        assertThat(text(s).split("# TYPE m_x gauge", -1)).as("one TYPE line for the family").hasSize(2);
    }

    @Test
    void twoMeasurementsMappingToOneFamilyWithTheSameKindAndUnitMerge() {
        Snapshot s = snapshot(new TestCycle(T)
                .point("a.b").tag("src", "one").field("c", 1, Kind.COUNTER, "s", "first")
                .point("a_b").tag("src", "two").field("c", 2, Kind.COUNTER, "s", "second"));
        assertThat(samples(text(s))).containsExactly("a_b_c_seconds_total{src=\"one\"} 1", "a_b_c_seconds_total{src=\"two\"} 2");
        assertThat(text(s)).contains("# HELP a_b_c_seconds_total first\n").doesNotContain(" second")
                .contains("osgimon_prometheus_refused_series_total 0\n");
    }

    @Test
    void aFamilyNameWithAnotherKindIsRefusedCountedAndLoggedOncePerName() {
        String log;
        Snapshot second;
        try (LogCapture capture = new LogCapture()) {
            TestCycle c = new TestCycle(T)
                    .point("a.b").field("c", 1, Kind.COUNTER, "", "")
                    .point("a_b").tag("k", "v").gauge("c", 2);
            Snapshot first = snapshot(c);
            assertThat(samples(text(first))).containsExactly("a_b_c_total 1");
            assertThat(text(first)).contains("osgimon_prometheus_refused_series_total 1\n");
            second = snapshot(c);
            log = capture.text();
        }
        assertThat(text(second)).as("the counter counts every refusal").contains("osgimon_prometheus_refused_series_total 2\n");
        assertThat(log.split("refused the series a_b_c", -1)).as("logged once per name:\n" + log).hasSize(2);
        assertThat(log).contains("a_b_c{k=\"v\"}").contains("gauge here and a counter elsewhere");
    }

    @Test
    void aFamilyNameWithAnotherUnitIsRefused() {
        Snapshot s = snapshot(new TestCycle(T)
                .point("m").tag("k", "1").field("t_seconds", 1, Kind.GAUGE, "s", "")
                .point("m").tag("k", "2").field("t", 2, Kind.GAUGE, "s", "")
                .point("m").tag("k", "3").field("t_seconds", 3, Kind.GAUGE, "", ""));
        assertThat(samples(text(s))).containsExactly("m_t_seconds{k=\"1\"} 1", "m_t_seconds{k=\"2\"} 2");
        assertThat(text(s)).contains("osgimon_prometheus_refused_series_total 1\n");
    }

    @Test
    void aSampleNameTakenByAnotherFamilyIsRefused() {
        Snapshot s = snapshot(new TestCycle(T)
                .point("x").histogram("", "", new double[] {1}, new long[] {1, 0}, 0.5)
                .point("x").gauge("count", 5)
                .point("y").field("z", 1, Kind.COUNTER, "", "")
                .point("y").gauge("z_total", 2));
        assertThat(samples(text(s))).containsExactly("x_bucket{le=\"1.0\"} 1", "x_bucket{le=\"+Inf\"} 1", "x_sum 0.5",
                "x_count 1", "y_z_total 1");
        assertThat(text(s)).contains("osgimon_prometheus_refused_series_total 2\n");
        // and the other way round: the gauge first takes the name, the histogram is refused
        Snapshot t = snapshot(new TestCycle(T)
                .point("x").gauge("count", 5)
                .point("x").histogram("", "", new double[] {1}, new long[] {1, 0}, 0.5));
        assertThat(samples(text(t))).containsExactly("x_count 5");
        assertThat(text(t)).contains("osgimon_prometheus_refused_series_total 3\n");
    }

    @Test
    void aDuplicateLabelSetIsRefusedWhateverTheTagOrder() {
        Snapshot s = snapshot(new TestCycle(T)
                .point("m").tag("a", "1").tag("b", "2").gauge("v", 1)
                .point("m").tag("b", "2").tag("a", "1").gauge("v", 2)
                .point("m").tag("a", "1").tag("b", "3").gauge("v", 3));
        assertThat(samples(text(s))).containsExactly("m_v{a=\"1\",b=\"2\"} 1", "m_v{a=\"1\",b=\"3\"} 3");
        assertThat(text(s)).contains("osgimon_prometheus_refused_series_total 1\n");
    }

    @Test
    void twoTagsMappingToOneLabelNameAndAHistogramTagLeAreRefused() {
        Snapshot s = snapshot(new TestCycle(T)
                .point("m").tag("a-b", "1").tag("a.b", "2").gauge("v", 1)
                .point("h").tag("le", "x").histogram("", "", new double[] {1}, new long[] {1, 0}, 1)
                .point("ok").gauge("v", 1));
        assertThat(samples(text(s))).containsExactly("ok_v 1");
        assertThat(text(s)).contains("osgimon_prometheus_refused_series_total 2\n");
    }

    @Test
    void theEndpointsOwnNamesAreNotForSources() {
        Snapshot s = snapshot(new TestCycle(T).point("osgimon_prometheus").gauge("series", 99));
        assertThat(text(s)).contains("osgimon_prometheus_series 0\n").doesNotContain(" 99")
                .contains("osgimon_prometheus_refused_series_total 1\n");
    }

    @Test
    void eachFormatIsRenderedOncePerSnapshot() {
        Snapshot s = snapshot(new TestCycle(T).point("m").gauge("v", 1));
        assertThat(s.bytes(Format.TEXT, false)).isSameAs(s.bytes(Format.TEXT, false));
        assertThat(s.bytes(Format.OPENMETRICS, true)).isSameAs(s.bytes(Format.OPENMETRICS, true));
        assertThat(s.bytes(Format.TEXT, true)).isNotSameAs(s.bytes(Format.TEXT, false));
    }

    @Test
    void anEmptyCycleServesTheEndpointsOwnMetricsWithItsTimestamp() {
        Snapshot s = snapshot(new TestCycle(2_000_000_000L));
        assertThat(samples(text(s))).isEmpty();
        assertThat(text(s)).contains("osgimon_prometheus_cycle_timestamp_seconds 2\n");
        assertThat(om(s)).endsWith("# EOF\n");
    }

    @Test
    void negativeZeroKeepsItsSign() {
        Snapshot s = snapshot(new TestCycle(T).point("m").gauge("neg", -0.0).gauge("pos", 0.0));
        assertThat(samples(text(s))).containsExactly("m_neg -0", "m_pos 0");
        assertThat(samples(om(s))).contains("m_neg -0", "m_pos 0");
    }
}
