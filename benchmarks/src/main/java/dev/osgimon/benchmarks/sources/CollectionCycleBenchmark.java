package dev.osgimon.benchmarks.sources;

import java.lang.annotation.Annotation;
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

import dev.osgimon.core.internal.catalog.SourceMetrics;
import dev.osgimon.core.internal.encode.CycleBuffer;
import dev.osgimon.core.internal.encode.LineRenderer;
import dev.osgimon.source.http.internal.HttpSource;
import dev.osgimon.source.memory.internal.MemoryConfig;
import dev.osgimon.source.memory.internal.MemorySource;
import dev.osgimon.source.net.internal.NetConfig;
import dev.osgimon.source.net.internal.NetSource;

/**
 * One collection cycle of the memory, net and http sources in steady state (the real
 * {@code /proc} of this machine), into a counting no-op writer. With {@code -prof gc},
 * {@code gc.alloc.rate.norm} is bytes per cycle; the per-source benchmarks show where they come from.
 * {@code cycleIntoCore} is the core's whole path for the same sources: written into its
 * {@link CycleBuffer} (checked, stored, meaning resolved) and rendered as line protocol.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar CollectionCycleBenchmark -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CollectionCycleBenchmark {

    private MemorySource memory;
    private NetSource net;
    private HttpSource http;
    private final CountingWriter out = new CountingWriter();
    private final CycleBuffer buffer = new CycleBuffer();
    private final LineRenderer renderer = new LineRenderer(64 * 1024);
    private final SourceMetrics memoryMetrics = new SourceMetrics("memory");
    private final SourceMetrics netMetrics = new SourceMetrics("net");
    private final SourceMetrics httpMetrics = new SourceMetrics("http");
    private long timestamp;

    @Setup
    public void setUp() {
        memory = new MemorySource(new MemoryConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return MemoryConfig.class;
            }

            @Override
            public boolean pools() {
                return true;
            }
        });
        net = new NetSource(new NetConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return NetConfig.class;
            }

            @Override
            public String procRoot() {
                return "/proc";
            }

            @Override
            public String[] interfaces() {
                return new String[] {"*"};
            }

            @Override
            public boolean protocolStats() {
                return true;
            }
        });
        http = new HttpSource(50);
        memory.declare(memoryMetrics);
        net.declare(netMetrics);
        http.declare(httpMetrics);
        buffer.globalTags(new String[] {"vm"}, new String[] {"app-server-01"});
    }

    /** The three sources as the collector thread runs them: into the cycle buffer, then rendered. */
    @Benchmark
    public int cycleIntoCore() {
        CycleBuffer b = buffer;
        b.reset(++timestamp);
        b.source(memoryMetrics);
        memory.collect(b);
        b.finish();
        b.source(netMetrics);
        net.collect(b);
        b.finish();
        b.source(httpMetrics);
        http.collect(b);
        b.finish();
        renderer.render(b);
        return renderer.size();
    }

    @Benchmark
    public long allThree() {
        memory.collect(out);
        net.collect(out);
        http.collect(out);
        return out.fold;
    }

    @Benchmark
    public long memory() {
        memory.collect(out);
        return out.fold;
    }

    @Benchmark
    public long net() {
        net.collect(out);
        return out.fold;
    }

    @Benchmark
    public long http() {
        http.collect(out);
        return out.fold;
    }
}
