package dev.osgimon.prometheus.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.osgimon.api.model.Kind;
import dev.osgimon.testing.TestCycle;

/**
 * Prometheus' own checker ({@code promtool check metrics}, Debian package {@code prometheus}) reads
 * both renderings of a snapshot shaped like the shipped sources' cycle. It must find no error; its
 * lint warnings are listed in {@code docs/prometheus.md} and asserted here, so a new one fails.
 */
class PromtoolTest {

    @TempDir
    Path dir;

    /**
     * A cycle like the distribution's: the shipped sources' measurements and fields (docs/sources.md)
     * with the kinds and units they declare, and the global tag {@code vm}.
     */
    static TestCycle realistic() {
        TestCycle c = new TestCycle(1_765_000_000_000_000_000L).global("vm", "host-1");
        for (String area : new String[] {"heap", "nonheap"}) {
            c.point("jvm_memory").tag("area", area);
            for (String f : new String[] {"used", "committed", "max", "init"}) {
                c.field(f, 123_456_789L, Kind.GAUGE, "By", "Memory " + f);
            }
        }
        for (String pool : new String[] {"G1 Eden Space", "G1 Old Gen", "Metaspace"}) {
            c.point("jvm_memory_pool").tag("pool", pool).tag("area", pool.equals("Metaspace") ? "nonheap" : "heap");
            for (String f : new String[] {"used", "committed", "max", "init"}) {
                c.field(f, f.equals("max") ? -1L : 123_456_789L, Kind.GAUGE, "By", "Pool memory " + f + ", -1 if undefined");
            }
        }
        c.point("jvm_gc").tag("gc", "G1 Young Generation")
                .field("count", 12, Kind.COUNTER, "{collection}", "Collections")
                .field("time_ms", 250, Kind.COUNTER, "ms", "Time spent collecting");
        c.point("jvm_buffer_pool").tag("pool", "direct").field("count", 3, Kind.GAUGE, "{buffer}", "Buffers")
                .field("used", 3000, Kind.GAUGE, "By", "Bytes used").field("capacity", 4000, Kind.GAUGE, "By", "Capacity");
        c.point("jvm_allocation").field("bytes", 9_000_000_000L, Kind.COUNTER, "By", "Bytes allocated on the heap");
        for (String itf : new String[] {"eth0", "all"}) {
            c.point("net").tag("interface", itf)
                    .field("bytes_recv", 1_000_000L, Kind.COUNTER, "By", "Bytes received")
                    .field("bytes_sent", 2_000_000L, Kind.COUNTER, "By", "Bytes sent")
                    .field("packets_recv", 3000, Kind.COUNTER, "{packet}", "Packets received")
                    .field("err_in", 0, Kind.COUNTER, "{packet}", "Receive errors");
        }
        c.point("http_response");
        for (String status : new String[] {"1xx", "2xx", "3xx", "4xx", "5xx", "total"}) {
            c.field(status, 7, Kind.COUNTER, "{response}", "Responses with status " + status);
        }
        for (String m : new String[] {"GET", "POST", "other"}) {
            c.point("http_requests").tag("method", m).field("total", 20, Kind.COUNTER, "{request}", "Requests by method");
        }
        c.point("http_server").field("in_flight", 1, Kind.GAUGE, "{request}", "Requests started and not answered");
        c.point("http_latency").histogram("s", "Time to answer a request",
                new double[] {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10},
                new long[] {30, 5, 3, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3}, 1.875);
        c.point("osgi_bundles");
        for (String f : new String[] {"installed", "resolved", "active", "fragments", "total"}) {
            c.field(f, 30, Kind.GAUGE, "{bundle}", "Bundles " + f);
        }
        c.point("osgi_component_problem").tag("component", "a.b.C").tag("bundle", "a.b")
                .field("state", "unsatisfied_reference", Kind.GAUGE, "", "The problem");
        c.point("osgi_events").field("framework_errors", 0, Kind.COUNTER, "{event}", "Framework errors");
        c.point("process").field("cpu_user_s", 12.5, Kind.COUNTER, "s", "CPU seconds in user mode")
                .field("cpu_usage", 12.5, Kind.GAUGE, "%", "Percent of one core")
                .field("threads", 42, Kind.GAUGE, "{thread}", "Live threads")
                .field("open_fds", 120, Kind.GAUGE, "{file}", "Open file descriptors")
                .field("uptime_s", 3600.5, Kind.COUNTER, "s", "Seconds since the JVM started")
                .field("memory_rss", 250_000_000L, Kind.GAUGE, "By", "Resident memory");
        c.point("system_load").field("load1", 0.5, Kind.GAUGE, "", "Load average over 1 minute")
                .field("cpus", 2, Kind.GAUGE, "{cpu}", "Processors");
        c.point("health_check").tag("name", "osgimon delivery").field("status", 0, Kind.GAUGE, "", "0 = OK")
                .field("ok", true, Kind.GAUGE, "", "Whether the check is OK");
        c.point("health").field("age_s", 1.5, Kind.GAUGE, "s", "Seconds since these results were taken");
        for (String level : new String[] {"error", "warn", "info"}) {
            c.point("log_entries").tag("level", level).field("count", 5, Kind.COUNTER, "{entry}", "Log entries \"by\" level");
        }
        c.point("osgimon").tag("target", "tcp").unsigned("lines_sent", 1000, Kind.COUNTER, "Lines delivered");
        c.point("osgimon_source").tag("source", "memory")
                .field("collect_time_ns", 125_000, Kind.GAUGE, "ns", "Time to collect\nthe source");
        return c;
    }

