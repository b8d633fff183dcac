package dev.osgimon.web.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.osgimon.api.model.Kind;
import dev.osgimon.api.model.ValueType;
import dev.osgimon.testing.TestCycle;

class HistoryTest {

    private static final History.Key HEAP = new History.Key("jvm_memory", Map.of("area", "heap"), "used");

    private static long t(int second) {
        return second * 1_000_000_000L;
    }

    private static TestCycle cycle(int second) {
        return new TestCycle(t(second));
    }

    @Test
    void keepsTheLastNCyclesOfEachSeriesOldestFirstWithTheirMeaning() {
        History h = new History(3, 10);
        for (int i = 1; i <= 5; i++) {
            h.add(cycle(i).point("jvm_memory", "area", "heap")
                    .field("used", ValueType.LONG, (long) i, Kind.GAUGE, "By", "heap in use")
                    .field("max", 99));
        }
        History.Points p = h.points(HEAP);
        assertThat(p.timesMillis()).containsExactly(3000, 4000, 5000);
        assertThat(p.values()).containsExactly(3.0, 4.0, 5.0);
        assertThat(h.latest(HEAP)).containsExactly(5.0, 5000.0);
        assertThat(h.keys()).hasSize(2);
        assertThat(h.meaning(HEAP)).isEqualTo(new History.Meaning(Kind.GAUGE, "By", "heap in use"));
        assertThat(h.meaning(new History.Key("jvm_memory", Map.of("area", "heap"), "max")))
                .as("an undeclared field is a gauge without unit").isEqualTo(History.Meaning.UNDECLARED);
    }

    @Test
    void unsignedAndDoubleFieldsAreKeptStringsAndBooleansAreNot() {
        History h = new History(3, 10);
        h.add(cycle(1).point("m")
                .field("u", ValueType.UNSIGNED, -1L, Kind.COUNTER, "{request}", "")
                .field("d", ValueType.DOUBLE, 1.5, null, "", "")
                .field("s", ValueType.STRING, "x", null, "", "")
                .field("b", ValueType.BOOLEAN, true, null, "", ""));
        assertThat(h.keys()).extracting(History.Key::field).containsExactly("d", "u");
        assertThat(h.latest(new History.Key("m", Map.of(), "u"))[0]).as("read as unsigned")
                .isEqualTo(1.8446744073709552E19);
        assertThat(h.meaning(new History.Key("m", Map.of(), "u")).kind()).isEqualTo(Kind.COUNTER);
    }

    @Test
    void aHistogramGivesCountSumMinAndMaxInItsUnit() {
        History h = new History(3, 10);
        h.add(cycle(1).point("http_latency", "route", "osgimon")
                .histogram(new double[] {0.01, 0.1}, new long[] {3, 2, 1}, 0.42, 0.001, 0.3, "s"));
        Map<String, String> tags = Map.of("route", "osgimon");
        assertThat(h.latest(new History.Key("http_latency", tags, "count"))[0]).isEqualTo(6.0);
        assertThat(h.latest(new History.Key("http_latency", tags, "sum"))[0]).isEqualTo(0.42);
        assertThat(h.latest(new History.Key("http_latency", tags, "max"))[0]).isEqualTo(0.3);
        assertThat(h.meaning(new History.Key("http_latency", tags, "sum")))
                .isEqualTo(new History.Meaning(Kind.COUNTER, "s", "latency"));
        assertThat(h.meaning(new History.Key("http_latency", tags, "min")).kind()).isEqualTo(Kind.GAUGE);
        // its buckets, cumulative, named by their bound
        assertThat(h.latest(new History.Key("http_latency", tags, "le=0.01"))[0]).isEqualTo(3.0);
        assertThat(h.latest(new History.Key("http_latency", tags, "le=0.1"))[0]).isEqualTo(5.0);
        assertThat(h.latest(new History.Key("http_latency", tags, "le=+Inf"))[0]).isEqualTo(6.0);
        assertThat(h.meaning(new History.Key("http_latency", tags, "le=+Inf")))
                .isEqualTo(new History.Meaning(Kind.HISTOGRAM, "s", "latency"));
        h.add(cycle(2).point("http_latency", "route", "osgimon")
                .histogram(new double[] {0.01}, new long[] {0, 0}, 0, Double.NaN, Double.NaN, "s"));
        assertThat(h.points(new History.Key("http_latency", tags, "min")).values())
                .as("no value recorded: no min").containsExactly(0.001, null);
    }

    @Test
    void aCycleWithoutTheSeriesIsAGapAndASeriesGoneForNCyclesIsEvicted() {
        History h = new History(3, 10);
        History.Key b = new History.Key("b", Map.of(), "v");
        h.add(cycle(1).point("a").field("v", 1).point("b").field("v", 1));
        h.add(cycle(2).point("a").field("v", 2));
        assertThat(h.points(b).values()).containsExactly(1.0, null);
        h.add(cycle(3).point("a").field("v", 3));
        assertThat(h.size()).isEqualTo(2);
        h.add(cycle(4).point("a").field("v", 4));
        assertThat(h.size()).as("b has no value left in the last 3 cycles").isEqualTo(1);
        assertThat(h.points(b).values()).isEmpty();
        h.add(cycle(5).point("a").field("v", 5).point("b").field("v", 5));
        assertThat(h.points(b).values()).containsExactly(null, null, 5.0);
    }

    @Test
    void seriesBeyondTheBoundAreRefusedAndCounted() {
        History h = new History(360, 2);
        h.add(cycle(1).point("m").field("a", 1).field("b", 2).field("c", 3).field("d", 4));
        assertThat(h.size()).isEqualTo(2);
        assertThat(h.refused()).isEqualTo(2);
    }

    @Test
    void memoryStaysBoundedOverManyCycles() {
        History h = new History(360, 50);
        for (int i = 0; i < 5_000; i++) {
            TestCycle c = cycle(i);
            for (int s = 0; s < 40; s++) {
                c.point("m", "s", String.valueOf(s)).field("v", s);
            }
            h.add(c);
        }
        assertThat(h.size()).isEqualTo(40);
        assertThat(h.points(new History.Key("m", Map.of("s", "7"), "v")).values()).hasSize(360).containsOnly(7.0);
        assertThat(h.cycleCount()).isEqualTo(5_000);
    }

    @Test
    void aBoundsTextAndBackAreTheSame() {
        for (double b : new double[] {0.005, 0.01, 0.1, 1, 2.5, 10, Double.POSITIVE_INFINITY}) {
            assertThat(History.bound(History.BUCKET_PREFIX + History.boundText(b))).isEqualTo(b);
        }
        assertThat(History.boundText(1.0)).isEqualTo("1");
        assertThat(History.boundText(0.005)).isEqualTo("0.005");
        assertThat(History.bound("count")).isNaN();
        assertThat(History.bound("le=fast")).isNaN();
    }

    @Test
    void badSizesAreRefused() {
        assertThatThrownBy(() -> new History(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new History(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
