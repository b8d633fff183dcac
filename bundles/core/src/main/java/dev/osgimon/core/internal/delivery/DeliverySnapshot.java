package dev.osgimon.core.internal.delivery;

import dev.osgimon.api.admin.DeliveryStatus;

/** The outbox's {@link DeliveryStatus}: a snapshot taken under its lock. */
record DeliverySnapshot(String target, String buffer, boolean connected, long linesBuffered,
        long bytesBuffered, long linesSent, long linesDropped, long linesRejected, long linesReplayed,
        long writeErrors, long reconnects, long spoolErrors, String lastError, double oldestBufferedAgeSeconds)
        implements DeliveryStatus {
}
