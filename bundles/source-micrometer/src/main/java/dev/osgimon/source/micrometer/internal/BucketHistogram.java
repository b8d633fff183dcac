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
    private final AtomicLongArray counts;
    private final AtomicLong min = new AtomicLong(Double.doubleToRawLongBits(Double.NaN));
    private final AtomicLong max = new AtomicLong(Double.doubleToRawLongBits(Double.NaN));

    /** @param bounds inclusive upper bounds, finite and strictly increasing (copied) */
    BucketHistogram(double[] bounds) {
        this.bounds = bounds.clone();
        this.counts = new AtomicLongArray(bounds.length + 1);
    }

    /** @return the bounds, in the recording unit (not copied: do not change) */
    double[] bounds() {
        return bounds;
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
     * Copies the counts of each bucket alone (not cumulative) into {@code into}.
     *
     * @param into {@code bounds().length + 1} slots
     * @return the sum of the counts
     */
    long counts(long[] into) {
        long total = 0;
        for (int i = 0; i < into.length; i++) {
            into[i] = counts.get(i);
            total += into[i];
        }
        return total;
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
