package dev.osgimon.source.micrometer.internal;

import java.util.NavigableSet;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.cumulative.CumulativeDistributionSummary;
import io.micrometer.core.instrument.cumulative.CumulativeTimer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.simple.CountingMode;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The registry application bundles record into: Micrometer's {@link SimpleMeterRegistry} in
 * {@link CountingMode#CUMULATIVE} mode (counters and sums grow since the meter was created, as
 * osgimon's counters do; nothing is reset when the bridge reads it), whose timers and distribution
 * summaries keep a {@link BucketHistogram}. The buckets are the meter's own (its service level
 * objectives, or Micrometer's percentile-histogram buckets when it publishes one); a meter with
 * neither gets osgimon's defaults: {@link dev.osgimon.api.Histogram#defaultSecondsBounds()} for a
 * timer, {@link #DEFAULT_SUMMARY_BOUNDS} for a summary. Client-side percentiles
 * ({@code publishPercentiles}) are not bridged: they cannot be aggregated and need HdrHistogram.
 */
final class OsgimonMeterRegistry extends SimpleMeterRegistry {

    /** OpenTelemetry's default explicit bucket boundaries, for a summary without buckets of its own. */
    static final double[] DEFAULT_SUMMARY_BOUNDS = {0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000};

    private static final double[] DEFAULT_TIMER_BOUNDS_NANOS = nanos(dev.osgimon.api.Histogram.defaultSecondsBounds());

    private static final SimpleConfig CUMULATIVE = new SimpleConfig() {
        @Override
        public String get(String key) {
            return null;
        }

        @Override
        public CountingMode mode() {
            return CountingMode.CUMULATIVE;
        }
    };

    /** The registry with the system clock. */
    OsgimonMeterRegistry() {
        this(Clock.SYSTEM);
    }

    /** @param clock the clock (tests) */
    OsgimonMeterRegistry(Clock clock) {
        super(CUMULATIVE, clock);
    }

    @Override
    protected Timer newTimer(Meter.Id id, DistributionStatisticConfig config, PauseDetector pauseDetector) {
        return new BucketTimer(id, clock, config, pauseDetector, getBaseTimeUnit(),
                new BucketHistogram(bounds(config, DEFAULT_TIMER_BOUNDS_NANOS), 1e9));
    }

    @Override
    protected DistributionSummary newDistributionSummary(Meter.Id id, DistributionStatisticConfig config, double scale) {
        return new BucketSummary(id, clock, config, scale, new BucketHistogram(bounds(config, DEFAULT_SUMMARY_BOUNDS), 1));
    }

    private static double[] bounds(DistributionStatisticConfig config, double[] defaults) {
        NavigableSet<Double> own = config.getHistogramBuckets(false);
        if (own == null || own.isEmpty()) {
            return defaults;
        }
        return own.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).toArray();
    }

    private static double[] nanos(double[] seconds) {
        double[] n = new double[seconds.length];
        for (int i = 0; i < n.length; i++) {
            n[i] = seconds[i] * 1e9;
        }
        return n;
    }

    /** A cumulative timer whose histogram is a {@link BucketHistogram} (in nanoseconds). */
    static final class BucketTimer extends CumulativeTimer {

        private final BucketHistogram buckets;

        BucketTimer(Meter.Id id, Clock clock, DistributionStatisticConfig config, PauseDetector pauseDetector,
                TimeUnit baseTimeUnit, BucketHistogram buckets) {
            super(id, clock, config, pauseDetector, baseTimeUnit, buckets);
            this.buckets = buckets;
        }

        BucketHistogram buckets() {
            return buckets;
        }
    }

    /** A cumulative distribution summary whose histogram is a {@link BucketHistogram} (in the base unit). */
    static final class BucketSummary extends CumulativeDistributionSummary {

        private final BucketHistogram buckets;

        BucketSummary(Meter.Id id, Clock clock, DistributionStatisticConfig config, double scale, BucketHistogram buckets) {
            super(id, clock, config, scale, buckets);
            this.buckets = buckets;
        }

        BucketHistogram buckets() {
            return buckets;
        }
    }
}
