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

import dev.osgimon.core.internal.encode.LineEncoder;

/**
 * One line of a realistic shape (3 tags, 5 fields: long, double, unsigned, boolean, string),
 * encoded by osgimon's {@link LineEncoder} into its reusable buffer, and by influxdb-client-java's
 * {@code Point.toLineProtocol()} on the same data.
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

    private LineEncoder encoder;
    private long used;
    private double ratio;
    private long counter;
    private final long timestamp = 1_700_000_000_000_000_000L;
    private final Instant instant = Instant.ofEpochSecond(1_700_000_000L);

    @Setup
    public void setup() {
        encoder = new LineEncoder(64 * 1024);
        encoder.globalTags(new String[] {"vm"}, new String[] {"app-server-01"});
        used = 123_456_789L;
        ratio = 123_456_789.0 / 268_435_456.0; // a used/max ratio: all 16 digits
        counter = 42;
    }

    /** osgimon: encodes 100 lines into the reused buffer per invocation (a cycle's worth). */
    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(100)
    public int osgimonEncoder() {
        LineEncoder e = encoder;
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
        return e.size();
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
