package dev.osgimon.web.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.osgimon.api.model.Kind;
import dev.osgimon.api.model.ValueType;
import dev.osgimon.testing.TestCycle;

class OverviewTest {

    private static final double[] BOUNDS = {0.01, 0.1};

    private final History history = new History(10, 500);
    private final Overview overview = new Overview(history);

    private static TestCycle cycle(int second) {
        return new TestCycle(second * 1_000_000_000L);
    }

    private static TestCycle requests(TestCycle c, long total, long fourxx) {
        return c.point("http_response").field("total", ValueType.LONG, total, Kind.COUNTER, "{response}", "")
                .field("4xx", ValueType.LONG, fourxx, Kind.COUNTER, "{response}", "");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> chart(Map<String, Object> o, String id) {
        return ((List<Map<String, Object>>) o.get("charts")).stream().filter(c -> c.get("id").equals(id)).findFirst()
                .orElse(null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> line(Map<String, Object> chart, String label) {
        return ((List<Map<String, Object>>) chart.get("lines")).stream().filter(l -> l.get("label").equals(label))
                .findFirst().orElseThrow();
    }

    @Test
    void onlyTheChartsWhoseSourcesWroteAreThere() {
        history.add(cycle(1).point("jvm_memory", "area", "heap", "vm", "a")
                .field("used", ValueType.LONG, 100L, Kind.GAUGE, "By", "")
                .point("jvm_memory", "area", "nonheap").field("used", ValueType.LONG, 7L, Kind.GAUGE, "By", ""));
        Map<String, Object> o = overview.overview(0);
        assertThat((List<?>) o.get("charts")).hasSize(1);
        Map<String, Object> heap = chart(o, "heap");
        assertThat(heap).containsEntry("unit", "By").containsEntry("title", "Heap used");
        assertThat((Double[]) line(heap, "used").get("v")).as("heap only, global tags allowed").containsExactly(100.0);
        assertThat(o.get("health")).as("no health source").isNull();
    }

    @Test
    void requestsAreARatePerSecondWithTheirIncreaseAndANewSinceSlicesTheNewCycles() {
        history.add(requests(cycle(10), 100, 3));
        history.add(requests(cycle(12), 140, 23));
        history.add(requests(cycle(13), 5, 0)); // the http source restarted
        Map<String, Object> o = overview.overview(0);
        assertThat((long[]) o.get("t")).containsExactly(10_000, 12_000, 13_000);
        Map<String, Object> fourxx = line(chart(o, "requests"), "4xx");
        assertThat((Double[]) fourxx.get("v")).containsExactly(null, 10.0, 0.0);
        assertThat((Double[]) fourxx.get("inc")).containsExactly(null, 20.0, 0.0);
        assertThat((Double[]) fourxx.get("dt")).containsExactly(null, 2.0, 1.0);
        assertThat((Double[]) line(chart(o, "requests"), "all").get("v")).as("a restart is no negative rate")
                .containsExactly(null, 20.0, 5.0);
        Map<String, Object> later = overview.overview(12_000);
        assertThat((long[]) later.get("t")).containsExactly(13_000);
        assertThat((Double[]) line(chart(later, "requests"), "all").get("v")).containsExactly(5.0);
    }

    @Test
    void logEntriesArePerMinute() {
        history.add(cycle(0).point("log_entries", "level", "error").field("count", ValueType.LONG, 0L, Kind.COUNTER, "{entry}", "")
                .point("log_entries", "level", "warn").field("count", ValueType.LONG, 2L, Kind.COUNTER, "{entry}", ""));
        history.add(cycle(10).point("log_entries", "level", "error").field("count", ValueType.LONG, 5L, Kind.COUNTER, "{entry}", "")
                .point("log_entries", "level", "warn").field("count", ValueType.LONG, 2L, Kind.COUNTER, "{entry}", ""));
        Map<String, Object> log = chart(overview.overview(0), "log");
        assertThat(log).containsEntry("unit", "{entry}/min");
        assertThat((Double[]) line(log, "error").get("v")).containsExactly(null, 30.0);
        assertThat((Double[]) line(log, "warn").get("v")).containsExactly(null, 0.0);
    }

    @Test
    void latencyQuantilesAreOverEachIntervalAndEveryRouteSummed() {
        // route a: 4 fast requests, then 2 more fast; route b: 0, then 2 slow ones (0.1 < x)
        history.add(cycle(1).point("http_latency", "route", "a").histogram(BOUNDS, new long[] {4, 0, 0}, 0.01, 0.001, 0.002, "s")
                .point("http_latency", "route", "b").histogram(BOUNDS, new long[] {0, 0, 0}, 0, Double.NaN, Double.NaN, "s"));
        history.add(cycle(2).point("http_latency", "route", "a").histogram(BOUNDS, new long[] {6, 0, 0}, 0.02, 0.001, 0.002, "s")
                .point("http_latency", "route", "b").histogram(BOUNDS, new long[] {0, 0, 2}, 1, 0.5, 0.5, "s"));
        history.add(cycle(3).point("http_latency", "route", "a").histogram(BOUNDS, new long[] {6, 0, 0}, 0.02, 0.001, 0.002, "s")
                .point("http_latency", "route", "b").histogram(BOUNDS, new long[] {0, 0, 2}, 1, 0.5, 0.5, "s"));
        Map<String, Object> latency = chart(overview.overview(0), "latency");
        assertThat(latency).containsEntry("unit", "s");
        Double[] p50 = (Double[]) line(latency, "p50").get("v");
        Double[] p99 = (Double[]) line(latency, "p99").get("v");
        // interval 2: 2 values ≤ 0.01 (a) and 2 in +Inf (b): rank 2 of 4 reaches the first bucket's bound
        assertThat(p50[1]).isCloseTo(0.01, within(1e-12));
        assertThat(p99[1]).as("in +Inf: the highest finite bound").isEqualTo(0.1);
        assertThat(p50[0]).as("no interval before the first cycle").isNull();
        assertThat(p50[2]).as("nothing recorded in the interval").isNull();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> names(Map<String, Object> health) {
        return ((List<Map<String, Object>>) health.get("failing")).stream().map(f -> f.get("name")).toList();
    }

    @Test
    void healthIsTheWorstStatusWithTheFailingChecksOfTheSameRun() {
        history.add(cycle(1).point("health").field("status", 3).field("checks", 3)
                .point("health_check", "name", "disk").field("status", 3)
                .point("health_check", "name", "db").field("status", 1)
                .point("health_check", "name", "ok").field("status", 0));
        @SuppressWarnings("unchecked")
        Map<String, Object> h = (Map<String, Object>) overview.overview(0).get("health");
        assertThat(h).containsEntry("status", 3).containsEntry("label", "CRITICAL").containsEntry("checks", 3);
        assertThat(names(h)).containsExactly("disk", "db");
        // the failing check's bundle stopped: its series is no longer written
        history.add(cycle(2).point("health").field("status", 1).field("checks", 2)
                .point("health_check", "name", "db").field("status", 1)
                .point("health_check", "name", "ok").field("status", 0));
        @SuppressWarnings("unchecked")
        Map<String, Object> after = (Map<String, Object>) overview.overview(0).get("health");
        assertThat(after).containsEntry("status", 1).containsEntry("label", "WARN");
        assertThat(names(after)).containsExactly("db");
    }

    @Test
    void theDetailedChartDrawsACounterAsARateOrRawAGaugeAsIsAndAHistogramAsQuantiles() {
        history.add(requests(cycle(1), 10, 0).point("jvm_memory", "area", "heap")
                .field("used", ValueType.LONG, 5L, Kind.GAUGE, "By", "")
                .point("http_latency", "route", "a").histogram(BOUNDS, new long[] {0, 0, 0}, 0, Double.NaN, Double.NaN, "s"));
        history.add(requests(cycle(2), 30, 0).point("jvm_memory", "area", "heap")
                .field("used", ValueType.LONG, 6L, Kind.GAUGE, "By", "")
                .point("http_latency", "route", "a").histogram(BOUNDS, new long[] {0, 4, 0}, 0.2, 0.02, 0.08, "s"));
        History.Key total = new History.Key("http_response", Map.of(), "total");
        Map<String, Object> rate = overview.chart(total, null, Overview.DEFAULT_QUANTILES, 0);
        assertThat(rate).containsEntry("view", "rate").containsEntry("drawnUnit", "{response}/s").containsEntry("kind", "counter");
        assertThat((Double[]) line(rate, "total").get("v")).containsExactly(null, 20.0);
        Map<String, Object> raw = overview.chart(total, "raw", Overview.DEFAULT_QUANTILES, 0);
        assertThat(raw).containsEntry("view", "raw").containsEntry("drawnUnit", "{response}");
        assertThat((Double[]) line(raw, "total").get("v")).containsExactly(10.0, 30.0);
        Map<String, Object> heap = overview.chart(new History.Key("jvm_memory", Map.of("area", "heap"), "used"), "rate",
                Overview.DEFAULT_QUANTILES, 0);
        assertThat(heap).as("a gauge is drawn as is").containsEntry("view", "value");
        assertThat((Double[]) line(heap, "used").get("v")).containsExactly(5.0, 6.0);
        Map<String, Object> q = overview.chart(new History.Key("http_latency", Map.of("route", "a"), Overview.QUANTILES),
                null, new double[] {0.5, 0.9}, 0);
        assertThat(q).containsEntry("view", "quantiles").containsEntry("kind", "histogram").containsEntry("drawnUnit", "s");
        // 4 values in (0.01, 0.1]: p50 halfway, p90 at 0.9 of the bucket
        assertThat(((Double[]) line(q, "p50").get("v"))[0]).isNull();
        assertThat(((Double[]) line(q, "p50").get("v"))[1]).isCloseTo(0.055, within(1e-12));
        assertThat(((Double[]) line(q, "p90").get("v"))[1]).isCloseTo(0.091, within(1e-12));
    }

    @Test
    void quantilesAskedForAreChecked() {
        assertThat(Overview.quantiles(null)).containsExactly(0.5, 0.9, 0.99);
        assertThat(Overview.quantiles("0.25, 1")).containsExactly(0.25, 1.0);
        assertThatThrownBy(() -> Overview.quantiles("0.5,2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("within 0 and 1");
        assertThatThrownBy(() -> Overview.quantiles("half")).isInstanceOf(IllegalArgumentException.class);
    }
}
