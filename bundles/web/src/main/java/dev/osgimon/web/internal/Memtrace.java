package dev.osgimon.web.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Records {@code jdk.ObjectAllocationSample} with stack traces for a few seconds into a JFR file
 * and ranks allocation sites and bundles by sampled bytes. One recording at a time; the file of
 * the last one is kept for download until the next one or until {@link #close()}.
 */
final class Memtrace implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Memtrace.class);
    /** Longest recording the page may ask for. */
    static final int MAX_SECONDS = 300;
    private static final int TOP = 20;

    /** One ranked row: what and how many sampled bytes. */
    record Row(String name, String frame, long bytes) {
    }

    /** The ranking of one recording. */
    record Result(long samples, long bytes, List<Row> sites, List<Row> bundles) {
    }

    /** What the page shows. */
    record Status(boolean recording, long endsAtMillis, Result result, boolean fileReady, String error) {
    }

    private final Path dir;
    private final Supplier<Function<String, String>> bundleIndex;
    private final ScheduledExecutorService executor;
    private Recording recording;
    private ScheduledFuture<?> stopper;
    private long endsAt;
    private Result result;
    private Path file;
    private String error;

    /**
     * A recorder without a recording.
     *
     * @param dir where recordings are written (a private folder)
     * @param bundleIndex makes, once per recording, the lookup of the bundle (symbolic name) a
     *        class name belongs to ({@code null} for none)
     */
    Memtrace(Path dir, Supplier<Function<String, String>> bundleIndex) {
        this.dir = dir;
        this.bundleIndex = bundleIndex;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "osgimon-web-memtrace");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts a recording.
     *
     * @param seconds how long, 1 to {@link #MAX_SECONDS}
     * @throws IllegalArgumentException for a bad duration
     * @throws IllegalStateException if one is running
     */
    synchronized void start(int seconds) {
        if (seconds < 1 || seconds > MAX_SECONDS) {
            throw new IllegalArgumentException("seconds must be 1 to " + MAX_SECONDS + ", was " + seconds);
        }
        if (recording != null) {
            throw new IllegalStateException("a recording is running");
        }
        Recording r = new Recording();
        r.setName("osgimon-web");
        r.enable("jdk.ObjectAllocationSample").withStackTrace().with("throttle", "1000/s");
        r.setToDisk(true);
        r.start();
        recording = r;
        error = null;
        endsAt = System.currentTimeMillis() + seconds * 1000L;
        stopper = executor.schedule(this::finish, seconds, TimeUnit.SECONDS);
    }

    private void finish() {
        Recording r;
        synchronized (this) {
            r = recording;
            if (r == null) {
                return;
            }
        }
        Path out = dir.resolve("memtrace-" + System.currentTimeMillis() + ".jfr");
        Result ranked = null;
        String failure = null;
        try {
            r.stop();
            r.dump(out);
            ranked = analyse(out, bundleIndex.get());
        } catch (IOException | RuntimeException e) {
            failure = "recording failed: " + e.getMessage();
            LOG.warn("Memtrace recording failed", e);
        } finally {
            r.close();
        }
        synchronized (this) {
            recording = null;
            Path old = file;
            file = failure == null ? out : null;
            result = ranked;
            error = failure;
            deleteQuietly(old);
            if (failure != null) {
                deleteQuietly(out);
            }
        }
    }

    /** @return what the page shows now */
    synchronized Status status() {
        return new Status(recording != null, endsAt, result, file != null, error);
    }

    /** @return the last recording's file, or {@code null} */
    synchronized Path file() {
        return file;
    }

    /** Stops a running recording, deletes the files and stops the thread. */
    @Override
    public void close() {
        synchronized (this) {
            if (stopper != null) {
                stopper.cancel(false);
            }
            if (recording != null) {
                recording.close();
                recording = null;
            }
            deleteQuietly(file);
            file = null;
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Ranks the allocation samples of a JFR file. The first sample of each thread is dropped: it
     * carries everything the thread allocated before sampling started.
     *
     * @param jfr the file
     * @param bundleOfClass the bundle a class belongs to, or {@code null}
     * @return the top sites (allocated class and top frame) and bundles by sampled bytes
     * @throws IOException if the file cannot be read
     */
    static Result analyse(Path jfr, Function<String, String> bundleOfClass) throws IOException {
        Map<String, long[]> sites = new HashMap<>();
        Map<String, String[]> siteParts = new HashMap<>();
        Map<String, long[]> bundles = new HashMap<>();
        Map<String, String> bundleCache = new HashMap<>();
        Set<Long> seenThreads = new HashSet<>();
        long samples = 0;
        long total = 0;
        try (RecordingFile in = new RecordingFile(jfr)) {
            while (in.hasMoreEvents()) {
                RecordedEvent e = in.readEvent();
                if (!"jdk.ObjectAllocationSample".equals(e.getEventType().getName())) {
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
                String site = typeName + " @ " + top;
                sites.computeIfAbsent(site, k -> new long[1])[0] += weight;
                siteParts.putIfAbsent(site, new String[] {typeName, top});
                String bundle = "(JDK or framework)";
                for (RecordedFrame f : frames) {
                    if (f.getMethod() == null || f.getMethod().getType() == null) {
                        continue;
                    }
                    String cls = f.getMethod().getType().getName();
                    String b = bundleCache.computeIfAbsent(cls, c -> {
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
        List<Row> siteRows = new ArrayList<>();
        sites.forEach((k, v) -> siteRows.add(new Row(siteParts.get(k)[0], siteParts.get(k)[1], v[0])));
        List<Row> bundleRows = new ArrayList<>();
        bundles.forEach((k, v) -> bundleRows.add(new Row(k, "", v[0])));
        return new Result(samples, total, top(siteRows), top(bundleRows));
    }

    private static List<Row> top(List<Row> rows) {
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

    /** @return the status as the page's JSON model */
    static Map<String, Object> toJson(Status s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recording", s.recording());
        m.put("endsAt", s.endsAtMillis());
        m.put("fileReady", s.fileReady());
        m.put("error", s.error());
        if (s.result() != null) {
            m.put("samples", s.result().samples());
            m.put("bytes", s.result().bytes());
            m.put("sites", rows(s.result().sites()));
            m.put("bundles", rows(s.result().bundles()));
        }
        return m;
    }

    private static List<Map<String, Object>> rows(List<Row> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("frame", r.frame());
            m.put("bytes", r.bytes());
            out.add(m);
        }
        return out;
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.debug("Could not delete {}", p, e);
        }
    }
}
