package dev.osgimon.core.internal.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.osgimon.api.Histogram;
import dev.osgimon.api.model.Cycle;
import dev.osgimon.api.model.Kind;
import dev.osgimon.api.model.MetricInfo;
import dev.osgimon.core.internal.catalog.Catalog;
import dev.osgimon.core.internal.catalog.SourceMetrics;

/** The structured view of a cycle, as a {@link dev.osgimon.api.model.CycleObserver} reads it. */
class CycleBufferTest {

    private final Catalog catalog = new Catalog(name -> true);

    private SourceMetrics declared(String name, dev.osgimon.api.MetricSource source) {
        return catalog.declare(name.hashCode(), name, source);
    }

    @Test
    void pointsReadBackWithTheirTagsGlobalTagsLastTypesAndValues() {
        CycleBuffer b = new CycleBuffer();
        b.globalTags(new String[] {"vm", "dc", "none"}, new String[] {"box", "eu", ""});
        b.reset(42);
        b.source(new SourceMetrics("alpha"));
        StringBuilder reused = new StringBuilder("first");
        b.point("m").tag("area", "heap").tag("empty", "").tag("vm", "ignored").tag("sb", reused)
                .field("l", -5L).fieldUnsigned("u", -1L).field("d", 0.25).field("nan", Double.NaN)
                .field("b", true).field("s", "text").field("nul", (CharSequence) null);
        reused.setLength(0);
        reused.append("changed"); // the builder is reused by the source once tag() returned
        b.source(new SourceMetrics("beta"));
        b.point("n").field("f", false);
        b.finish();

        assertThat(b.timestampNanos()).isEqualTo(42);
        assertThat(b.points()).isEqualTo(2);
        assertThat(b.source(0)).isEqualTo("alpha");
        assertThat(b.source(1)).isEqualTo("beta");
        assertThat(b.measurement(0)).isEqualTo("m");
        assertThat(tags(b, 0)).containsExactly("area=heap", "sb=first", "vm=box", "dc=eu");
        assertThat(tags(b, 1)).containsExactly("vm=box", "dc=eu");
        assertThat(b.globalTags()).as("vm and dc; the empty one is left out").isEqualTo(2);
        assertThat(b.fields(0)).isEqualTo(5);
        List<Object> fields = new ArrayList<>();
        for (int f = 0; f < b.fields(0); f++) {
            fields.add(b.fieldKey(0, f) + ":" + b.type(0, f));
        }
        assertThat(fields).containsExactly("l:LONG", "u:UNSIGNED", "d:DOUBLE", "b:BOOLEAN", "s:STRING");
        assertThat(b.longValue(0, 0)).isEqualTo(-5L);
        assertThat(b.longValue(0, 1)).isEqualTo(-1L);
        assertThat(b.numeric(0, 1)).as("unsigned read as unsigned").isEqualTo(18446744073709551615.0);
        assertThat(b.doubleValue(0, 2)).isEqualTo(0.25);
        assertThat(b.booleanValue(0, 3)).isTrue();
        assertThat(b.numeric(0, 3)).isEqualTo(1.0);
        assertThat(b.stringValue(0, 4)).isEqualTo("text");
        assertThat(b.numeric(0, 4)).isNaN();
        assertThat(b.numeric(0, 0)).isEqualTo(-5.0);
        assertThat(b.numeric(1, 0)).isZero();
        assertThat(b.isHistogram(0)).isFalse();
        assertThatThrownBy(() -> b.fieldKey(0, 5)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> b.measurement(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> b.count(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fieldsCarryWhatTheirSourceDeclaredByNameByWildcardOrAnUndeclaredGauge() {
        SourceMetrics alpha = declared("alpha", new dev.osgimon.api.MetricSource() {
            @Override
            public void collect(dev.osgimon.api.PointWriter out) {
            }

            @Override
            public void declare(dev.osgimon.api.Declarations d) {
                d.counter("http", "requests", "{request}", "Requests").gauge("http", "*", "1", "Anything else")
                        .histogram("latency", "s", "Time to answer");
            }
        });
        SourceMetrics beta = new SourceMetrics("beta");
        CycleBuffer b = new CycleBuffer();
        for (int cycle = 0; cycle < 3; cycle++) { // the second and third take the meaning from the shape
            b.reset(cycle);
            b.source(alpha);
            b.point("http").tag("k", "v" + cycle).field("requests", 5L).field("other", 1.5);
            b.point("plain").field("x", 1L);
            new Histogram("latency", 0.1, 1).writeTo(b.point("latency"));
            b.point("undeclared_histogram").histogram(new double[] {1}, new long[] {0, 0}, 0, Double.NaN, Double.NaN);
            b.source(beta);
            b.point("http").tag("k", "v").field("requests", 7L).field("other", 2.5);
            b.finish();

            assertThat(info(b, 0, 0)).isEqualTo(tuple("alpha", "http", "requests", Kind.COUNTER, "{request}", true));
            assertThat(info(b, 0, 1)).isEqualTo(tuple("alpha", "http", "*", Kind.GAUGE, "1", true));
            assertThat(info(b, 1, 0)).isEqualTo(tuple("alpha", "plain", "x", Kind.GAUGE, "", false));
            MetricInfo latency = b.histogramInfo(2);
            assertThat(latency.kind()).isEqualTo(Kind.HISTOGRAM);
            assertThat(latency.unit()).isEqualTo("s");
            assertThat(latency.declared()).isTrue();
            assertThat(b.histogramInfo(3).kind()).as("a histogram written without declaration").isEqualTo(Kind.HISTOGRAM);
            assertThat(b.histogramInfo(3).declared()).isFalse();
            assertThat(info(b, 4, 0)).as("another source's point of the same shape")
                    .isEqualTo(tuple("beta", "http", "requests", Kind.GAUGE, "", false));
        }
        assertThat(catalog.metrics("alpha")).extracting(MetricInfo::measurement, MetricInfo::field, MetricInfo::declared)
                .containsExactly(tuple("http", "*", true), tuple("http", "requests", true), tuple("latency", "", true),
                        tuple("plain", "x", false), tuple("undeclared_histogram", "", false));
    }

    private static org.assertj.core.groups.Tuple info(Cycle c, int p, int f) {
        MetricInfo m = c.info(p, f);
        return tuple(m.source(), m.measurement(), m.field(), m.kind(), m.unit(), m.declared());
    }

    @Test
    void aHistogramKeepsItsBucketsBoundsCountSumMinAndMaxCopied() {
        CycleBuffer b = new CycleBuffer();
        b.globalTags(new String[] {"vm"}, new String[] {"box"});
        b.reset(1);
        double[] bounds = {0.5, 1, 2.5};
        long[] counts = {3, 0, 2, 1};
        b.point("lat").tag("route", "/a").histogram(bounds, counts, 7.25, 0.1, 9.5);
        bounds[0] = 0.25;
        counts[0] = 99; // the caller's arrays are only read during the call
        b.point("after").field("f", 1L);
        b.finish();

        assertThat(b.points()).isEqualTo(2);
        assertThat(b.isHistogram(0)).isTrue();
        assertThat(b.fields(0)).isZero();
        assertThat(tags(b, 0)).containsExactly("route=/a", "vm=box");
        assertThat(b.buckets(0)).isEqualTo(4);
        assertThat(List.of(b.bound(0, 0), b.bound(0, 1), b.bound(0, 2), b.bound(0, 3)))
                .containsExactly(0.5, 1.0, 2.5, Double.POSITIVE_INFINITY);
        assertThat(List.of(b.bucketCount(0, 0), b.bucketCount(0, 1), b.bucketCount(0, 2), b.bucketCount(0, 3)))
                .containsExactly(3L, 0L, 2L, 1L);
        assertThat(b.count(0)).isEqualTo(6);
        assertThat(b.sum(0)).isEqualTo(7.25);
        assertThat(b.min(0)).isEqualTo(0.1);
        assertThat(b.max(0)).isEqualTo(9.5);
        assertThat(b.lines()).as("4 bucket rows, the summary row, the plain point").isEqualTo(6);
        assertThat(b.isHistogram(1)).isFalse();
        assertThatThrownBy(() -> b.bound(0, 4)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aMalformedHistogramIsRefusedAndOnlyItsPointDropped() {
        CycleBuffer b = new CycleBuffer();
        b.reset(1);
        b.point("before").field("f", 1L);
        assertThatThrownBy(() -> b.point("h").histogram(new double[] {1, 1}, new long[] {0, 0, 0}, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bound 1");
        assertThatThrownBy(() -> b.point("h").histogram(new double[] {Double.NaN}, new long[] {0, 0}, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not finite");
        assertThatThrownBy(() -> b.point("h").histogram(new double[] {1}, new long[] {0}, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one count more than bounds");
        assertThatThrownBy(() -> b.point("h").histogram(new double[] {1}, new long[] {0, -1}, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> b.point("h").histogram(null, new long[] {0}, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without bounds");
        assertThatThrownBy(() -> b.point("h").tag("le", "x").histogram(new double[] {1}, new long[] {0, 1}, 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clashes");
        assertThatThrownBy(() -> b.point("h").field("f", 1L).histogram(new double[] {1}, new long[] {0, 1}, 1, 1, 1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("after a field");
        b.point("g").histogram(new double[] {1}, new long[] {0, 1}, 1, 1, 1);
        assertThatThrownBy(() -> b.field("f", 1L)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("after the histogram");
        assertThatThrownBy(() -> b.tag("t", "x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.histogram(new double[] {1}, new long[] {0, 1}, 1, 1, 1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("twice");
        b.point("counted").field("count", 1.5);
        assertThatThrownBy(() -> b.point("counted").histogram(new double[] {1}, new long[] {0, 1}, 1, 1, 1))
                .as("count was written as a double before").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'count'");
        b.point("after").field("f", 2L);
        b.finish();
        List<String> kept = new ArrayList<>();
        for (int p = 0; p < b.points(); p++) {
            kept.add(b.measurement(p));
        }
        // a misuse (IllegalStateException) leaves the point as it was: h keeps its field
        assertThat(kept).containsExactly("before", "h", "g", "counted", "after");
        assertThat(b.lines()).isEqualTo(1 + 1 + 3 + 1 + 1);
    }

    @Test
    void rollbackForgetsEveryPointSinceTheMarkHistogramsToo() {
        CycleBuffer b = new CycleBuffer();
        b.reset(1);
        b.point("kept").tag("t", "a").field("f", 1L);
        b.point("kept_h").histogram(new double[] {1}, new long[] {1, 0}, 0.5, 0.5, 0.5);
        b.finish();
        int mark = b.points();
        int lines = b.lines();
        b.point("lost").tag("t", "b").field("f", 2L).field("s", "x");
        b.point("lost_h").histogram(new double[] {1, 2}, new long[] {1, 1, 1}, 3, 0.5, 2.5);
        b.point("open").tag("t", "c");
        b.rollback(mark);
        assertThat(b.points()).isEqualTo(mark);
        assertThat(b.lines()).isEqualTo(lines);
        b.point("next").tag("u", "d").field("g", 3.5);
        b.point("next_h").histogram(new double[] {5}, new long[] {2, 0}, 4, 1, 3);
        b.finish();

        assertThat(b.points()).isEqualTo(4);
        assertThat(List.of(b.measurement(0), b.measurement(1), b.measurement(2), b.measurement(3)))
                .containsExactly("kept", "kept_h", "next", "next_h");
        assertThat(tags(b, 0)).containsExactly("t=a");
        assertThat(tags(b, 2)).containsExactly("u=d");
        assertThat(b.fieldKey(2, 0)).isEqualTo("g");
        assertThat(b.doubleValue(2, 0)).isEqualTo(3.5);
        assertThat(b.buckets(1)).isEqualTo(2);
        assertThat(b.buckets(3)).isEqualTo(2);
        assertThat(b.bound(3, 0)).isEqualTo(5.0);
        assertThat(b.count(3)).isEqualTo(2);
        assertThat(b.lines()).as("a histogram of one bound takes 3 lines").isEqualTo(1 + 3 + 1 + 3);
    }

    /** Once its arrays have grown, a cycle allocates nothing per point (String values). */
    @Test
    void aWarmBufferAllocatesNothingPerPoint() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        CycleBuffer b = new CycleBuffer();
        b.globalTags(new String[] {"vm"}, new String[] {"box"});
        SourceMetrics source = new SourceMetrics("alpha");
        Histogram h = new Histogram("lat", 0.1, 1, 10);
        h.record(0.5);
        String[] pools = {"G1 Eden", "G1 Old Gen", "Metaspace"};
        LineRenderer r = new LineRenderer(1024);
        for (int i = 0; i < 3000; i++) {
            cycle(b, source, h, pools, i);
            r.render(b);
        }
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 1000; i++) {
            cycle(b, source, h, pools, i);
            r.render(b);
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertThat(allocated).as("bytes for 1,000 cycles of 321 points, written and rendered").isLessThan(4096);
    }

    private static void cycle(CycleBuffer b, SourceMetrics source, Histogram h, String[] pools, int i) {
        b.reset(i);
        b.source(source);
        for (int p = 0; p < 100; p++) {
            b.point("jvm_memory_pool").tag("pool", pools[p % 3]).tag("area", "heap")
                    .field("used", (long) i * p).field("usage", 0.25 * p).field("ok", true).field("state", "ok");
            h.collect(b, "route", pools[p % 3]);
            b.point("other").fieldUnsigned("n", p);
        }
        for (int p = 0; p < 20; p++) { // two shapes in turn in one measurement, a left-out tag in one of them
            b.point("alternating").tag("a", p % 2 == 0 ? "x" : "").field("f", (long) p);
            if (p % 2 == 1) {
                b.field("g", 2L);
            }
        }
        b.point("last").field("v", 1.5);
        b.finish();
    }

    /** Points of one measurement in more shapes than a slot keeps: each reads back its own keys, cycle after cycle. */
    @Test
    void aMeasurementInManyShapesReadsBackEachPointsOwnKeysAndMeanings() {
        SourceMetrics alpha = new SourceMetrics("alpha");
        SourceMetrics beta = new SourceMetrics("beta");
        CycleBuffer b = new CycleBuffer();
        LineRenderer r = new LineRenderer(64);
        for (int cycle = 0; cycle < 3; cycle++) {
            b.reset(1);
            StringBuilder want = new StringBuilder();
            for (int p = 0; p < 20; p++) {
                b.source(p % 4 == 3 ? beta : alpha);
                b.point("m");
                if (p % 3 == 0) {
                    b.tag("t", "v");
                }
                want.append(p % 3 == 0 ? "m,t=v " : "m ");
                for (int f = 0; f <= p % 12; f++) {
                    b.field("f" + (p % 12 - f), (long) f); // other String objects each cycle, in another order
                    want.append(f == 0 ? "" : ",").append("f").append(p % 12 - f).append('=').append(f).append("i");
                }
                want.append(" 1\n");
                b.finish();
            }
            for (int p = 0; p < 20; p++) {
                assertThat(b.fields(p)).isEqualTo(p % 12 + 1);
                assertThat(b.tags(p)).isEqualTo(p % 3 == 0 ? 1 : 0);
                assertThat(b.source(p)).isEqualTo(p % 4 == 3 ? "beta" : "alpha");
                for (int f = 0; f < b.fields(p); f++) {
                    assertThat(b.fieldKey(p, f)).isEqualTo("f" + (p % 12 - f));
                    assertThat(b.longValue(p, f)).isEqualTo(f);
                    assertThat(b.info(p, f).source()).isEqualTo(b.source(p));
                    assertThat(b.info(p, f).field()).isEqualTo(b.fieldKey(p, f));
                }
            }
            r.render(b);
            assertThat(r.text()).isEqualTo(want.toString());
        }
    }

    private static List<String> tags(Cycle c, int p) {
        List<String> tags = new ArrayList<>();
        for (int t = 0; t < c.tags(p); t++) {
            tags.add(c.tagKey(p, t) + "=" + c.tagValue(p, t));
        }
        return tags;
    }
}
