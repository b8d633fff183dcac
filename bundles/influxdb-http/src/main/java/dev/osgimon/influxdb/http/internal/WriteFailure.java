package dev.osgimon.influxdb.http.internal;

/** A write that did not succeed: its HTTP status (0 when there was no answer) and whether to retry. */
final class WriteFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final boolean retryable;
    private final long retryAfterMillis;

    WriteFailure(int status, String message, long retryAfterMillis) {
        super(message, null, false, false);
        this.status = status;
        this.retryable = BatchWriter.retryable(status);
        this.retryAfterMillis = retryAfterMillis;
    }

    int status() {
        return status;
    }

    boolean retryable() {
        return retryable;
    }

    long retryAfterMillis() {
        return retryAfterMillis;
    }
}
