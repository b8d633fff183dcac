package dev.osgimon.api.transport;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A connection to one target that sends lines in order, buffering a bounded number of them while
 * the target is unreachable and dropping the oldest when the buffer is full.
 */
@ConsumerType
public interface Transport extends LineSink, AutoCloseable {

    /**
     * Counters since this transport was created.
     *
     * @return a snapshot
     */
    TransportStats stats();

    /**
     * Hands every line still buffered to {@code next}, in order, and forgets them. Used when the
     * configuration changes so that no buffered line is lost.
     *
     * @param next where the lines go
     */
    default void drainTo(LineSink next) {
    }

    /** Stops sending, closes connections and stops every thread this transport started. */
    @Override
    void close();
}
