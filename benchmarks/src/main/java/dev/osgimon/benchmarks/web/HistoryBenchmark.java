package dev.osgimon.benchmarks.web;

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
import dev.osgimon.web.internal.History;

/**
 * The operator page's work on the collector thread: {@link History#add} of one realistic cycle (70
 * points with one to three tags each and the global tag, 1 to 5 numeric fields, string fields the
 * history skips, and one 15-bucket histogram: 143 series), into a history of the page's default size
 * (360 cycles, 4096 series), in steady state (every series already known).
 *
 * <p>Two cycles of the same points alternate: the second's tag values are equal to the first's but
 * not the same {@code String} objects, as a source that builds its tag values each cycle writes them.
 * One operation is one cycle.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar HistoryBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HistoryBenchmark {

    private static final double[] BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10};
    private static final String[] POOLS = {"G1 Eden Space", "G1 Old Gen", "G1 Survivor Space", "Metaspace",
        "CodeHeap 'non-nmethods'", "Compressed Class Space"};
    private static final String[] INTERFACES = {"lo", "eth0", "eth1", "docker0"};
    private static final String[] STATES = {"installed", "resolved", "starting", "active", "stopping", "uninstalled"};
    private static final String[] ROUTES = {"/osgimon", "/api", "/system/console"};
    private static final String[] LEVELS = {"error", "warn", "info"};
    private static final long TIME = 1_700_000_000_000_000_000L;

    private History history;
    private CycleBuffer first;
    private CycleBuffer second;
    private boolean odd;

    @Setup
    public void setup() {
        SourceMetrics declarations = new SourceMetrics("bench");
        declarations.gauge("jvm_memory", "used", "By", "memory in use");
        declarations.counter("net", "*", "By", "bytes");
        declarations.counter("http_response", "*", "{response}", "responses");
        declarations.histogram("http_latency", "s", "time from request to response");
        first = cycle(declarations, false);
        second = cycle(declarations, true);
        history = new History(360, 4096);
        for (int i = 0; i < 400; i++) {
            add(); // past the ring's length: the steady state of a running page
        }
        if (history.size() != 143) {
            throw new IllegalStateException("the history keeps " + history.size() + " series, not 143");
        }
    }

    /** @return {@code text} itself, or an equal copy of it when {@code copy} */
    private static String text(String text, boolean copy) {
        return copy ? new String(text.toCharArray()) : text;
    }

    private static CycleBuffer cycle(SourceMetrics declarations, boolean copy) {
        CycleBuffer c = new CycleBuffer();
        c.globalTags(new String[] {"host"}, new String[] {"app-server-01"});
        c.reset(TIME);
        c.source(declarations);
        c.point("jvm_memory").tag("area", text("heap", copy)).field("used", 123_456_789L).field("committed", 268_435_456L)
                .field("max", 1_073_741_824L);
        c.point("jvm_memory").tag("area", text("nonheap", copy)).field("used", 61_234_567L).field("committed", 70_000_000L)
                .field("max", -1L);
        for (int i = 0; i < POOLS.length; i++) {
            c.point("jvm_memory_pool").tag("pool", text(POOLS[i], copy)).tag("area", text(i < 3 ? "heap" : "nonheap", copy))
                    .field("used", 1_000_000L * i).field("committed", 2_000_000L * i).field("max", 4_000_000L * i)
                    .field("usage", 0.25 * i / 3.0);
        }
        c.point("jvm_gc").tag("gc", text("G1 Young Generation", copy)).field("count", 42L).field("time_ms", 512L);
        c.point("jvm_gc").tag("gc", text("G1 Old Generation", copy)).field("count", 0L).field("time_ms", 0L);
        c.point("jvm_threads").field("count", 57L).field("daemon", 41L).field("peak", 60L);
        c.point("process").field("cpu_usage", 0.0123).field("open_fds", 312L).field("rss", 412_000_000L);
        for (int i = 0; i < INTERFACES.length; i++) {
            c.point("net").tag("interface", text(INTERFACES[i], copy)).field("rx_bytes", 1_000_000L * i)
                    .field("tx_bytes", 900_000L * i).field("rx_packets", 1000L * i).field("tx_packets", 900L * i)
                    .field("errors", 0L);
        }
        for (int i = 0; i < STATES.length; i++) {
            c.point("osgi_bundles").tag("state", text(STATES[i], copy)).field("count", (long) i * 7);
        }
        for (int i = 0; i < 40; i++) {
            c.point("osgi_bundle").tag("bundle", text("org.example.bundle" + i, copy)).field("id", (long) i)
                    .field("state", "active");
        }
        for (int i = 0; i < ROUTES.length; i++) {
            c.point("http_response").tag("route", text(ROUTES[i], copy)).tag("method", text("GET", copy))
                    .field("total", 100L * i).field("2xx", 90L * i).field("4xx", 9L * i).field("5xx", (long) i);
        }
        for (int i = 0; i < LEVELS.length; i++) {
            c.point("log_entries").tag("level", text(LEVELS[i], copy)).field("count", 3L * i);
        }
        c.point("osgimon").field("buffer_lines", 0L).field("oldest_buffered_age_s", 0.0).field("cycle_time_ns", 812_345L);
        long[] counts = new long[BOUNDS.length + 1];
        for (int b = 0; b < counts.length; b++) {
            counts[b] = b % 4;
        }
        c.point("http_latency").tag("route", text("/osgimon", copy)).histogram(BOUNDS, counts, 1.25, 0.001, 9.5);
        c.finish();
        if (c.points() != 70) {
            throw new IllegalStateException("the cycle has " + c.points() + " points, not 70");
        }
        return c;
    }

    /** One cycle into the history, as {@code WebComponent.cycleCollected} records it. */
    @Benchmark
    public long add() {
        odd = !odd;
        history.add(odd ? first : second);
        return history.cycleCount();
    }
}
