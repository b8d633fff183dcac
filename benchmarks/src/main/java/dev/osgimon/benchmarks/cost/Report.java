package dev.osgimon.benchmarks.cost;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The Markdown section of one probe run: per-source table, the figures against the goals. */
final class Report {

    private final CostProbe probe;
    private final Instant started;
    private final String loadBefore;
    private final String loadAfter;
    private final List<LineReceiver.Cycle> all;
    private final int windowStart;
    private final List<LineReceiver.Cycle> window;
    private final CostProbe.Snapshot a;
    private final CostProbe.Snapshot b;
    private final CostProbe.Snapshot baseA;
    private final CostProbe.Snapshot baseB;
    private final List<LineReceiver.Cycle> memoryWindow;

    Report(CostProbe probe, Instant started, String loadBefore, String loadAfter, List<LineReceiver.Cycle> all,
            int windowStart, List<LineReceiver.Cycle> window, CostProbe.Snapshot a, CostProbe.Snapshot b,
            CostProbe.Snapshot baseA, CostProbe.Snapshot baseB, List<LineReceiver.Cycle> memoryWindow) {
        this.probe = probe;
        this.started = started;
        this.loadBefore = loadBefore;
        this.loadAfter = loadAfter;
        this.all = all;
        this.windowStart = windowStart;
        this.window = window;
        this.a = a;
        this.b = b;
        this.baseA = baseA;
        this.baseB = baseB;
        this.memoryWindow = memoryWindow;
    }

