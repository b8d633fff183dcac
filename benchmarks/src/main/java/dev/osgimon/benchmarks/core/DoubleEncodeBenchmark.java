package dev.osgimon.benchmarks.core;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.osgimon.core.internal.encode.CycleBuffer;
import dev.osgimon.core.internal.encode.LineRenderer;

/**
 * Double fields: osgimon's cycle buffer and line renderer (shortest round-trip digits, written into its buffer) against
 * the JDK's {@code Double.toString} turned into bytes, on the same 1024 doubles of all magnitudes.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar DoubleEncodeBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DoubleEncodeBenchmark {

    private static final int N = 1024;

    private final double[] values = new double[N];
    private CycleBuffer buffer;
    private LineRenderer renderer;

    @Setup
    public void setup() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < N; i++) {
            double v;
            do {
                v = i % 2 == 0 ? Double.longBitsToDouble(random.nextLong()) : random.nextDouble() * 1e6;
            } while (!Double.isFinite(v));
            values[i] = v;
        }
        buffer = new CycleBuffer();
        renderer = new LineRenderer(64 * 1024);
    }

    /** 128 points of 8 double fields, per double. */
    @Benchmark
    @OperationsPerInvocation(N)
    public int osgimonEncoder() {
        CycleBuffer e = buffer;
        e.reset(1);
        for (int i = 0; i < N; i++) {
            if ((i & 7) == 0) {
                e.point("m");
            }
            e.field(KEYS[i & 7], values[i]);
        }
        e.finish();
        renderer.render(e);
        return renderer.size();
    }

    /** {@code Double.toString(v).getBytes(US_ASCII)}, per double. */
    @Benchmark
    @OperationsPerInvocation(N)
    public int jdkToString() {
        int total = 0;
        for (int i = 0; i < N; i++) {
            total += Double.toString(values[i]).getBytes(StandardCharsets.US_ASCII).length;
        }
        return total;
    }

    private static final String[] KEYS = {"f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7"};
}
