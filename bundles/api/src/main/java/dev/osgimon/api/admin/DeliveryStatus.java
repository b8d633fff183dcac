package dev.osgimon.api.admin;

/**
 * A snapshot of the delivery state: the outbox, its buffer and its counters since the core
 * started.
 *
 * @param target the target in force (without credentials)
 * @param buffer {@code memory} or {@code disk}; {@code memory} also while a disk spool falls back
 * @param connected whether the last write to the target was delivered
 * @param linesBuffered lines waiting to be delivered
 * @param bytesBuffered bytes waiting to be delivered
 * @param linesSent lines the target took
 * @param linesDropped lines dropped because the buffer was over its cap
 * @param linesRejected lines the target refused for good
 * @param linesReplayed lines found in the spool at start and sent again
 * @param writeErrors failed writes
 * @param reconnects times the target took lines again after failures
 * @param spoolErrors spool failures (unwritable directory, full disk, torn or corrupt records cut)
 * @param lastError the last write or spool error, or empty
 * @param oldestBufferedAgeSeconds how long the oldest waiting batch has waited, 0 when none waits
 */
public record DeliveryStatus(String target, String buffer, boolean connected, long linesBuffered,
        long bytesBuffered, long linesSent, long linesDropped, long linesRejected, long linesReplayed,
        long writeErrors, long reconnects, long spoolErrors, String lastError, double oldestBufferedAgeSeconds) {
}
