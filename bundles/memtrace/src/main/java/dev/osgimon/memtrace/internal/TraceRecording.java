package dev.osgimon.memtrace.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import jdk.jfr.Recording;
import jdk.jfr.RecordingState;

/**
 * The JFR recording of one memtrace session: {@code jdk.ObjectAllocationSample} with stack traces (and
 * optionally {@code jdk.OldObjectSample}), kept on disk in the JFR repository and handed out chunk by chunk.
 * <p>
 * A running recording cannot be read, so {@link #rotate} takes a stopped copy ({@code copy(true)}), which makes
 * JFR finish the current chunk, and passes on the chunks not passed on before. {@link #finish} stops the
 * recording and passes on the rest; {@link #close} frees the repository files.
 */
final class TraceRecording implements AutoCloseable {

    /** Throttle while warming up: sample (almost) every TLAB refill so that each busy thread's first sample,
     * whose weight carries everything it allocated before the session, falls into the discarded first chunk. */
    static final String WARM_UP_THROTTLE = "100000/s";
    static final String ALLOCATION_SAMPLE = "jdk.ObjectAllocationSample";
    static final String OLD_OBJECT_SAMPLE = "jdk.OldObjectSample";

    private final Recording recording;
    private final boolean oldObjects;
    private final ChunkFilter filter;
    private String throttle;

    /** Creates and starts the recording with the given throttle. */
    TraceRecording(String name, String throttle, boolean oldObjects, Duration chunk, int bufferSize) {
        this.oldObjects = oldObjects;
        this.throttle = throttle;
        this.filter = new ChunkFilter(bufferSize);
        this.recording = new Recording(settings(throttle, oldObjects));
        boolean started = false;
        try {
            recording.setName(name);
            recording.setToDisk(true);
            recording.setDumpOnExit(false);
            // Chunks already passed on need not stay in the repository for long.
            recording.setMaxAge(chunk.multipliedBy(4).compareTo(Duration.ofMinutes(1)) > 0
                    ? chunk.multipliedBy(4) : Duration.ofMinutes(1));
            recording.start();
            started = true;
        } finally {
            if (!started) {
                recording.close();
            }
        }
    }

    /** The JFR settings of a session recording with this throttle. */
    static Map<String, String> settings(String throttle, boolean oldObjects) {
        Map<String, String> settings = new HashMap<>();
        settings.put(ALLOCATION_SAMPLE + "#enabled", "true");
        settings.put(ALLOCATION_SAMPLE + "#throttle", throttle);
        settings.put(ALLOCATION_SAMPLE + "#stackTrace", "true");
        if (oldObjects) {
            settings.put(OLD_OBJECT_SAMPLE + "#enabled", "true");
            settings.put(OLD_OBJECT_SAMPLE + "#stackTrace", "true");
            settings.put(OLD_OBJECT_SAMPLE + "#cutoff", "0 ns");
        }
        return settings;
    }

    /** The throttle in force. */
    String throttle() {
        return throttle;
    }

    /** Switches the running recording to another throttle (no-op when unchanged). */
    void throttle(String newThrottle) {
        if (!newThrottle.equals(throttle)) {
            recording.setSettings(settings(newThrottle, oldObjects));
            throttle = newThrottle;
        }
    }

    /**
     * Finishes the current chunk and passes the chunks not passed on before to {@code sink}; a null sink
     * discards them.
     *
     * @return bytes passed on
     */
    long rotate(ChunkFilter.Sink sink) throws IOException {
        try (Recording copy = recording.copy(true)) {
            return forward(copy, sink);
        }
    }

    /**
     * Stops the recording and passes on the chunks not passed on before. A recording that JFR has stopped or
     * closed already (its own shutdown hook, when the JVM exits) gives what is left, possibly nothing.
     */
    long finish(ChunkFilter.Sink sink) throws IOException {
        if (recording.getState() == RecordingState.RUNNING) {
            recording.stop();
        }
        if (recording.getState() != RecordingState.STOPPED) {
            return 0;
        }
        return forward(recording, sink);
    }

    private long forward(Recording stopped, ChunkFilter.Sink sink) throws IOException {
        // Only chunks that end after the newest one seen (less a margin for clock granularity) are read.
        Instant from = filter.lastEndNanos() == 0 ? null
                : Instant.ofEpochSecond(0, filter.lastEndNanos()).minusSeconds(1);
        try (InputStream in = stopped.getStream(from, null)) {
            return in == null ? 0 : filter.forward(in, sink);
        }
    }

    @Override
    public void close() {
        recording.close();
    }
}
