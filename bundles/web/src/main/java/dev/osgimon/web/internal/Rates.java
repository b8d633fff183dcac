package dev.osgimon.web.internal;

/**
 * What the page draws of counters and histograms, computed from the kept history: a counter's
 * increase and rate per interval, and a histogram's quantiles over each interval. Counters restart
 * from zero when their source restarts: a value lower than the one before is read as a restart, and
 * the increase of that interval is the new value (as Prometheus' {@code rate} reads a reset), never a
 * negative one.
 */
final class Rates {

    private Rates() {
    }

    /**
     * The change of a counter between each cycle and the last one before it with a value.
     *
     * @param increase what the counter grew by, {@code null} where it cannot be told (no value, or no
     *        value before it)
     * @param seconds the time the increase took, {@code 0} where the increase is {@code null}
     * @param perSecond increase divided by seconds, {@code null} where the increase is
     */
    record Change(Double[] increase, double[] seconds, Double[] perSecond) {
    }

    /**
     * Increase and rate of a counter, point by point. A point after a gap is compared with the last
     * value before the gap, over the whole time between them.
     *
     * @param timesMillis cycle times, oldest first
     * @param values the counter's values at those times, {@code null} where none was written
     * @return increase, seconds and rate per point, as long as the input
     * @throws IllegalArgumentException if the arrays differ in length
     */
    static Change change(long[] timesMillis, Double[] values) {
        if (timesMillis.length != values.length) {
            throw new IllegalArgumentException("times and values differ in length: " + timesMillis.length + ", "
                    + values.length);
        }
        int n = values.length;
        Double[] increase = new Double[n];
        double[] seconds = new double[n];
        Double[] rate = new Double[n];
        int prev = -1;
        for (int i = 0; i < n; i++) {
            Double v = values[i];
            if (v == null) {
                continue;
            }
            if (prev >= 0 && timesMillis[i] > timesMillis[prev]) {
                double before = values[prev];
                double inc = v >= before ? v - before : v;
                increase[i] = inc;
                seconds[i] = (timesMillis[i] - timesMillis[prev]) / 1000.0;
                rate[i] = inc / seconds[i];
            }
            prev = i;
        }
        return new Change(increase, seconds, rate);
    }

    /**
     * How much each bucket of a histogram grew from each cycle to the last one before it with counts.
     * If any cumulative count is lower than before, the histogram restarted, and the interval's
     * increase is its counts now.
     *
     * @param cumulative per cycle, the cumulative bucket counts (the last bucket is {@code +Inf}, so it
     *        holds the total), or {@code null} where the cycle has none
     * @return per cycle, the cumulative counts of the values recorded in that interval, {@code null}
     *         where that cannot be told
     * @throws IllegalArgumentException if the cycles' bucket counts differ in length
     */
    static double[][] bucketIncreases(double[][] cumulative) {
        double[][] out = new double[cumulative.length][];
        double[] before = null;
        for (int i = 0; i < cumulative.length; i++) {
            double[] now = cumulative[i];
            if (now == null) {
                continue;
            }
            if (before != null) {
                if (before.length != now.length) {
                    throw new IllegalArgumentException("bucket layouts differ: " + before.length + " and " + now.length
                            + " buckets");
                }
                boolean restarted = false;
                for (int b = 0; b < now.length; b++) {
                    restarted |= now[b] < before[b];
                }
                double[] inc = new double[now.length];
                for (int b = 0; b < now.length; b++) {
                    inc[b] = restarted ? now[b] : now[b] - before[b];
                }
                out[i] = inc;
            }
            before = now;
        }
        return out;
    }

    /**
     * The {@code q} quantile of the values in a histogram, as Prometheus' {@code histogram_quantile}
     * estimates it: the bucket that holds the rank {@code q × total} is found, and the value is
     * interpolated linearly within it (between the bound below, 0 for the first bucket, and its own).
     * A rank in the {@code +Inf} bucket gives the highest finite bound; a first bucket with a bound
     * of 0 or less gives that bound. Cumulative counts that fall from one bucket to the next (float
     * rounding of summed increases) are read as the count before. Empty buckets are passed over: the
     * 0 quantile is the lower bound of the first bucket that holds a value.
     *
     * @param q the quantile, 0 to 1
     * @param bounds the buckets' upper bounds, ascending, the last {@link Double#POSITIVE_INFINITY}
     * @param cumulative the cumulative count of each bucket
     * @return the estimate, or {@link Double#NaN} when there is none: no values, fewer than two
     *         buckets, or no {@code +Inf} bucket
     * @throws IllegalArgumentException if {@code q} is not within 0 to 1, or the arrays differ in length
     */
    static double quantile(double q, double[] bounds, double[] cumulative) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must be within 0 and 1, was " + q);
        }
        if (bounds.length != cumulative.length) {
            throw new IllegalArgumentException("bounds and counts differ in length: " + bounds.length + ", "
                    + cumulative.length);
        }
        int n = bounds.length;
        if (n < 2 || bounds[n - 1] != Double.POSITIVE_INFINITY) {
            return Double.NaN;
        }
        double[] counts = new double[n];
        double most = 0;
        for (int b = 0; b < n; b++) {
            most = Math.max(most, cumulative[b]);
            counts[b] = most;
        }
        double total = counts[n - 1];
        if (!(total > 0)) {
            return Double.NaN;
        }
        double rank = q * total;
        int b = 0;
        // the first bucket that reaches the rank; for q = 0 the first one that holds anything
        while (b < n - 1 && (counts[b] < rank || counts[b] == 0)) {
            b++;
        }
        if (b == n - 1) {
            return bounds[n - 2];
        }
        if (b == 0 && bounds[0] <= 0) {
            return bounds[0];
        }
        double start = b == 0 ? 0 : bounds[b - 1];
        double below = b == 0 ? 0 : counts[b - 1];
        double inBucket = counts[b] - below;
        return start + (bounds[b] - start) * ((rank - below) / inBucket);
    }

    /**
     * One quantile per interval.
     *
     * @param q the quantile, 0 to 1
     * @param bounds the buckets' upper bounds, the last {@code +Inf}
     * @param increases per cycle, the cumulative counts of that interval (see {@link #bucketIncreases}),
     *        or {@code null}
     * @return per cycle, the quantile, {@code null} where the interval recorded nothing
     */
    static Double[] quantiles(double q, double[] bounds, double[][] increases) {
        Double[] out = new Double[increases.length];
        for (int i = 0; i < increases.length; i++) {
            if (increases[i] != null) {
                double v = quantile(q, bounds, increases[i]);
                out[i] = Double.isNaN(v) ? null : v;
            }
        }
        return out;
    }
}
