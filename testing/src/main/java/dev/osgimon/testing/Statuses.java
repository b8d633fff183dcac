package dev.osgimon.testing;

import java.util.List;

import dev.osgimon.api.admin.DeliveryStatus;
import dev.osgimon.api.admin.SourceStatus;

/** Plain values of the admin snapshot interfaces, for tests of their consumers. */
public final class Statuses {

    private Statuses() {
    }

    /** A delivery snapshot with every value given. */
    public record Delivery(String target, String buffer, boolean connected, long linesBuffered,
            long bytesBuffered, long linesSent, long linesDropped, long linesRejected, long linesReplayed,
            long writeErrors, long reconnects, long spoolErrors, String lastError, double oldestBufferedAgeSeconds)
            implements DeliveryStatus {
    }

    /** A source-state snapshot with every value given. */
    public record Sources(boolean defaultEnabled, List<TagRule> tagRules, List<SourceState> sources)
            implements SourceStatus {
    }
}
