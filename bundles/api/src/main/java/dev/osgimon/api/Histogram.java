package dev.osgimon.api;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Records values (durations, sizes) into buckets with explicit bounds and reports them as one
 * histogram point: bucket counts, count, sum, min and max, cumulative since it was made, like
 * {@link Counter}.
 *
 * <pre>{@code
 * Histogram latency = new Histogram("http_latency");   // bounds in seconds, OpenTelemetry's advice
 * latency.record(0.042);
 * latency.collect(out);                                  // or collect(out, "route", "/orders")
 * }</pre>
 *
 * <p>A value lands in the first bucket whose bound is at least the value (bounds are inclusive
 * upper bounds, as Prometheus' {@code le} and OpenTelemetry's explicit buckets); values above every
 * bound land in the last bucket ({@code +Inf}). NaN is ignored.
 *
 * <p>Thread-safe and lock-free: {@link #record(double)} is a binary search and three atomic
 * updates, and allocates nothing. The count is the sum of the bucket counts, so a report taken while
 * others record is always consistent with its buckets; sum, min and max may lag it by the values
 * being recorded at that moment.
 */
public final class Histogram implements MetricSource {

    /**
     * OpenTelemetry's advice for {@code http.server.request.duration}, in seconds: 0.005, 0.01, 0.025,
     * 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10.
     */
    public static final double[] DEFAULT_SECONDS_BOUNDS = {
        0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
    };

    private final String measurement;
    private final double[] bounds;
    private final AtomicLongArray buckets;
    /** Raw bits of the sum, the minimum and the maximum (doubles updated by compare-and-set). */
    private final AtomicLong sumBits = new AtomicLong(Double.doubleToRawLongBits(0.0));
    private final AtomicLong minBits = new AtomicLong(Double.doubleToRawLongBits(Double.NaN));
    private final AtomicLong maxBits = new AtomicLong(Double.doubleToRawLongBits(Double.NaN));
    /** What {@link #collect} hands the writer; guarded by {@code this}. */
    private final long[] snapshot;

    /**
     * Creates a histogram with {@link #DEFAULT_SECONDS_BOUNDS}.
     *
     * @param measurement the measurement of the reported point
     */
    public Histogram(String measurement) {
        this(measurement, DEFAULT_SECONDS_BOUNDS);
    }

    /**
     * Creates a histogram.
     *
     * @param measurement the measurement of the reported point
     * @param bounds the inclusive upper bounds of the buckets: finite, strictly increasing, at most
     *        1000; copied
     */
    public Histogram(String measurement, double... bounds) {
        this.measurement = Objects.requireNonNull(measurement, "measurement");
        if (measurement.isEmpty()) {
            throw new IllegalArgumentException("measurement must not be empty");
        }
        this.bounds = checkBounds(bounds);
        this.buckets = new AtomicLongArray(this.bounds.length + 1);
        this.snapshot = new long[this.bounds.length + 1];
    }

    /**
     * Checks bounds as {@link PointWriter#histogram} expects them.
     *
     * @param bounds the bounds
     * @return a copy
     * @throws IllegalArgumentException if they are not finite and strictly increasing, or more than 1000
     */
    static double[] checkBounds(double[] bounds) {
        Objects.requireNonNull(bounds, "bounds");
        if (bounds.length > 1000) {
            throw new IllegalArgumentException("at most 1000 bounds, were " + bounds.length);
        }
        for (int i = 0; i < bounds.length; i++) {
            if (!Double.isFinite(bounds[i])) {
                throw new IllegalArgumentException("bound " + i + " is not finite: " + bounds[i]);
            }
            if (i > 0 && !(bounds[i] > bounds[i - 1])) {
                throw new IllegalArgumentException("bounds must increase strictly: " + bounds[i - 1] + ", " + bounds[i]);
            }
        }
        return bounds.clone();
    }

    /**
     * Records one value.
     *
     * @param value the value; NaN is ignored
     */
    public void record(double value) {
        if (value != value) {
            return;
        }
        long bits;
        do {
            bits = sumBits.get();
        } while (!sumBits.weakCompareAndSetVolatile(bits, Double.doubleToRawLongBits(Double.longBitsToDouble(bits) + value)));
        while (true) {
            bits = minBits.get();
            double min = Double.longBitsToDouble(bits);
            if (value >= min || minBits.weakCompareAndSetVolatile(bits, Double.doubleToRawLongBits(value))) {
                break; // value >= NaN is false: the first value replaces the empty mark
            }
        }
        while (true) {
            bits = maxBits.get();
            double max = Double.longBitsToDouble(bits);
            if (value <= max || maxBits.weakCompareAndSetVolatile(bits, Double.doubleToRawLongBits(value))) {
                break;
            }
        }
        // counted last: a report that counts this value also sees it in sum, min and max
        buckets.getAndIncrement(bucketOf(value));
    }

    /** The first bucket whose bound is at least {@code value}; compared as numbers, so -0.0 == 0.0. */
    private int bucketOf(double value) {
        double[] b = bounds;
        int lo = 0;
        int hi = b.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (value <= b[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** @return the measurement */
    public String measurement() {
        return measurement;
    }

    /** @return a copy of the bounds */
    public double[] bounds() {
        return bounds.clone();
    }

    /** @return the values recorded so far */
    public long count() {
        long n = 0;
        for (int i = 0; i < buckets.length(); i++) {
            n += buckets.get(i);
        }
        return n;
    }

    /**
     * @param bucket the bucket's index, {@code bounds().length} for {@code +Inf}
     * @return the values recorded in that bucket alone
     */
    public long bucketCount(int bucket) {
        return buckets.get(bucket);
    }

    /** @return the sum of the values recorded so far */
    public double sum() {
        return Double.longBitsToDouble(sumBits.get());
    }

    /** @return the least value recorded so far, NaN when none was */
    public double min() {
        return Double.longBitsToDouble(minBits.get());
    }

    /** @return the greatest value recorded so far, NaN when none was */
    public double max() {
        return Double.longBitsToDouble(maxBits.get());
    }

    /** Writes one point, {@link #measurement()} without tags, as a histogram. */
    @Override
    public void collect(PointWriter out) {
        writeTo(out.point(measurement));
    }

    /**
     * Writes one point, {@link #measurement()} with one tag, as a histogram.
     *
     * @param out the writer
     * @param tagKey the tag's key
     * @param tagValue the tag's value
     */
    public void collect(PointWriter out, String tagKey, CharSequence tagValue) {
        writeTo(out.point(measurement).tag(tagKey, tagValue));
    }

    /**
     * Makes the writer's current point this histogram (tags written before stay), for points with
     * more tags than {@link #collect(PointWriter, String, CharSequence)} takes.
     *
     * @param out the writer, with a point started
     * @return the writer
     */
    public synchronized PointWriter writeTo(PointWriter out) {
        for (int i = 0; i < snapshot.length; i++) {
            snapshot[i] = buckets.get(i);
        }
        return out.histogram(bounds, snapshot, sum(), min(), max());
    }
}