    String markdown(String chartName) throws IOException {
        StringBuilder s = new StringBuilder();
        s.append("### ").append(probe.label).append(": every ").append(probe.interval).append(" s, ")
                .append(window.size()).append(" cycles measured after ").append(probe.warmup).append(" s\n\n");
        s.append("Measured ").append(CostProbe.date(started)).append(" on ").append(machine())
                .append("; load average ").append(load(loadBefore)).append(" before, ").append(load(loadAfter))
                .append(" after. Command: `").append(probe.command).append("`.\n\n");

        s.append("Collect time per source (`osgimon_source.collect_time_ns`) and the whole cycle (`osgimon.cycle_time_ns`),"
                + " µs. Cold: the source's first collection; 3rd: its third, as in the issue; median, p99 (nearest rank) and max over the"
                + " measured window (cycles ").append(windowStart + 1).append("–").append(windowStart + window.size())
                .append(").\n\n");
        s.append("| source | cold (1st) | 3rd | median | p99 | max |\n|---|---:|---:|---:|---:|---:|\n");
        for (String source : sources()) {
            List<Long> v = new ArrayList<>();
            for (LineReceiver.Cycle c : window) {
                Long ns = c.collectNs.get(source);
                if (ns != null) {
                    v.add(ns);
                }
            }
            s.append("| ").append(source).append(" | ").append(us(at(0, source))).append(" | ").append(us(at(2, source)))
                    .append(" | ").append(us(median(v))).append(" | ").append(us(p99(v))).append(" | ").append(us(max(v)))
                    .append(" |\n");
        }
        List<Long> cycle = cycleTimes(window);
        s.append("| **whole cycle** | ").append(us(cycleAt(1))).append(" | ").append(us(cycleAt(3))).append(" | **")
                .append(us(median(cycle))).append("** | **").append(us(p99(cycle))).append("** | ").append(us(max(cycle)))
                .append(" |\n\n");
        s.append("(`cycle_time_ns` is written by the next cycle: \"cold\" shows cycle 1's time as cycle 2 reports it.)\n\n");

        int n = window.size();
        double seconds = (b.nanos() - a.nanos()) / 1e9;
        double alloc = (b.collector().allocatedBytes() - a.collector().allocatedBytes()) / (double) n;
        double collectorCpu = (b.collector().cpuNanos() - a.collector().cpuNanos()) / (double) n;
        double share = 100 * (b.cpuSeconds() - a.cpuSeconds()) / seconds;
        s.append("| figure | measured | goal | |\n|---|---:|---:|---|\n");
        s.append(row("cycle time, median", us(median(cycle)) + " µs", "≤ 1,000 µs", median(cycle) <= CostProbe.GOAL_MEDIAN_NS));
        s.append(row("cycle time, p99", us(p99(cycle)) + " µs", "≤ 5,000 µs", p99(cycle) <= CostProbe.GOAL_P99_NS));
        s.append(row("allocation per cycle, collector thread", String.format(Locale.ROOT, "%,.0f B", alloc), "≤ 65,536 B",
                alloc <= CostProbe.GOAL_ALLOC_BYTES));
        s.append(row("CPU per cycle, collector thread", us(collectorCpu) + " µs ("
                + pct(100 * collectorCpu / (probe.interval * 1e9)) + " of one core)", "", null));
        s.append(row("process CPU, osgimon distribution", perHour(share) + " (" + pct(share) + " of one core)", "", null));
        if (baseA != null) {
            double base = 100 * (baseB.cpuSeconds() - baseA.cpuSeconds()) / ((baseB.nanos() - baseA.nanos()) / 1e9);
            double diff = share - base;
            s.append(row("process CPU, same distribution without the osgimon bundles", perHour(base) + " (" + pct(base)
                    + " of one core)", "", null));
            s.append(row("osgimon's share (difference)", perHour(diff) + " (" + pct(diff) + " of one core); ratio "
                    + (base > 0 ? String.format(Locale.ROOT, "%.2f×", share / base) : "–"), "≤ 0.05 % (1.8 s/h)",
                    diff <= CostProbe.GOAL_CPU_SHARE_PERCENT));
        }
        s.append(row("CPU of osgimon's threads (`osgimon-*`, the collector included)",
                perHour(100 * (b.collector().osgimonThreadsCpuNanos() - a.collector().osgimonThreadsCpuNanos()) / 1e9 / seconds),
                "", null));
        double jit = 100 * (b.collector().compileMillis() - a.collector().compileMillis()) / 1e3 / seconds;
        double gc = 100 * (b.collector().gcMillis() - a.collector().gcMillis()) / 1e3 / seconds;
        if (baseA != null) {
            double baseSeconds = (baseB.nanos() - baseA.nanos()) / 1e9;
            double baseJit = 100 * (baseB.collector().compileMillis() - baseA.collector().compileMillis()) / 1e3 / baseSeconds;
            double baseGc = 100 * (baseB.collector().gcMillis() - baseA.collector().gcMillis()) / 1e3 / baseSeconds;
            s.append(row("JIT compilation time (`CompilationMXBean`), with / without osgimon", perHour(jit) + " / "
                    + perHour(baseJit), "", null));
            s.append(row("GC time (`GarbageCollectorMXBean`s), with / without osgimon", perHour(gc) + " / "
                    + perHour(baseGc), "", null));
        } else {
            s.append(row("JIT compilation time (`CompilationMXBean`)", perHour(jit), "", null));
            s.append(row("GC time (`GarbageCollectorMXBean`s)", perHour(gc), "", null));
        }
        List<Long> append = appendTimes(window);
        if (!append.isEmpty()) {
            s.append(row("disk spool append per cycle (`osgimon.append_time_ns`), median / p99", us(median(append)) + " / "
                    + us(p99(append)) + " µs", "≤ 50 µs", median(append) <= CostProbe.GOAL_SPOOL_NS));
        }
        if (memoryWindow != null && !memoryWindow.isEmpty()) {
            List<Long> mem = cycleTimes(memoryWindow);
            double spool = median(cycle) - median(mem);
            s.append(row("cycle time, median, `buffer=memory` (same window)", us(median(mem)) + " µs", "", null));
            List<Long> memAppend = appendTimes(memoryWindow);
            if (!memAppend.isEmpty()) {
                s.append(row("memory buffer append per cycle, `buffer=memory`, median / p99", us(median(memAppend)) + " / "
                        + us(p99(memAppend)) + " µs", "", null));
            }
            s.append(row("cycle time, disk minus memory (median difference, two JVMs)", us(spool) + " µs", "", null));
        }
        List<Long> lines = new ArrayList<>();
        List<Long> bytes = new ArrayList<>();
        for (LineReceiver.Cycle c : window) {
            lines.add((long) c.lines);
            bytes.add(c.bytes);
        }
        s.append(row("lines per cycle (median)", String.format(Locale.ROOT, "%,.0f (%,.0f B)", median(lines), median(bytes)),
                "", null));
        s.append("\n![").append(probe.label).append(": collect time per source over the cycles](").append(chartName)
                .append(")\n\n");
        return s.toString();
    }

