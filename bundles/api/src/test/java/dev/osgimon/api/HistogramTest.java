package dev.osgimon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HistogramTest {

    /** One histogram point as a writer received it (the arrays copied during the call, as the contract allows). */
    record Point(String measurement, Map<String, String> tags, double[] bounds, long[] counts, double sum, double min, double max) {
        long count() {
            return Arrays.stream(counts).sum();
        }
    }

    /** Keeps the histogram points written; a field is a failure (a histogram point has none). */
    private static final class Recorder implements PointWriter {
        final List<Point> points = new ArrayList<>();
        private String measurement;
        private final Map<String, String> tags = new LinkedHashMap<>();

        @Override
        public PointWriter point(String m) {
            measurement = m;
            tags.clear();
            return this;
        }

        @Override
        public PointWriter tag(String key, CharSequence value) {
            tags.put(key, value.toString());
            return this;
        }

        @Override
        public PointWriter histogram(double[] bounds, long[] bucketCounts, double sum, double min, double max) {
            assertThat(bucketCounts).hasSize(bounds.length + 1);
            points.add(new Point(measurement, Map.copyOf(tags), bounds.clone(), bucketCounts.clone(), sum, min, max));
            return this;
        }

        Point last() {
            assertThat(points).isNotEmpty();
            return points.get(points.size() - 1);
        }

        @Override
        public PointWriter field(String key, long value) {
            throw new AssertionError("field " + key);
        }

        @Override
        public PointWriter fieldUnsigned(String key, long value) {
            throw new AssertionError("field " + key);
        }

        @Override
        public PointWriter field(String key, double value) {
            throw new AssertionError("field " + key);
        }

        @Override
        public PointWriter field(String key, boolean value) {
            throw new AssertionError("field " + key);
        }

        @Override
        public PointWriter field(String key, CharSequence value) {
            throw new AssertionError("field " + key);
        }
    }

    /** The bucket counts after recording only {@code value}. */
    private static long[] countsOf(double[] bounds, double value) {
        Histogram h = new Histogram("m", bounds);
        h.record(value);
        long[] counts = new long[bounds.length + 1];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = h.bucketCount(i);
        }
        return counts;
    }

    private static long[] onlyIn(int bucket, int buckets) {
        long[] counts = new long[buckets];
        counts[bucket] = 1;
        return counts;
    }

    @Test
    void defaultBoundsAreOpenTelemetrysAdviceForRequestDurations() {
        assertThat(new Histogram("http_latency").bounds())
                .containsExactly(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10);
    }

    @Test
    void aValueOnABoundIsInThatBucketAndTheNextDoubleUpIsInTheNext() {
        double[] bounds = Histogram.defaultSecondsBounds();
        int buckets = bounds.length + 1;
        for (int i = 0; i < bounds.length; i++) {
            assertThat(countsOf(bounds, bounds[i])).as("at %s", bounds[i]).containsExactly(onlyIn(i, buckets));
            assertThat(countsOf(bounds, Math.nextDown(bounds[i]))).as("just below %s", bounds[i]).containsExactly(onlyIn(i, buckets));
            assertThat(countsOf(bounds, Math.nextUp(bounds[i]))).as("just above %s", bounds[i]).containsExactly(onlyIn(i + 1, buckets));
        }
        assertThat(countsOf(bounds, 0)).containsExactly(onlyIn(0, buckets));
        assertThat(countsOf(bounds, -3)).containsExactly(onlyIn(0, buckets));
        assertThat(countsOf(bounds, Double.NEGATIVE_INFINITY)).containsExactly(onlyIn(0, buckets));
        assertThat(countsOf(bounds, 1e300)).containsExactly(onlyIn(bounds.length, buckets));
        assertThat(countsOf(bounds, Double.POSITIVE_INFINITY)).containsExactly(onlyIn(bounds.length, buckets));
    }

    @Test
    void negativeBoundsAndBothZerosCompareAsNumbers() {
        double[] bounds = {-1, 0, 1};
        assertThat(countsOf(bounds, -1)).containsExactly(1, 0, 0, 0);
        assertThat(countsOf(bounds, Math.nextDown(-1.0))).containsExactly(1, 0, 0, 0);
        assertThat(countsOf(bounds, Math.nextUp(-1.0))).containsExactly(0, 1, 0, 0);
        assertThat(countsOf(bounds, 0.0)).containsExactly(0, 1, 0, 0);
        assertThat(countsOf(bounds, -0.0)).containsExactly(0, 1, 0, 0);
        assertThat(countsOf(bounds, Double.MIN_VALUE)).containsExactly(0, 0, 1, 0);
        assertThat(countsOf(bounds, -Double.MIN_VALUE)).containsExactly(0, 1, 0, 0);
        // -0.0 as a bound is the same bound as 0.0: both zeros are at most it
        assertThat(countsOf(new double[] {-0.0, 1}, 0.0)).containsExactly(1, 0, 0);
        assertThat(countsOf(new double[] {-0.0, 1}, -0.0)).containsExactly(1, 0, 0);
    }

    @Test
    void withoutBoundsEveryValueIsInTheOneBucket() {
        Histogram h = new Histogram("m", new double[0]);
        h.record(-5);
        h.record(5);
        Recorder out = new Recorder();
        h.collect(out);
        assertThat(out.last().bounds()).isEmpty();
        assertThat(out.last().counts()).containsExactly(2);
    }

    @Test
    void anEmptyHistogramHasZeroCountAndSumAndNoMinOrMax() {
        Histogram h = new Histogram("m", 1, 2);
        assertThat(h.count()).isZero();
        assertThat(h.sum()).isZero();
        assertThat(h.min()).isNaN();
        assertThat(h.max()).isNaN();
        Recorder out = new Recorder();
        h.collect(out);
        assertThat(out.last().counts()).containsExactly(0, 0, 0);
        assertThat(out.last().sum()).isZero();
        assertThat(out.last().min()).isNaN();
        assertThat(out.last().max()).isNaN();
    }

    @Test
    void nanIsIgnored() {
        Histogram h = new Histogram("m", 1, 2);
        h.record(Double.NaN);
        assertThat(h.count()).isZero();
        assertThat(h.sum()).isZero();
        assertThat(h.min()).isNaN();
        h.record(1.5);
        h.record(Double.NaN);
        assertThat(h.count()).isOne();
        assertThat(h.sum()).isEqualTo(1.5);
        assertThat(h.min()).isEqualTo(1.5);
        assertThat(h.max()).isEqualTo(1.5);
    }

    @Test
    void countSumMinAndMaxOfNegativeAndPositiveValues() {
        Histogram h = new Histogram("m", 0, 10);
        for (double v : new double[] {-2.5, 4, -0.0, 12, 0.5}) {
            h.record(v);
        }
        assertThat(h.count()).isEqualTo(5);
        assertThat(h.sum()).isEqualTo(14.0);
        assertThat(h.min()).isEqualTo(-2.5);
        assertThat(h.max()).isEqualTo(12);
        assertThat(new long[] {h.bucketCount(0), h.bucketCount(1), h.bucketCount(2)}).containsExactly(2, 2, 1);
    }

    @Test
    void infinitiesAreCountedAndAreTheirOwnMinAndMax() {
        Histogram h = new Histogram("m", 1);
        h.record(Double.POSITIVE_INFINITY);
        assertThat(h.count()).isOne();
        assertThat(h.bucketCount(1)).isOne();
        assertThat(h.min()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(h.max()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(h.sum()).isEqualTo(Double.POSITIVE_INFINITY);

        Histogram low = new Histogram("m", 1);
        low.record(Double.NEGATIVE_INFINITY);
        assertThat(low.bucketCount(0)).isOne();
        assertThat(low.min()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(low.max()).isEqualTo(Double.NEGATIVE_INFINITY);
        low.record(3);
        assertThat(low.max()).isEqualTo(3);
        assertThat(low.sum()).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void boundsThatAreNotFiniteAndStrictlyIncreasingAreRefused() {
        assertThatThrownBy(() -> new Histogram("m", (double[]) null)).isInstanceOf(NullPointerException.class).hasMessageContaining("bounds");
        assertThatThrownBy(() -> new Histogram("m", 1, Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bound 1 is not finite");
        assertThatThrownBy(() -> new Histogram("m", Double.NEGATIVE_INFINITY, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bound 0 is not finite");
        assertThatThrownBy(() -> new Histogram("m", 1, Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not finite");
        assertThatThrownBy(() -> new Histogram("m", 1, 2, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("increase strictly: 2.0, 2.0");
        assertThatThrownBy(() -> new Histogram("m", 2, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("increase strictly");
        assertThatThrownBy(() -> new Histogram("m", -0.0, 0.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("increase strictly");
        double[] many = new double[1001];
        Arrays.setAll(many, i -> i);
        assertThatThrownBy(() -> new Histogram("m", many)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 1000 bounds, were 1001");
        assertThat(new Histogram("m", Arrays.copyOf(many, 1000)).bounds()).hasSize(1000);
        assertThatThrownBy(() -> new Histogram(null, 1)).isInstanceOf(NullPointerException.class).hasMessageContaining("measurement");
        assertThatThrownBy(() -> new Histogram("", 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("measurement");
    }

    @Test
    void theBoundsAreCopiedInAndOut() {
        double[] bounds = {1, 2};
        Histogram h = new Histogram("m", bounds);
        bounds[0] = 5;
        h.bounds()[1] = 7;
        h.record(1.5);
        assertThat(h.bounds()).containsExactly(1, 2);
        assertThat(h.bucketCount(1)).isOne();
    }

    @Test
    void collectWritesOnePointWithBucketsSumMinAndMax() {
        Histogram h = new Histogram("http_latency", 0.5, 1);
        h.record(0.25);
        h.record(0.5);
        h.record(0.75);
        h.record(3);
        Recorder out = new Recorder();
        h.collect(out);
        assertThat(out.points).hasSize(1);
        Point p = out.last();
        assertThat(p.measurement()).isEqualTo("http_latency");
        assertThat(p.tags()).isEmpty();
        assertThat(p.bounds()).containsExactly(0.5, 1);
        assertThat(p.counts()).containsExactly(2, 1, 1);
        assertThat(p.sum()).isEqualTo(4.5);
        assertThat(p.min()).isEqualTo(0.25);
        assertThat(p.max()).isEqualTo(3);
    }

    @Test
    void collectWithATagAndWriteToAfterTheCallersTags() {
        Histogram h = new Histogram("http_latency", 1);
        h.record(2);
        Recorder out = new Recorder();
        h.collect(out, "route", "/orders");
        assertThat(out.last().measurement()).isEqualTo("http_latency");
        assertThat(out.last().tags()).containsExactly(Map.entry("route", "/orders"));
        assertThat(out.last().counts()).containsExactly(0, 1);

        PointWriter returned = h.writeTo(out.point("custom").tag("route", "/a").tag("method", "GET"));
        assertThat(returned).isSameAs(out);
        assertThat(out.last().measurement()).isEqualTo("custom");
        assertThat(out.last().tags()).containsOnly(Map.entry("route", "/a"), Map.entry("method", "GET"));
        assertThat(out.last().counts()).containsExactly(0, 1);
    }

    @Test
    void valuesRecordedBeforeAndAfterStripingAddUp() {
        Histogram h = new Histogram("m", 1, 2);
        h.record(0.5);
        h.record(3);
        h.stripe();
        h.record(1.5);
        h.record(-4);
        h.stripe(); // a second time changes nothing
        h.record(2);
        assertThat(h.count()).isEqualTo(5);
        assertThat(new long[] {h.bucketCount(0), h.bucketCount(1), h.bucketCount(2)}).containsExactly(2, 2, 1);
        assertThat(h.sum()).isEqualTo(3);
        assertThat(h.min()).isEqualTo(-4);
        assertThat(h.max()).isEqualTo(3);
        Recorder out = new Recorder();
        h.collect(out);
        assertThat(out.last().counts()).containsExactly(2, 2, 1);
        assertThat(out.last().sum()).isEqualTo(3);
        assertThat(out.last().min()).isEqualTo(-4);
        assertThat(out.last().max()).isEqualTo(3);
    }

    @Test
    void bucketCountOfABucketThatDoesNotExistIsRefused() {
        Histogram h = new Histogram("m", 1, 2);
        assertThatThrownBy(() -> h.bucketCount(3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> h.bucketCount(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void reportsAreCumulative() {
        Histogram h = new Histogram("m", 1);
        Recorder out = new Recorder();
        h.record(0.5);
        h.collect(out);
        h.record(0.5);
        h.record(2);
        h.collect(out);
        assertThat(out.points.get(0).counts()).containsExactly(1, 0);
        assertThat(out.points.get(1).counts()).containsExactly(2, 1);
        assertThat(out.points.get(1).sum()).isEqualTo(3);
    }

    /**
     * The values thread {@code t} records: eighths from -2 to 11.875, so every bucket of
     * {@link #CONCURRENT_BOUNDS} is hit (on its bound too) and every partial sum is exact in a double
     * whatever the order of the additions.
     */
    private static double valueOf(int t, int j) {
        return ((j * 37 + t * 11) % 112 - 16) / 8.0;
    }

    private static final double[] CONCURRENT_BOUNDS = {-1, 0, 0.25, 0.5, 1, 2, 4, 8};
    private static final int THREADS = 8;
    private static final int PER_THREAD = 200_000;

    /** Striped from the start, or left to stripe on its own when the threads contend (or not). */
    @ParameterizedTest(name = "striped from the start: {0}")
    @ValueSource(booleans = {true, false})
    void eightThreadsRecordingWhileANinthCollectsLoseNothing(boolean striped) throws Exception {
        Histogram h = new Histogram("m", CONCURRENT_BOUNDS);
        if (striped) {
            h.stripe();
        }
        // what a serial count gives, bucket by linear scan, sum in eighths as a long
        long[] expected = new long[CONCURRENT_BOUNDS.length + 1];
        long eighths = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < THREADS; t++) {
            for (int j = 0; j < PER_THREAD; j++) {
                double v = valueOf(t, j);
                int b = 0;
                while (b < CONCURRENT_BOUNDS.length && v > CONCURRENT_BOUNDS[b]) {
                    b++;
                }
                expected[b]++;
                eighths += Math.round(v * 8);
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        assertThat(expected).as("every bucket is hit").doesNotContain(0L);

        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        try {
            CountDownLatch ready = new CountDownLatch(THREADS + 1);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> recorders = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                recorders.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    for (int j = 0; j < PER_THREAD; j++) {
                        h.record(valueOf(thread, j));
                    }
                    return null;
                }));
            }
            AtomicBoolean recording = new AtomicBoolean(true);
            double lowest = min;
            double highest = max;
            Future<Integer> collector = pool.submit(() -> {
                ready.countDown();
                go.await();
                Recorder out = new Recorder();
                long[] previous = new long[CONCURRENT_BOUNDS.length + 1];
                int reports = 0;
                boolean last = false;
                while (!last) {
                    last = !recording.get(); // one more report after the recorders finished
                    long before = h.count();
                    out.points.clear();
                    h.collect(out);
                    long after = h.count();
                    Point p = out.last();
                    reports++;
                    assertThat(p.count()).isBetween(before, after);
                    for (int b = 0; b < previous.length; b++) {
                        assertThat(p.counts()[b]).as("bucket %d never goes down", b).isGreaterThanOrEqualTo(previous[b]);
                    }
                    previous = p.counts();
                    if (p.count() > 0) {
                        // counted values are in min and max already
                        assertThat(p.min()).isBetween(lowest, highest);
                        assertThat(p.max()).isBetween(p.min(), highest);
                    }
                }
                return reports;
            });
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            for (Future<?> f : recorders) {
                f.get(60, TimeUnit.SECONDS);
            }
            recording.set(false);
            assertThat(collector.get(60, TimeUnit.SECONDS)).isPositive();
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(h.count()).isEqualTo((long) THREADS * PER_THREAD);
        for (int b = 0; b < expected.length; b++) {
            assertThat(h.bucketCount(b)).as("bucket %d", b).isEqualTo(expected[b]);
        }
        assertThat(h.sum()).isEqualTo(eighths / 8.0);
        assertThat(h.min()).isEqualTo(min);
        assertThat(h.max()).isEqualTo(max);
        Recorder out = new Recorder();
        h.collect(out);
        assertThat(out.last().counts()).containsExactly(expected);
        assertThat(out.last().sum()).isEqualTo(eighths / 8.0);
        assertThat(out.last().min()).isEqualTo(min);
        assertThat(out.last().max()).isEqualTo(max);
    }
}
