package dev.osgimon.benchmarks.cost;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The cost probe: what watching costs in the running agent, not in a benchmark. It starts the built
 * distribution with a local line-protocol receiver as its {@code tcp://} target, lets it run, and
 * reads the self metrics ({@code cycle_time_ns}, each source's {@code collect_time_ns}), the JVM's
 * CPU time ({@code /proc/<pid>/stat}) and the collector thread's allocated bytes and CPU time
 * (ThreadMXBean, through the JVM's local management agent). Optionally, at the same time and
 * with the same windows: the same distribution without the osgimon bundles (the CPU comparison),
 * and the agent with {@code buffer=memory} instead of the disk spool (the spool's per-cycle cost).
 * It writes a Markdown section (between markers, so it can be re-run into a hand-written file)
 * and a PNG chart of the per-source collect times over the cycles, cold to steady.
 *
 * <pre>
 * benchmarks/cost-probe.sh --interval 10 --cycles 30 --baseline --memory-buffer --label 10s \
 *     --out docs/cost.md --png docs/cost.png
 * </pre>
 *
 * Options: {@code --dist} (default {@code distribution/target/osgimon}), {@code --interval} s (10),
 * {@code --cycles} measured after the warm-up (30), {@code --warmup} s before the measured window
 * (60), {@code --baseline}, {@code --memory-buffer}, {@code --label} (names the section),
 * {@code --out} (Markdown file), {@code --png} (chart file).
 */
public final class CostProbe {

    /** Goals of the running agent (issue: the cost of watching). */
    static final double GOAL_MEDIAN_NS = 1_000_000;
    static final double GOAL_P99_NS = 5_000_000;
    static final double GOAL_CPU_SHARE_PERCENT = 0.05;
    static final double GOAL_ALLOC_BYTES = 64 * 1024;
    static final double GOAL_SPOOL_NS = 50_000;

    final Path dist;
    final int interval;
    final int cycles;
    final int warmup;
    final boolean baseline;
    final boolean memoryBuffer;
    final String label;
    final Path out;
    final Path png;
    final String command;

    CostProbe(Map<String, String> o, String command) {
        dist = Path.of(o.getOrDefault("dist", "distribution/target/osgimon"));
        interval = positive(o, "interval", 10);
        cycles = positive(o, "cycles", 30);
        warmup = Integer.parseInt(o.getOrDefault("warmup", "60"));
        baseline = o.containsKey("baseline");
        memoryBuffer = o.containsKey("memory-buffer");
        label = o.getOrDefault("label", interval + "s");
        out = Path.of(o.getOrDefault("out", "benchmarks/target/cost.md"));
        png = Path.of(o.getOrDefault("png", out.resolveSibling("cost-" + label + ".png").toString()));
        this.command = command;
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup must not be negative, was " + warmup);
        }
    }

    private static int positive(Map<String, String> o, String key, int otherwise) {
        int v = Integer.parseInt(o.getOrDefault(key, String.valueOf(otherwise)));
        if (v < 1) {
            throw new IllegalArgumentException("--" + key + " must be at least 1, was " + v);
        }
        return v;
    }

    /**
     * @param args see the class comment
     * @throws Exception if a run fails
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected an --option, got '" + args[i] + "'");
            }
            String key = args[i].substring(2);
            if (key.equals("baseline") || key.equals("memory-buffer")) {
                o.put(key, "");
            } else if (i + 1 < args.length) {
                o.put(key, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + key + " needs a value");
            }
        }
        Result r = new CostProbe(o, "benchmarks/cost-probe.sh " + String.join(" ", args)).run();
        System.out.println("cost probe: wrote " + r.markdownFile + " and " + r.chartFile);
    }

    /** What a probe run produced. */
    record Result(Path markdownFile, Path chartFile, String section) {
    }

    /** One run's snapshot at a window edge. */
    record Snapshot(long nanos, double cpuSeconds, AgentRun.ThreadCost collector) {
    }

    Result run() throws Exception {
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        Instant started = Instant.now();
        List<AgentRun> runs = new ArrayList<>();
        List<LineReceiver> receivers = new ArrayList<>();
        try {
            LineReceiver rx = new LineReceiver();
            receivers.add(rx);
            AgentRun agent = AgentRun.prepare(dist, "osgimon", true, env(rx), Map.of());
            runs.add(agent);
            AgentRun without = null;
            if (baseline) {
                without = AgentRun.prepare(dist, "without-osgimon", false, env(null), Map.of());
                runs.add(without);
            }
            LineReceiver memRx = null;
            AgentRun memory = null;
            if (memoryBuffer) {
                memRx = new LineReceiver();
                receivers.add(memRx);
                memory = AgentRun.prepare(dist, "buffer-memory", true, env(memRx), Map.of("buffer", "memory"));
                runs.add(memory);
            }
            for (AgentRun a : runs) {
                a.start();
            }
            long t0 = System.nanoTime();
            long deadline = t0 + TimeUnit.SECONDS.toNanos(warmup + 120L + 3L * interval * (cycles + 3));
            // the first cycle that arrives after the warm-up opens the window
            long warm = t0 + TimeUnit.SECONDS.toNanos(warmup);
            await("a cycle after the warm-up", deadline, runs, () -> firstAfter(rx.cycles(), warm) >= 0);
            int first = firstAfter(rx.cycles(), warm);
            long half = TimeUnit.SECONDS.toNanos(interval) / 2;
            pause(half);
            List<Snapshot> a = snapshots(runs);
            await(cycles + " cycles", deadline, runs, () -> rx.cycles().size() > first + cycles);
            pause(half);
            List<Snapshot> b = snapshots(runs);
            String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();

            List<LineReceiver.Cycle> all = rx.cycles();
            List<LineReceiver.Cycle> window = all.subList(first + 1, first + 1 + cycles);
            Report report = new Report(this, started, loadBefore, loadAfter, all, first + 1, window,
                    a.get(0), b.get(0),
                    without == null ? null : a.get(runs.indexOf(without)),
                    without == null ? null : b.get(runs.indexOf(without)),
                    memRx == null ? null : inWindow(memRx.cycles(), a.get(0).nanos(), b.get(0).nanos()));
            String section = report.markdown(png.getFileName().toString());
            Chart.write(png, all, first + 1, label + ": collect time per source, cycle by cycle (log scale)");
            writeSection(out, label, section);
            return new Result(out, png, section);
        } finally {
            for (AgentRun r : runs) {
                r.close();
            }
            for (LineReceiver r : receivers) {
                r.close();
            }
        }
    }

    private Map<String, String> env(LineReceiver rx) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OSGIMON_INTERVAL", String.valueOf(interval));
        // without osgimon nothing reads the target; a closed port keeps the variable defined
        env.put("OSGIMON_TARGET", "tcp://127.0.0.1:" + (rx == null ? 9 : rx.port()));
        return env;
    }

    private static int firstAfter(List<LineReceiver.Cycle> cycles, long nanos) {
        for (int i = 0; i < cycles.size(); i++) {
            if (cycles.get(i).arrivalNanos >= nanos && cycles.get(i).cycles >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static List<LineReceiver.Cycle> inWindow(List<LineReceiver.Cycle> cycles, long from, long to) {
        List<LineReceiver.Cycle> in = new ArrayList<>();
        for (LineReceiver.Cycle c : cycles) {
            if (c.arrivalNanos >= from && c.arrivalNanos <= to) {
                in.add(c);
            }
        }
        return in;
    }

    private static List<Snapshot> snapshots(List<AgentRun> runs) throws Exception {
        List<Snapshot> s = new ArrayList<>();
        for (AgentRun r : runs) {
            r.checkAlive();
            s.add(new Snapshot(System.nanoTime(), r.cpuSeconds(), r.collectorCost()));
        }
        return s;
    }

    /** Waits, polling every 100 ms, until the condition holds; fails at the deadline or when a run ended. */
    private static void await(String what, long deadline, List<AgentRun> runs, BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            for (AgentRun r : runs) {
                r.checkAlive();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("cost probe: no " + what + " before the deadline");
            }
            pause(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    /** The probe measures over time: between window edges it waits on the clock by design. */
    private static void pause(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    /** Replaces the section between this label's markers, or appends it. */
    static void writeSection(Path file, String label, String section) throws IOException {
        String begin = "<!-- cost-probe:" + label + " -->";
        String end = "<!-- /cost-probe:" + label + " -->";
        String block = begin + "\n" + section + end + "\n";
        String text = Files.exists(file) ? Files.readString(file) : "";
        int i = text.indexOf(begin);
        int j = text.indexOf(end);
        if (i >= 0 && j > i) {
            text = text.substring(0, i) + block + text.substring(j + end.length() + (text.startsWith("\n", j + end.length()) ? 1 : 0));
        } else {
            text = text + (text.isEmpty() || text.endsWith("\n\n") ? "" : "\n") + block;
        }
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(file, text);
    }

    static String date(Instant t) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC).format(t);
    }
}
