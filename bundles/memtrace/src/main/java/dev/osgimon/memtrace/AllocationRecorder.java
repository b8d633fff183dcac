package dev.osgimon.memtrace;

import java.time.Duration;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Records sampled object allocations ({@code jdk.ObjectAllocationSample} with stack traces) for a
 * fixed time, one recording at a time, and ranks them. The memtrace bundle registers it; the
 * recording, its file and its thread belong to that bundle, which deletes the file when the next
 * recording starts and stops everything when it stops. It runs beside a memtrace TCP session, if
 * there is one, without disturbing it.
 */
@ProviderType
public interface AllocationRecorder {

    /** The longest recording: 300 s. */
    Duration MAX_DURATION = Duration.ofSeconds(300);

    /**
     * Starts a recording; it stops by itself after {@code duration}. Logged at info with {@code who}.
     * The file of the previous recording is deleted.
     *
     * @param duration how long, 1 s to {@link #MAX_DURATION}, whole seconds
     * @param who who asks, for the log, e.g. {@code web 127.0.0.1}
     * @return the recording, {@link AllocationRecording.State#RECORDING}
     * @throws IllegalArgumentException if the duration is out of range; nothing started
     * @throws IllegalStateException if a recording is running; nothing changed
     */
    AllocationRecording start(Duration duration, String who);

    /**
     * The last recording started, running or done.
     *
     * @return it, or empty when none was started since the bundle started
     */
    Optional<AllocationRecording> last();
}
