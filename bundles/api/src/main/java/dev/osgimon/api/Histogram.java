package dev.osgimon.api;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

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
 * upper bounds, as Prometheus' {@code le} and OpenTelemetry's explicit buckets), compared as numbers
 * ({@code -0.0} and {@code 0.0} are equal); values above every bound land in the last bucket
 * ({@code +Inf}). NaN is ignored. An infinity is counted in the first or last bucket and makes the
 * sum infinite (NaN once both were recorded), as in Prometheus' client.
 *
 * <p>Thread-safe and lock-free: {@link #record(double)} is a binary search, two atomic updates
 * (the bucket and the sum) and a read of the min and max, which it updates only for a new extreme;
 * it allocates nothing. When recording threads contend, the histogram spreads its buckets and sum
 * over stripes, each on cache lines of its own, picked by thread id (as {@code LongAdder} spreads
 * its cells; no per-thread state, so nothing holds on to a thread or a class loader); the stripes
 * (up to 4 per processor, at most 64 and about 64 KB) are made once, on the first contention, and a
 * histogram never contended stays at one. A report adds them up. Its count is the sum of its bucket
 * counts, and a value it counts is in its sum, min and max already; its sum may also hold values
 * being recorded at that moment and not yet counted.
 */
public final class Histogram implements MetricSource {

    /** See {@link #defaultSecondsBounds()}. */
    private static final double[] DEFAULTS = {
        0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
    };

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle STRIPES;

    static {
        try {
            STRIPES = MethodHandles.lookup().findVarHandle(Histogram.class, "stripes", long[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Stripes when contended: a power of two, 4 per processor, at most 64. */
    private static final int MAX_STRIPES = Math.min(64, powerOfTwoAtLeast(4 * Runtime.getRuntime().availableProcessors()));
    /** Longs (128 bytes) before the first stripe, so none shares a cache line with the array's length. */
    private static final int PAD = 16;
    /** The longs the stripes may take together (64 KB). */
    private static final int STRIPE_LONGS = 8192;

    private final String measurement;
    private final double[] bounds;
    /** Index of the sum's bits in a row; the bucket counts are the indexes before it. */
    private final int sumSlot;
    /** Index of the least value's bits in {@link #base}, NaN while none was recorded. */
    private final int minSlot;
    /** Index of the greatest value's bits in {@link #base}, NaN while none was recorded. */
    private final int maxSlot;
    /**
     * The row every value goes to until recording threads contend (bucket counts, then the sum's
     * bits), then the min's and the max's bits; final, so a histogram published without
     * synchronisation is still seen empty with NaN min and max.
     */
    private final long[] base;
    /** Longs from one stripe's row to the next: the row and at least 64 bytes of gap. */
    private final int stride;
    /** Stripe count minus one (a power of two minus one). */
    private final int stripeMask;
    /** {@code null} until the first contention; then stripe {@code s}'s row starts at {@code PAD + s * stride}. */
    private volatile long[] stripes;
    /** Guards {@link #snapshot}. */
    private final Object lock = new Object();
    /** What {@link #writeTo} hands the writer; guarded by {@link #lock}. */
    private final long[] snapshot;

    /**
     * OpenTelemetry's advice for {@code http.server.request.duration}, in seconds: 0.005, 0.01, 0.025,
     * 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10; the bounds of {@link #Histogram(String)}.
     *
     * @return a copy of them
     */
    public static double[] defaultSecondsBounds() {
        return DEFAULTS.clone();
    }

    /**
     * Creates a histogram with {@link #defaultSecondsBounds()}.
     *
     * @param measurement the measurement of the reported point
     */
    public Histogram(String measurement) {
        this(measurement, DEFAULTS);
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
        this.sumSlot = this.bounds.length + 1;
        this.minSlot = sumSlot + 1;
        this.maxSlot = sumSlot + 2;
        this.base = new long[sumSlot + 3];
        base[minSlot] = Double.doubleToRawLongBits(Double.NaN);
        base[maxSlot] = Double.doubleToRawLongBits(Double.NaN);
        this.stride = (sumSlot + 1 + 8 + 7) & ~7;
        this.stripeMask = Math.max(1, Math.min(MAX_STRIPES, Integer.highestOneBit(STRIPE_LONGS / stride))) - 1;
        this.snapshot = new long[sumSlot];
    }

    private static int powerOfTwoAtLeast(int n) {
        return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
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
        long[] row = stripes;
        int at = 0;
        if (row == null) {
            row = base;
            long bits = (long) LONGS.getVolatile(row, sumSlot);
            if (!LONGS.compareAndSet(row, sumSlot, bits, plus(bits, value))) {
                row = contended(); // another thread got there first: from now on, stripes
                at = rowOf(Thread.currentThread());
                addToSum(row, at + sumSlot, value);
            }
        } else {
            at = rowOf(Thread.currentThread());
            addToSum(row, at + sumSlot, value);
        }
        long[] extremes = base;
        long bits;
        do {
            bits = (long) LONGS.getVolatile(extremes, minSlot);
        } while (!(value >= Double.longBitsToDouble(bits)) // false for the NaN of an empty histogram
                && !LONGS.weakCompareAndSet(extremes, minSlot, bits, Double.doubleToRawLongBits(value)));
        do {
            bits = (long) LONGS.getVolatile(extremes, maxSlot);
        } while (!(value <= Double.longBitsToDouble(bits))
                && !LONGS.weakCompareAndSet(extremes, maxSlot, bits, Double.doubleToRawLongBits(value)));
        // counted last: a report that counts this value sees it in sum, min and max
        LONGS.getAndAdd(row, at + bucketOf(value), 1L);
    }

    private static long plus(long bits, double value) {
        return Double.doubleToRawLongBits(Double.longBitsToDouble(bits) + value);
    }

    private static void addToSum(long[] row, int slot, double value) {
        long bits;
        do {
            bits = (long) LONGS.getVolatile(row, slot);
        } while (!LONGS.weakCompareAndSet(row, slot, bits, plus(bits, value)));
    }

    private int rowOf(Thread thread) {
        return PAD + ((int) thread.getId() & stripeMask) * stride;
    }

    /** The stripes, made by the first thread that finds the base row contended. */
    private long[] contended() {
        long[] row = stripes;
        if (row == null) {
            long[] fresh = new long[PAD + (stripeMask + 1) * stride];
            row = (long[]) STRIPES.compareAndExchange(this, (long[]) null, fresh);
            if (row == null) {
                row = fresh;
            }
        }
        return row;
    }

    /** Spreads the next values over the stripes, as the first contention does; for tests. */
    void stripe() {
        contended();
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
        long[] rows = stripes;
        long n = 0;
        for (int i = 0; i < sumSlot; i++) {
            n += slot(rows, i);
        }
        return n;
    }

    /**
     * @param bucket the bucket's index, {@code bounds().length} for {@code +Inf}
     * @return the values recorded in that bucket alone
     * @throws IndexOutOfBoundsException if there is no such bucket
     */
    public long bucketCount(int bucket) {
        Objects.checkIndex(bucket, sumSlot);
        return slot(stripes, bucket);
    }

    /** The sum of one slot over the base row and the stripes. */
    private long slot(long[] rows, int i) {
        long n = (long) LONGS.getVolatile(base, i);
        if (rows != null) {
            for (int at = PAD + i; at < rows.length; at += stride) {
                n += (long) LONGS.getVolatile(rows, at);
            }
        }
        return n;
    }

    /** @return the sum of the values recorded so far */
    public double sum() {
        return sum(stripes);
    }

    private double sum(long[] rows) {
        double sum = Double.longBitsToDouble((long) LONGS.getVolatile(base, sumSlot));
        if (rows != null) {
            for (int at = PAD + sumSlot; at < rows.length; at += stride) {
                sum += Double.longBitsToDouble((long) LONGS.getVolatile(rows, at));
            }
        }
        return sum;
    }

    /** @return the least value recorded so far, NaN when none was */
    public double min() {
        return Double.longBitsToDouble((long) LONGS.getVolatile(base, minSlot));
    }

    /** @return the greatest value recorded so far, NaN when none was */
    public double max() {
        return Double.longBitsToDouble((long) LONGS.getVolatile(base, maxSlot));
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
     * more tags than {@link #collect(PointWriter, String, CharSequence)} takes. Allocates nothing;
     * reports of one histogram from several threads take turns.
     *
     * @param out the writer, with a point started
     * @return the writer
     */
    public PointWriter writeTo(PointWriter out) {
        synchronized (lock) {
            long[] rows = stripes;
            for (int i = 0; i < sumSlot; i++) {
                snapshot[i] = slot(rows, i);
            }
            // read after the counts: every value counted is in them already
            return out.histogram(bounds, snapshot, sum(rows), min(), max());
        }
    }
}
