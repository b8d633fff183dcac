package dev.osgimon.source.micrometer.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.Histogram;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;

/**
 * A fixed-bounds histogram that never forgets: counts per bucket since the meter was created, and the
 * least and greatest value recorded. Micrometer's own bucket histograms are time windows (their counts
 * age out after the distribution expiry) and fit step registries; osgimon's histograms are cumulative,
 * like its counters, so the bridge's timers and summaries record into this one as well.
 *
 * <p>Values are in the meter's recording unit: nanoseconds for a timer, the base unit for a summary.
 */
final class BucketHistogram implements Histogram {

    private final double[] bounds;
    private final double[] reported;
    private final double divisor;
    private final AtomicLongArray counts;
    /** What {@link #counts()} returns, reused. */
    private final long[] read;
    private final AtomicLong min = new AtomicLong(Double.doubleToRawLongBits(Double.NaN));
    private final AtomicLong max = new AtomicLong(Double.doubleToRawLongBits(Double.NaN));

    /**
     * @param bounds inclusive upper bounds in the recording unit, finite and strictly increasing (copied)
     * @param divisor the recording unit divided by this is the reported unit (1e9 for a timer: seconds)
     */
    BucketHistogram(double[] bounds, double divisor) {
        this.bounds = bounds.clone();
        this.divisor = divisor;
        this.reported = new double[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            reported[i] = bounds[i] / divisor;
        }
        this.counts = new AtomicLongArray(bounds.length + 1);
        this.read = new long[bounds.length + 1];
    }

    /** @return the bounds in the reported unit (not copied: do not change) */
    double[] reportedBounds() {
        return reported;
    }

    /** @return what the recorded values are divided by to be in the reported unit */
    double divisor() {
        return divisor;
    }

    @Override
    public void recordLong(long value) {
        recordDouble(value);
    }

    @Override
    public void recordDouble(double value) {
        int lo = 0;
        int hi = bounds.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (value <= bounds[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        counts.incrementAndGet(lo);
        extreme(min, value, true);
        extreme(max, value, false);
    }

    private static void extreme(AtomicLong holder, double value, boolean least) {
        while (true) {
            long bits = holder.get();
            double now = Double.longBitsToDouble(bits);
            if (!Double.isNaN(now) && (least ? now <= value : now >= value)) {
                return;
            }
            if (holder.compareAndSet(bits, Double.doubleToRawLongBits(value))) {
                return;
            }
        }
    }

    /**
     * The counts of each bucket alone (not cumulative), as of now, in an array this histogram reuses: for
     * one reader at a time (the collector thread), valid until its next call.
     *
     * @return {@code bounds + 1} counts, the last for values above every bound
     */
    long[] counts() {
        for (int i = 0; i < read.length; i++) {
            read[i] = counts.get(i);
        }
        return read;
    }

    /** @return the least value recorded, NaN when none */
    double min() {
        return Double.longBitsToDouble(min.get());
    }

    /** @return the greatest value recorded, NaN when none */
    double max() {
        return Double.longBitsToDouble(max.get());
    }

    @Override
    public HistogramSnapshot takeSnapshot(long count, double total, double max) {
        CountAtBucket[] cumulative = new CountAtBucket[bounds.length];
        long running = 0;
        for (int i = 0; i < bounds.length; i++) {
            running += counts.get(i);
            cumulative[i] = new CountAtBucket(bounds[i], running);
        }
        return new HistogramSnapshot(count, total, max, null, cumulative, null);
    }
}
