package dev.osgimon.benchmarks.api;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Recorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import dev.osgimon.api.Histogram;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * One recorded value in the {@link Histogram} helper against its peers, each set up with the same
 * buckets (the helper's default, OpenTelemetry's advice for request durations, 0.005 … 10 s):
 * Micrometer's {@code Timer.record(long, TimeUnit)} and {@code DistributionSummary.record(double)}
 * with those bounds as service-level objectives on a {@code SimpleMeterRegistry}; Prometheus
 * client_java 1.x {@code Histogram.observe} with those classic buckets only (no native histogram, no
 * exemplars); HdrHistogram {@code recordValue} in nanoseconds (3 significant digits) as a
 * {@code ConcurrentHistogram} (the fair peer: thread-safe, cumulative, readable at any time, like the
 * helper), as a {@code Recorder} (thread-safe, interval), and as a plain {@code Histogram}, which is
 * not thread-safe and so runs on one thread only, as the floor.
 *
 * <p>Every thread walks its own slice of 4,096 latencies drawn once, log-uniform from 1 ms to 12 s,
 * so each bucket is hit and the branch predictor cannot learn the sequence. {@code t1_*} run on one
 * thread, {@code t8_*} on eight threads recording into the same instance. With {@code -prof gc} the
 * {@code gc.alloc.rate.norm} column is bytes per recorded value.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar HistogramRecordBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HistogramRecordBenchmark {

    private static final int VALUES = 4096;
    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** The same latencies in seconds and in nanoseconds. */
    static final double[] SECONDS = new double[VALUES];
    static final long[] NANOS = new long[VALUES];

    static {
        SplittableRandom random = new SplittableRandom(18);
        for (int i = 0; i < VALUES; i++) {
            SECONDS[i] = 0.001 * Math.pow(12_000, random.nextDouble());
            NANOS[i] = Math.round(SECONDS[i] * 1e9);
        }
    }

    /** The recorders every thread shares. */
    @State(Scope.Benchmark)
    public static class Shared {
        Histogram helper;
        Timer timer;
        DistributionSummary summary;
        io.prometheus.metrics.core.metrics.Histogram prometheus;
        ConcurrentHistogram hdrConcurrent;
        Recorder hdrRecorder;

        @Setup
        public void setUp() {
            helper = new Histogram("latency");
            double[] bounds = helper.bounds();
            Duration[] slos = new Duration[bounds.length];
            for (int i = 0; i < bounds.length; i++) {
                slos[i] = Duration.ofNanos(Math.round(bounds[i] * 1e9));
            }
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            timer = Timer.builder("latency").serviceLevelObjectives(slos).register(registry);
            summary = DistributionSummary.builder("latency_seconds").serviceLevelObjectives(bounds).register(registry);
            prometheus = io.prometheus.metrics.core.metrics.Histogram.builder()
                    .name("latency_seconds")
                    .classicOnly()
                    .classicUpperBounds(bounds)
                    .withoutExemplars()
                    .build();
            hdrConcurrent = new ConcurrentHistogram(1, HIGHEST_NANOS, 3);
            hdrRecorder = new Recorder(1, HIGHEST_NANOS, 3);
        }
    }

    /** A thread's place in the values, and its own plain HdrHistogram. */
    @State(Scope.Thread)
    public static class Cursor {
        private static int threads;
        int next;
        org.HdrHistogram.Histogram hdrPlain;

        @Setup
        public void setUp() {
            synchronized (Cursor.class) {
                next = (threads++ * 509) & (VALUES - 1); // each thread starts elsewhere in the values
            }
            hdrPlain = new org.HdrHistogram.Histogram(1, HIGHEST_NANOS, 3);
        }

        int next() {
            return next = (next + 1) & (VALUES - 1);
        }
    }

    @Benchmark
    public void t1_helper(Shared s, Cursor c) {
        s.helper.record(SECONDS[c.next()]);
    }

    @Benchmark
    public void t1_micrometerTimer(Shared s, Cursor c) {
        s.timer.record(NANOS[c.next()], TimeUnit.NANOSECONDS);
    }

    @Benchmark
    public void t1_micrometerSummary(Shared s, Cursor c) {
        s.summary.record(SECONDS[c.next()]);
    }

    @Benchmark
    public void t1_prometheus(Shared s, Cursor c) {
        s.prometheus.observe(SECONDS[c.next()]);
    }

    @Benchmark
    public void t1_hdrConcurrent(Shared s, Cursor c) {
        s.hdrConcurrent.recordValue(NANOS[c.next()]);
    }

    @Benchmark
    public void t1_hdrRecorder(Shared s, Cursor c) {
        s.hdrRecorder.recordValue(NANOS[c.next()]);
    }

    /** Not thread-safe: the single-thread floor. */
    @Benchmark
    public void t1_hdrPlain(Cursor c) {
        c.hdrPlain.recordValue(NANOS[c.next()]);
    }

    @Benchmark
    @Threads(8)
    public void t8_helper(Shared s, Cursor c) {
        s.helper.record(SECONDS[c.next()]);
    }

    @Benchmark
    @Threads(8)
    public void t8_micrometerTimer(Shared s, Cursor c) {
        s.timer.record(NANOS[c.next()], TimeUnit.NANOSECONDS);
    }

    @Benchmark
    @Threads(8)
    public void t8_micrometerSummary(Shared s, Cursor c) {
        s.summary.record(SECONDS[c.next()]);
    }

    @Benchmark
    @Threads(8)
    public void t8_prometheus(Shared s, Cursor c) {
        s.prometheus.observe(SECONDS[c.next()]);
    }

    @Benchmark
    @Threads(8)
    public void t8_hdrConcurrent(Shared s, Cursor c) {
        s.hdrConcurrent.recordValue(NANOS[c.next()]);
    }

    @Benchmark
    @Threads(8)
    public void t8_hdrRecorder(Shared s, Cursor c) {
        s.hdrRecorder.recordValue(NANOS[c.next()]);
    }
}