    @Test
    void promtoolAcceptsBothFormats() throws Exception {
        Snapshot s = new SnapshotBuilder().build(realistic());
        String lint = check(s.bytes(Format.TEXT, false), "text.prom", "check", "metrics");
        // promtool's lint (style advice, not errors) keeps four warnings, all about names and units the
        // sources chose: a gauge field "count" (jvm_buffer_pool) or "total" (osgi_bundles), and times
        // declared in ms and ns (the exposition keeps the declared unit rather than convert values)
        assertThat(lint.lines()).as("promtool's lint of text 0.0.4").containsExactlyInAnyOrder(
                "osgi_bundles_total non-counter metrics should not have \"_total\" suffix",
                "jvm_buffer_pool_count non-histogram and non-summary metrics should not have \"_count\" suffix",
                "jvm_gc_time_milliseconds_total use base unit \"seconds\" instead of \"milliseconds\"",
                "osgimon_source_collect_time_nanoseconds use base unit \"seconds\" instead of \"nanoseconds\"");
        // promtool 2.42's "check metrics" reads text 0.0.4 only (it rejects OpenMetrics' \" in HELP).
        // Its OpenMetrics backfill reads with Prometheus' own OpenMetrics parser (the scraper's): TYPE,
        // UNIT as a name suffix, HELP escapes, sample suffixes per type, # EOF. It needs a timestamp per
        // sample, which the exposition leaves out: the test appends one to every sample line.
        StringBuilder timed = new StringBuilder();
        for (String line : new String(s.bytes(Format.OPENMETRICS, false), StandardCharsets.UTF_8).split("\n")) {
            timed.append(line).append(line.startsWith("#") ? "" : " 1765000000").append('\n');
        }
        String backfill = check(timed.toString().getBytes(StandardCharsets.UTF_8), "openmetrics.om", "tsdb",
                "create-blocks-from", "openmetrics", "openmetrics.om", dir.resolve("blocks").toString());
        int series = 0;
        for (Family f : s.families()) {
            series += f.series().size() * (f.kind() == Kind.HISTOGRAM ? f.series().get(0).le.length + 2 : 1);
        }
        assertThat(backfill).as("every series of the OpenMetrics rendering read back").containsPattern(
                "\\s" + series + "\\s+\\d+\\s+" + series + "\\s");
    }

    /** Runs promtool on a file (as stdin and in its folder); returns its output (fails on an error). */
    private String check(byte[] exposition, String name, String... args) throws IOException, InterruptedException {
        Path file = dir.resolve(name);
        Files.write(file, exposition);
        Path promtool = List.of(Path.of("/usr/bin/promtool"), Path.of("/usr/local/bin/promtool")).stream()
                .filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new AssertionError("promtool not found: install the Debian package prometheus (.ci/run does)"));
        List<String> command = new java.util.ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        int code = p.exitValue();
        assertThat(out).as("promtool on " + name).doesNotContainIgnoringCase("error");
        // 0: clean; 3: lint warnings only (printed); anything else is a failure to read the exposition
        assertThat(code).as("promtool exit code on " + name + ":\n" + out).isIn(0, 3);
        return out.trim();
    }
}
