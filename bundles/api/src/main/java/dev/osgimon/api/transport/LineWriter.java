package dev.osgimon.api.transport;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Writes batches of complete line-protocol lines to one target and says how it went. A writer keeps
 * no lines: the core's outbox holds every batch until a writer answers {@link WriteResult#delivered()}
 * (or rejects it for good), so retries, backoff, buffering and counters live in one place.
 *
 * <p>Threads: {@link #write} is called by one sender thread at a time. {@link #abort()} may be
 * called from any thread while a write is in progress. {@link #close()} is called on the sender
 * thread once the writer is no longer used.
 */
@ConsumerType
public interface LineWriter extends AutoCloseable {

    /**
     * Writes the lines in {@code buf[off, off + len)}, each ending in {@code \n}, blocking until the
     * target took them or the write failed. The bytes are only valid during the call.
     *
     * @param buf the bytes
     * @param off where the lines start
     * @param len how many bytes
     * @param lines how many lines the bytes hold
     * @return delivered, retry (keep the lines and try again later) or rejected (drop them)
     */
    WriteResult write(byte[] buf, int off, int len, int lines);

    /**
     * Makes a write in progress return {@link WriteResult.Outcome#RETRY} soon. Must return at once:
     * it is called when the configuration changes, on a configuration thread.
     */
    default void abort() {
    }

    /** Closes connections and stops every thread this writer started. */
    @Override
    void close();
}
