package dev.osgimon.memtrace.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.memtrace.AllocationRecorder;
import dev.osgimon.memtrace.AllocationRecording;
import jdk.jfr.Recording;

/**
 * The {@link AllocationRecorder}: one JFR recording at a time into a private folder, stopped, dumped and
 * ranked on its own thread when its time is up. The file of the last recording stays until the next one
 * starts or the recorder is closed.
 */
final class JfrAllocationRecorder implements AllocationRecorder, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JfrAllocationRecorder.class);
    static final String THREAD = "osgimon-memtrace-recorder";
    /** Samples per second at most: enough to rank sites in a few seconds, cheap for the application. */
    static final String THROTTLE = "1000/s";

    private final Path dir;
    private final Supplier<Function<String, String>> bundleIndex;
    private final ScheduledExecutorService executor;
    private Run last;
    private boolean closed;

    /**
     * A recorder without a recording.
     *
     * @param dir where recordings are written (a private folder)
     * @param bundleIndex makes, once per recording, the lookup of the bundle (symbolic name) a class name
     *        belongs to ({@code null} for none)
     */
    JfrAllocationRecorder(Path dir, Supplier<Function<String, String>> bundleIndex) {
        this.dir = dir;
        this.bundleIndex = bundleIndex;
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, THREAD);
            t.setDaemon(true);
            return t;
        });
        ex.setRemoveOnCancelPolicy(true);
        this.executor = ex;
    }

    @Override
    public synchronized AllocationRecording start(Duration duration, String who) {
        if (duration == null || duration.compareTo(Duration.ofSeconds(1)) < 0 || duration.compareTo(MAX_DURATION) > 0
                || duration.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("duration must be 1 to " + MAX_DURATION.toSeconds()
                    + " whole seconds, was " + duration);
        }
        if (closed) {
            throw new IllegalStateException("the recorder is stopped");
        }
        if (last != null && last.state() == AllocationRecording.State.RECORDING) {
            throw new IllegalStateException("a recording is running");
        }
        Recording r = new Recording();
        try {
            r.setName("osgimon-allocations");
            r.enable(TraceRecording.ALLOCATION_SAMPLE).withStackTrace().with("throttle", THROTTLE);
            r.setToDisk(true);
            r.setDumpOnExit(false);
            r.start();
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
        if (last != null) {
            last.discard();
        }
        Run run = new Run(r, Instant.now().plus(duration));
        last = run;
        run.stopper = executor.schedule(() -> finish(run), duration.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("memtrace: allocation recording of {} s started by {}", duration.toSeconds(), who);
        return run;
    }

    @Override
    public synchronized Optional<AllocationRecording> last() {
        return Optional.ofNullable(last);
    }

    private void finish(Run run) {
        Path out = dir.resolve("allocations-" + System.nanoTime() + ".jfr");
        AllocationRecording.Summary summary = null;
        String failure = null;
        try {
            run.recording.stop();
            run.recording.dump(out);
            summary = AllocationRanking.of(out, bundleIndex.get());
        } catch (IOException | RuntimeException e) {
            failure = "recording failed: " + e.getMessage();
            LOG.warn("memtrace: allocation recording failed", e);
        } finally {
            run.recording.close();
        }
        if (!run.done(out, summary, failure)) {
            deleteQuietly(out);
        }
    }

    /** Stops a running recording, deletes the file and stops the thread. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (last != null) {
                last.discard();
            }
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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

    /** One recording and what came of it; its own lock guards its state. */
    private static final class Run implements AllocationRecording {
        final Recording recording;
        final Instant endsAt;
        ScheduledFuture<?> stopper;
        private State state = State.RECORDING;
        private Path file;
        private Summary summary;
        private String error = "";

        Run(Recording recording, Instant endsAt) {
            this.recording = recording;
            this.endsAt = endsAt;
        }

        /** @return false if it was discarded meanwhile (the caller deletes the file) */
        synchronized boolean done(Path out, Summary ranked, String failure) {
            if (state != State.RECORDING) {
                return false;
            }
            if (failure == null) {
                state = State.DONE;
                file = out;
                summary = ranked;
            } else {
                state = State.FAILED;
                error = failure;
                deleteQuietly(out);
            }
            return true;
        }

        synchronized void discard() {
            if (stopper != null) {
                stopper.cancel(false);
            }
            if (state == State.RECORDING) {
                recording.close();
            }
            state = State.DISCARDED;
            summary = null;
            deleteQuietly(file);
            file = null;
        }

        @Override
        public synchronized State state() {
            return state;
        }

        @Override
        public Instant endsAt() {
            return endsAt;
        }

        @Override
        public synchronized String error() {
            return error;
        }

        @Override
        public synchronized Summary summary() {
            if (state != State.DONE) {
                throw new IllegalStateException("no summary: the recording is " + state);
            }
            return summary;
        }

        @Override
        public synchronized long writeTo(OutputStream out) throws IOException {
            if (state != State.DONE) {
                throw new IllegalStateException("no file: the recording is " + state);
            }
            return Files.copy(file, out);
        }
    }
}
