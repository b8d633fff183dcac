package dev.osgimon.memtrace.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import dev.osgimon.memtrace.AllocationRecording.Ranked;
import dev.osgimon.memtrace.AllocationRecording.Summary;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/** Ranks the allocation samples of a JFR file by site and by bundle. */
final class AllocationRanking {

    /** Rows kept per ranking. */
    static final int TOP = 20;
    static final String NO_BUNDLE = "(JDK or framework)";

    private AllocationRanking() {
    }

    private record Result(long samples, long bytes, List<Ranked> sites, List<Ranked> bundles) implements Summary {
    }

    /**
     * Ranks the {@code jdk.ObjectAllocationSample} events of a file. The first sample of each thread is
     * dropped: it carries everything the thread allocated before sampling started.
     *
     * @param jfr the file
     * @param bundleOfClass the bundle a class name belongs to, or {@code null}
     * @return the top sites (allocated class and top frame) and bundles by sampled bytes
     * @throws IOException if the file cannot be read
     */
    static Summary of(Path jfr, Function<String, String> bundleOfClass) throws IOException {
        Map<List<String>, long[]> sites = new HashMap<>();
        Map<String, long[]> bundles = new HashMap<>();
        Map<String, String> bundleCache = new HashMap<>();
        Set<Long> seenThreads = new HashSet<>();
        long samples = 0;
        long total = 0;
        try (RecordingFile in = new RecordingFile(jfr)) {
            while (in.hasMoreEvents()) {
                RecordedEvent e = in.readEvent();
                if (!TraceRecording.ALLOCATION_SAMPLE.equals(e.getEventType().getName())) {
                    continue;
                }
                RecordedThread t = e.getThread("eventThread");
                if (t != null && seenThreads.add(t.getJavaThreadId())) {
                    continue;
                }
                long weight = e.getLong("weight");
                RecordedClass type = e.getClass("objectClass");
                RecordedStackTrace stack = e.getStackTrace();
                List<RecordedFrame> frames = stack == null ? List.of() : stack.getFrames();
                String top = frames.isEmpty() ? "(no stack)" : frame(frames.get(0));
                String typeName = type == null ? "(unknown)" : type.getName();
                sites.computeIfAbsent(List.of(typeName, top), k -> new long[1])[0] += weight;
                String bundle = NO_BUNDLE;
                for (RecordedFrame f : frames) {
                    if (f.getMethod() == null || f.getMethod().getType() == null) {
                        continue;
                    }
                    String b = bundleCache.computeIfAbsent(f.getMethod().getType().getName(), c -> {
                        String found = bundleOfClass.apply(c);
                        return found == null ? "" : found;
                    });
                    if (!b.isEmpty()) {
                        bundle = b;
                        break;
                    }
                }
                bundles.computeIfAbsent(bundle, k -> new long[1])[0] += weight;
                samples++;
                total += weight;
            }
        }
        List<Ranked> siteRows = new ArrayList<>();
        sites.forEach((k, v) -> siteRows.add(new Ranked(k.get(0), k.get(1), v[0])));
        List<Ranked> bundleRows = new ArrayList<>();
        bundles.forEach((k, v) -> bundleRows.add(new Ranked(k, "", v[0])));
        return new Result(samples, total, top(siteRows), top(bundleRows));
    }

    private static List<Ranked> top(List<Ranked> rows) {
        rows.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
        return List.copyOf(rows.subList(0, Math.min(TOP, rows.size())));
    }

    private static String frame(RecordedFrame f) {
        if (f.getMethod() == null) {
            return "(unknown)";
        }
        String type = f.getMethod().getType() == null ? "?" : f.getMethod().getType().getName();
        int line = f.getLineNumber();
        return type + "." + f.getMethod().getName() + (line > 0 ? ":" + line : "");
    }
}
