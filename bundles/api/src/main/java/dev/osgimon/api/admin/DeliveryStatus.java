package dev.osgimon.api.admin;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A snapshot of the delivery state: the outbox, its buffer and its counters since the core
 * started. An interface the core implements, so that a new counter is a minor change.
 */
@ProviderType
public interface DeliveryStatus {

    /** @return the target in force (without credentials) */
    String target();

    /** @return {@code memory} or {@code disk}; {@code memory} also while a disk spool falls back */
    String buffer();

    /** @return whether the last write to the target was delivered */
    boolean connected();

    /** @return lines waiting to be delivered */
    long linesBuffered();

    /** @return bytes waiting to be delivered */
    long bytesBuffered();

    /** @return lines the target took */
    long linesSent();

    /** @return lines dropped because the buffer was over its cap */
    long linesDropped();

    /** @return lines the target refused for good */
    long linesRejected();

    /** @return lines found in the spool at start and sent again */
    long linesReplayed();

    /** @return failed writes */
    long writeErrors();

    /** @return times the target took lines again after failures */
    long reconnects();

    /** @return spool failures (unwritable directory, full disk, torn or corrupt records cut) */
    long spoolErrors();

    /** @return the last write or spool error, or empty */
    String lastError();

    /** @return how long the oldest waiting batch has waited, 0 when none waits */
    double oldestBufferedAgeSeconds();
}
