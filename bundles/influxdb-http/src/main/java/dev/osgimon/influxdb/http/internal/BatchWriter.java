package dev.osgimon.influxdb.http.internal;

/** Sends one request body of complete lines to the target. Used by one sender thread at a time. */
interface BatchWriter extends AutoCloseable {

    /**
     * Writes the lines in {@code body[0, len)}, blocking until the target answered or the request
     * failed.
     *
     * @throws WriteFailure if the lines were not accepted
     */
    void write(byte[] body, int len) throws WriteFailure;

    /** Cancels a request in progress (from another thread); it fails at once with a retryable failure. */
    void abort();

    /** Releases connections. */
    @Override
    void close();

    /**
     * Whether a failure with this HTTP status may succeed later and so keeps the lines: network errors
     * (0), timeouts, throttling, server errors, and authentication or missing database/bucket errors
     * (fixed by an administrator while the lines wait). Other 4xx answers reject the lines for good.
     */
    static boolean retryable(int status) {
        return status == 0 || status == 401 || status == 403 || status == 404 || status == 408 || status == 429
                || status >= 500;
    }

    /** The number of milliseconds in a {@code Retry-After} header given in seconds, or 0. */
    static long retryAfterMillis(String header) {
        if (header == null) {
            return 0;
        }
        try {
            return Math.max(0, Math.min(3_600_000L, (long) (Double.parseDouble(header.trim()) * 1000)));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** A one-line, bounded version of a server's error text, safe to log. */
    static String shorten(String text) {
        if (text == null) {
            return "";
        }
        String s = text.replace('\n', ' ').replace('\r', ' ').trim();
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
