package dev.osgimon.benchmarks.core;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;

import dev.osgimon.core.internal.encode.CycleBuffer;
import dev.osgimon.core.internal.encode.LineRenderer;

/**
 * One line of a realistic shape (3 tags, 5 fields: long, double, unsigned, boolean, string),
 * written by osgimon into its {@link CycleBuffer} (checked and stored) and rendered by its
 * {@link LineRenderer} into a reusable byte buffer, as a collection cycle does; and by
 * influxdb-client-java's {@code Point.toLineProtocol()} on the same data. {@code osgimonWrite} and
 * {@code osgimonRender} show the two halves of {@code osgimonEncoder} apart.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar EncodeBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EncodeBenchmark {

    private CycleBuffer buffer;
    private LineRenderer renderer;
    /** A cycle of the 100 points, written once, for {@link #osgimonRender()}. */
    private CycleBuffer written;
    private long used;
    private double ratio;
    private long counter;
    private final long timestamp = 1_700_000_000_000_000_000L;
    private final Instant instant = Instant.ofEpochSecond(1_700_000_000L);

    @Setup
    public void setup() {
        buffer = new CycleBuffer();
        buffer.globalTags(new String[] {"vm"}, new String[] {"app-server-01"});
        renderer = new LineRenderer(64 * 1024);
        used = 123_456_789L;
        ratio = 123_456_789.0 / 268_435_456.0; // a used/max ratio: all 16 digits
        counter = 42;
        written = new CycleBuffer();
        written.globalTags(new String[] {"vm"}, new String[] {"app-server-01"});
        write(written);
    }

    /** osgimon: writes 100 points into the cycle buffer and renders them as lines (a cycle's worth). */
    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(100)
    public int osgimonEncoder() {
        write(buffer);
        renderer.render(buffer);
        return renderer.size();
    }

    /** osgimon: writes 100 points into the cycle buffer only (checks and stores). */
    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(100)
    public int osgimonWrite() {
        write(buffer);
        return buffer.points();
    }

    /** osgimon: renders a written cycle of 100 points as lines only. */
    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(100)
    public int osgimonRender() {
        renderer.render(written);
        return renderer.size();
    }

    private void write(CycleBuffer e) {
        e.reset(timestamp);
        for (int i = 0; i < 100; i++) {
            e.point("jvm_memory_pool")
                    .tag("pool", "G1 Old Gen")
                    .tag("area", "heap")
                    .tag("gc", "G1")
                    .field("used", used + i)
                    .field("usage", ratio)
                    .fieldUnsigned("allocated", counter)
                    .field("collected", true)
                    .field("state", "ok");
        }
        e.finish();
    }

    /** influxdb-client-java: builds a Point and renders it, 100 per invocation. */
    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(100)
    public int influxdbClientPoint() {
        int total = 0;
        for (int i = 0; i < 100; i++) {
            Point p = Point.measurement("jvm_memory_pool")
                    .addTag("pool", "G1 Old Gen")
                    .addTag("area", "heap")
                    .addTag("gc", "G1")
                    .addTag("vm", "app-server-01")
                    .addField("used", used + i)
                    .addField("usage", ratio)
                    .addField("allocated", counter)
                    .addField("collected", true)
                    .addField("state", "ok")
                    .time(instant, WritePrecision.NS);
            total += p.toLineProtocol().length();
        }
        return total;
    }
}
