package dev.osgimon.memtrace;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** One recording of an {@link AllocationRecorder}: its state, and once done its ranking and its JFR file. */
@ProviderType
public interface AllocationRecording {

    /** Where a recording is. */
    enum State {
        /** Sampling; it ends at {@link AllocationRecording#endsAt()}. */
        RECORDING,
        /** Ended: the summary and the file are there. */
        DONE,
        /** Ended without a result: see {@link AllocationRecording#error()}. */
        FAILED,
        /** Its file is gone: a newer recording started or the recorder stopped. */
        DISCARDED
    }

    /** @return the state now */
    State state();

    /** @return when the recording ends (or ended) */
    Instant endsAt();

    /** @return why it failed; empty unless {@link State#FAILED} */
    String error();

    /**
     * The ranking of the samples. The first sample of each thread is left out: its weight carries
     * everything the thread allocated before the recording started.
     *
     * @return the summary
     * @throws IllegalStateException unless {@link State#DONE}
     */
    Summary summary();

    /**
     * Writes the recording's JFR file (readable by {@code jfr} and JDK Mission Control).
     *
     * @param out where to write it; not closed
     * @return the bytes written
     * @throws IOException if writing fails
     * @throws IllegalStateException unless {@link State#DONE}
     */
    long writeTo(OutputStream out) throws IOException;

    /** What a recording found. */
    @ProviderType
    interface Summary {

        /** @return the samples counted */
        long samples();

        /** @return the sampled bytes: the sum of the samples' weights */
        long bytes();

        /** @return the top allocation sites (allocated class and innermost frame), most bytes first, at most 20 */
        List<Ranked> sites();

        /**
         * @return the bundles with the most sampled bytes, at most 20: a sample is charged to the bundle
         *         of its innermost frame whose class belongs to a bundle, else to {@code (JDK or framework)}
         */
        List<Ranked> bundles();
    }

    /**
     * One ranked row.
     *
     * @param name the allocated class of a site, or a bundle's symbolic name
     * @param frame the innermost frame of a site ({@code class.method:line}); empty for a bundle
     * @param bytes the sampled bytes
     */
    record Ranked(String name, String frame, long bytes) {
    }
}
