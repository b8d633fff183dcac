package dev.osgimon.prometheus.internal;

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

/**
 * The scrape endpoint's cost per collection cycle and per scrape, on a realistic cycle written into
 * the core's real {@link CycleBuffer}: 68 points of 1 to 3 tags ({@code vm} among them) and 1 to 5
 * fields (long, double, boolean, string; gauges and counters with units and descriptions), and one
 * histogram of 12 buckets.
 * <ul>
 * <li>{@code cycleCollected}: what the collector thread pays per cycle, scraped or not (the copy).</li>
 * <li>{@code build}: the snapshot of a copied cycle (names, admission, families), paid by the first
 * scrape of a cycle: until this change, by the collector thread on every cycle.</li>
 * <li>{@code scrape}: a first scrape of a cycle, build and text rendering; {@code cachedScrape}:
 * every further scrape of the same cycle.</li>
 * </ul>
 * It sits in the endpoint's package (on the plain class path here) to reach its package-private types.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ScrapeObserverBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ScrapeObserverBenchmark {

    private static final double[] BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    private static final long TIME = 1_700_000_000_000_000_000L;

    private CycleBuffer cycle;
    private final LatestCycle latest = new LatestCycle();
    private final SnapshotBuilder builder = new SnapshotBuilder();
    private CycleCopy copy;

    @Setup
    public void setup() {
        cycle = new CycleBuffer();
        cycle.globalTags(new String[] {"vm"}, new String[] {"app-server-01"});
        write(cycle, TIME);
        if (cycle.points() != 68) {
            throw new IllegalStateException("the cycle has " + cycle.points() + " points, not 68");
        }
        copy = CycleCopy.of(cycle);
        latest.cycleCollected(cycle);
        System.out.printf("%nseries %d, text bytes %d%n", latest.snapshot().families().stream()
                .mapToInt(f -> f.series().size()).sum(), latest.snapshot().bytes(Format.TEXT, false).length);
    }

    static void write(CycleBuffer c, long time) {
        SourceMetrics memory = new SourceMetrics("memory");
        memory.gauge("jvm_memory_pool", "used", "By", "bytes used");
        memory.gauge("jvm_memory_pool", "committed", "By", "bytes committed");
        memory.gauge("jvm_memory_pool", "max", "By", "most bytes");
        memory.counter("jvm_gc", "collections", "{collection}", "collections");
        memory.counter("jvm_gc", "pause", "ms", "time collecting");
        SourceMetrics osgi = new SourceMetrics("osgi");
        osgi.gauge("osgi_bundles", "count", "{bundle}", "bundles by state");
        osgi.gauge("osgi_component", "satisfied", "", "whether satisfied");
        SourceMetrics http = new SourceMetrics("http");
        http.counter("http_requests", "count", "{request}", "requests");
        http.counter("http_requests", "errors", "{request}", "failed requests");
        http.histogram("http_latency", "s", "time from request to response");
        SourceMetrics process = new SourceMetrics("process");
        process.gauge("process", "cpu", "1", "cpu share");
        process.counter("process", "cpu_time", "ns", "cpu time");
        c.reset(time);
        c.source(memory);
        String[] pools = {"G1 Eden Space", "G1 Old Gen", "G1 Survivor Space", "Metaspace", "CodeHeap 'non-nmethods'",
                "CodeHeap 'profiled nmethods'", "CodeHeap 'non-profiled nmethods'", "Compressed Class Space"};
        for (int i = 0; i < pools.length; i++) {
            c.point("jvm_memory_pool").tag("pool", pools[i]).tag("area", i < 3 ? "heap" : "nonheap")
                    .field("used", 1_000_000L * (i + 1)).field("committed", 2_000_000L * (i + 1))
                    .field("max", 8_000_000L * (i + 1));
        }
        c.point("jvm_gc").tag("gc", "G1 Young Generation").field("collections", 120L).field("pause", 340L);
        c.point("jvm_gc").tag("gc", "G1 Old Generation").field("collections", 2L).field("pause", 80L);
        c.source(osgi);
        String[] states = {"active", "resolved", "installed", "starting", "stopping", "fragment"};
        for (int i = 0; i < states.length; i++) {
            c.point("osgi_bundles").tag("state", states[i]).field("count", (long) (30 - 5 * i));
        }
        for (int i = 0; i < 30; i++) {
            c.point("osgi_component").tag("component", COMPONENTS[i]).tag("bundle", "dev.osgimon.b" + (i % 7))
                    .field("satisfied", i % 5 != 0).field("references", (long) (i % 3)).field("state", "active");
        }
        c.source(http);
        for (int i = 0; i < 20; i++) {
            c.point("http_requests").tag("route", ROUTES[i]).tag("method", i % 4 == 0 ? "POST" : "GET")
                    .field("count", 1000L * i).field("errors", (long) i).field("bytes", 12_345.5 * i);
        }
        long[] counts = new long[BOUNDS.length + 1];
        for (int b = 0; b < counts.length; b++) {
            counts[b] = 3L * b + 1;
        }
        c.point("http_latency").tag("route", "/api").histogram(BOUNDS, counts, 42.5, 0.001, 9.5);
        c.source(process);
        c.point("process").field("cpu", 0.0123).field("cpu_time", 9_876_543_210L).field("threads", 42L)
                .field("open_files", 120L).field("uptime", 3600.25);
        c.finish();
    }

    private static final String[] COMPONENTS = names("dev.osgimon.component.C", 30);
    private static final String[] ROUTES = names("/api/route/", 20);

    private static String[] names(String prefix, int n) {
        String[] s = new String[n];
        for (int i = 0; i < n; i++) {
            s[i] = prefix + i;
        }
        return s;
    }

    /** What the collector thread pays per cycle: the observer's copy. */
    @Benchmark
    public long cycleCollected() {
        latest.cycleCollected(cycle);
        return cycle.timestampNanos();
    }

    /** The snapshot of a copied cycle: what the observer did on every cycle before, now the first scrape's. */
    @Benchmark
    public Snapshot build() {
        return builder.build(copy);
    }

    /** The first scrape of a cycle: its snapshot built, then rendered as text 0.0.4. */
    @Benchmark
    public byte[] scrape() {
        return builder.build(copy).bytes(Format.TEXT, false);
    }

    /** Every further scrape of the same cycle: the snapshot and its rendering are kept. */
    @Benchmark
    public byte[] cachedScrape() {
        return latest.snapshot().bytes(Format.TEXT, false);
    }
}
