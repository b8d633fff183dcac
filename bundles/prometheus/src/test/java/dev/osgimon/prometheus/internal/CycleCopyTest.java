package dev.osgimon.prometheus.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

import dev.osgimon.api.model.Cycle;
import dev.osgimon.api.model.Kind;
import dev.osgimon.api.model.MetricInfo;
import dev.osgimon.testing.TestCycle;

/** The copy a scrape reads: the cycle as it was, however the copy was used before, and no allocation once warm. */
class CycleCopyTest {

    private static TestCycle big() {
        TestCycle c = new TestCycle(7_000_000_000L).global("vm", "host-1");
        for (int i = 0; i < 100; i++) {
            c.point("m" + (i % 5)).tag("i", Integer.toString(i)).tag("j", "x")
                    .field("l", (long) i, Kind.COUNTER, "By", "bytes")
                    .field("d", i + 0.25, Kind.GAUGE, "s", "")
                    .gauge("b", i % 2 == 0)
                    .gauge("s", "text " + i)
                    .unsigned("u", -1L - i, Kind.COUNTER, "unsigned");
        }
        c.point("lat").tag("route", "/").histogram("ms", "latency", new double[] {1, 2.5, 10}, new long[] {4, 0, 2, 1}, 12.5);
        return c;
    }

    private static TestCycle small() {
        return new TestCycle(8_000_000_000L).point("only").gauge("v", 3);
    }

    /** Every accessor of the copy answers what the cycle answers. */
    private static void assertSame(Cycle copy, Cycle cycle) {
        assertThat(copy.timestampNanos()).isEqualTo(cycle.timestampNanos());
        assertThat(copy.points()).isEqualTo(cycle.points());
        assertThat(copy.globalTags()).isEqualTo(cycle.globalTags());
        for (int p = 0; p < cycle.points(); p++) {
            assertThat(copy.source(p)).isEqualTo(cycle.source(p));
            assertThat(copy.measurement(p)).isEqualTo(cycle.measurement(p));
            assertThat(copy.tags(p)).isEqualTo(cycle.tags(p));
            for (int t = 0; t < cycle.tags(p); t++) {
                assertThat(copy.tagKey(p, t)).isEqualTo(cycle.tagKey(p, t));
                assertThat(copy.tagValue(p, t)).isEqualTo(cycle.tagValue(p, t));
            }
            assertThat(copy.isHistogram(p)).isEqualTo(cycle.isHistogram(p));
            assertThat(copy.fields(p)).isEqualTo(cycle.fields(p));
            for (int f = 0; f < cycle.fields(p); f++) {
                assertThat(copy.fieldKey(p, f)).isEqualTo(cycle.fieldKey(p, f));
                assertThat(copy.type(p, f)).isEqualTo(cycle.type(p, f));
                switch (cycle.type(p, f)) {
                    case DOUBLE -> assertThat(bits(copy.doubleValue(p, f))).isEqualTo(bits(cycle.doubleValue(p, f)));
                    case BOOLEAN -> assertThat(copy.booleanValue(p, f)).isEqualTo(cycle.booleanValue(p, f));
                    case STRING -> assertThat(copy.stringValue(p, f)).isEqualTo(cycle.stringValue(p, f));
                    default -> assertThat(copy.longValue(p, f)).isEqualTo(cycle.longValue(p, f));
                }
                assertThat(bits(copy.numeric(p, f))).isEqualTo(bits(cycle.numeric(p, f)));
                assertInfo(copy.info(p, f), cycle.info(p, f));
            }
            if (cycle.isHistogram(p)) {
                assertInfo(copy.histogramInfo(p), cycle.histogramInfo(p));
                assertThat(copy.buckets(p)).isEqualTo(cycle.buckets(p));
                for (int b = 0; b < cycle.buckets(p); b++) {
                    assertThat(bits(copy.bound(p, b))).isEqualTo(bits(cycle.bound(p, b)));
                    assertThat(copy.bucketCount(p, b)).isEqualTo(cycle.bucketCount(p, b));
                }
                assertThat(copy.count(p)).isEqualTo(cycle.count(p));
                assertThat(bits(copy.sum(p))).isEqualTo(bits(cycle.sum(p)));
                assertThat(bits(copy.min(p))).isEqualTo(bits(cycle.min(p)));
                assertThat(bits(copy.max(p))).isEqualTo(bits(cycle.max(p)));
            }
        }
    }

    /** A double's bits: NaN equals NaN. */
    private static long bits(double d) {
        return Double.doubleToRawLongBits(d);
    }

    private static void assertInfo(MetricInfo copy, MetricInfo info) {
        assertThat(copy.kind()).isEqualTo(info.kind());
        assertThat(copy.unit()).isEqualTo(info.unit());
        assertThat(copy.description()).isEqualTo(info.description());
        assertThat(copy.declared()).isEqualTo(info.declared());
        assertThat(copy.field()).isEqualTo(info.field());
        assertThat(copy.measurement()).isEqualTo(info.measurement());
    }

    @Test
    void aCopyAnswersWhatTheCycleAnsweredAfterBiggerAndSmallerCycles() {
        CycleCopy copy = new CycleCopy();
        TestCycle big = big();
        copy.copy(big, 1);
        assertSame(copy, big);
        assertThat(copy.sequence()).isEqualTo(1);
        TestCycle small = small();
        copy.copy(small, 2);
        assertSame(copy, small);
        assertThatThrownBy(() -> copy.measurement(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> copy.fieldKey(0, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        copy.copy(big, 3);
        assertSame(copy, big);
        assertThatThrownBy(() -> copy.count(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(copy.kind(0, 0)).isEqualTo(Kind.COUNTER);
        assertThat(copy.unit(0, 1)).isEqualTo("s");
        assertThat(copy.histogramUnit(100)).isEqualTo("ms");
        assertThat(copy.histogramDescription(100)).isEqualTo("latency");
    }

    @Test
    void copyingACycleLikeTheLastAllocatesNothing() {
        TestCycle big = big();
        CycleCopy copy = new CycleCopy();
        for (int i = 0; i < 2_000; i++) { // warm: arrays grown, code compiled
            copy.copy(big, i);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 1_000; i++) {
            copy.copy(big, i);
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        // a copy of its 101 points and 500 fields would take tens of kilobytes; the bound leaves room
        // for the measurement's own few objects only
        assertThat(allocated).as("bytes allocated by 1,000 copies").isLessThan(4_096);
    }
}
