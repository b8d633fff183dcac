package dev.osgimon.api.transport;

/**
 * What a {@link LineWriter} did with a batch.
 *
 * @param outcome delivered, retry or rejected
 * @param rejectedLines lines of the batch the target refused for good: all of them when
 *        {@code outcome} is {@link Outcome#REJECTED}, some of them (such as lines too long for a UDP
 *        datagram) when it is {@link Outcome#DELIVERED}, {@code 0} for a retry; {@code -1} stands
 *        for "every line"
 * @param retryAfterMillis for a retry, the least wait the target asked for (HTTP
 *        {@code Retry-After}), else 0
 * @param reason why it was not delivered (for logs; never holds secrets), or empty
 */
public record WriteResult(Outcome outcome, int rejectedLines, long retryAfterMillis, String reason) {

    private static final WriteResult DELIVERED = new WriteResult(Outcome.DELIVERED, 0, 0, "");

    /** The three answers a writer can give. */
    public enum Outcome {
        /** The target took the batch: the core forgets it. */
        DELIVERED,
        /** A transient failure: the core keeps the batch and tries again after a backoff. */
        RETRY,
        /** A permanent failure (e.g. HTTP 400): the core drops the batch and counts it as rejected. */
        REJECTED
    }

    /**
     * Checks the values.
     *
     * @param outcome the outcome
     * @param rejectedLines lines refused for good
     * @param retryAfterMillis least wait before a retry
     * @param reason why
     */
    public WriteResult {
        if (outcome == null) {
            throw new IllegalArgumentException("outcome is required");
        }
        if (rejectedLines < -1 || retryAfterMillis < 0) {
            throw new IllegalArgumentException("rejectedLines and retryAfterMillis must not be negative");
        }
        reason = reason == null ? "" : reason;
    }

    /** @return the batch was delivered */
    public static WriteResult delivered() {
        return DELIVERED;
    }

    /**
     * @param rejectedLines lines of the batch refused for good, the others were delivered
     * @param reason why they were refused
     * @return the batch was delivered except {@code rejectedLines} lines
     */
    public static WriteResult deliveredExcept(int rejectedLines, String reason) {
        return rejectedLines == 0 ? DELIVERED : new WriteResult(Outcome.DELIVERED, rejectedLines, 0, reason);
    }

    /**
     * @param reason what failed
     * @param retryAfterMillis least wait the target asked for, or 0
     * @return try the batch again later
     */
    public static WriteResult retry(String reason, long retryAfterMillis) {
        return new WriteResult(Outcome.RETRY, 0, retryAfterMillis, reason);
    }

    /**
     * @param reason why the target refused the batch
     * @return drop the batch: the target will never take it
     */
    public static WriteResult rejected(String reason) {
        return new WriteResult(Outcome.REJECTED, -1, 0, reason);
    }
}