    private static String row(String what, String measured, String goal, Boolean met) {
        return "| " + what + " | " + measured + " | " + goal + " | " + (met == null ? "" : met ? "met" : "**not met**") + " |\n";
    }

    private Set<String> sources() {
        Set<String> names = new LinkedHashSet<>();
        for (LineReceiver.Cycle c : all) {
            names.addAll(c.collectNs.keySet());
        }
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(Comparator.comparingDouble((String src) -> {
            List<Long> v = new ArrayList<>();
            for (LineReceiver.Cycle c : window) {
                Long ns = c.collectNs.get(src);
                if (ns != null) {
                    v.add(ns);
                }
            }
            return -median(v);
        }));
        return new LinkedHashSet<>(sorted);
    }

    /**
     * The source's {@code index}-th report with a time (0-based): a source collected after
     * {@code monitoring} shows its previous cycle's time, so its first cycle reads 0 and is skipped.
     */
    private double at(int index, String source) {
        int seen = 0;
        for (LineReceiver.Cycle c : all) {
            Long ns = c.collectNs.get(source);
            if (ns != null && ns > 0 && seen++ == index) {
                return ns;
            }
        }
        return Double.NaN;
    }

    /** cycle_time_ns of cycle {@code k} (1-based), reported by the cycle after it. */
    private double cycleAt(int k) {
        return k < all.size() && all.get(k).cycleTimeNs > 0 ? all.get(k).cycleTimeNs : Double.NaN;
    }

    static List<Long> cycleTimes(List<LineReceiver.Cycle> cycles) {
        List<Long> v = new ArrayList<>();
        for (LineReceiver.Cycle c : cycles) {
            if (c.cycleTimeNs > 0) {
                v.add(c.cycleTimeNs);
            }
        }
        return v;
    }

    static List<Long> appendTimes(List<LineReceiver.Cycle> cycles) {
        List<Long> v = new ArrayList<>();
        for (LineReceiver.Cycle c : cycles) {
            if (c.appendTimeNs > 0) {
                v.add(c.appendTimeNs);
            }
        }
        return v;
    }

    static double median(List<Long> v) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        List<Long> s = new ArrayList<>(v);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2.0;
    }

    static double p99(List<Long> v) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        List<Long> s = new ArrayList<>(v);
        s.sort(null);
        return s.get((int) Math.ceil(0.99 * s.size()) - 1);
    }

    static double max(List<Long> v) {
        return v.stream().mapToLong(Long::longValue).max().orElse(-1);
    }

    private static String us(double ns) {
        if (Double.isNaN(ns) || ns < 0) {
            return "–";
        }
        return ns >= 10_000 ? String.format(Locale.ROOT, "%,.0f", ns / 1000) : String.format(Locale.ROOT, "%,.1f", ns / 1000);
    }

    private static String pct(double percent) {
        return String.format(Locale.ROOT, "%.3f %%", percent);
    }

    private static String perHour(double percent) {
        return String.format(Locale.ROOT, "%.1f CPU s/h", percent / 100 * 3600);
    }

    private static String load(String loadavg) {
        String[] f = loadavg.split(" ");
        return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : loadavg;
    }

    private static String machine() throws IOException {
        String model = "";
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                model = line.substring(line.indexOf(':') + 1).trim();
                break;
            }
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + model + "), Linux " + System.getProperty("os.version")
                + ", JDK " + System.getProperty("java.version");
    }
}
