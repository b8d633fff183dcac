package dev.osgimon.influxdb.http.internal;

import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.transport.LineWriter;
import dev.osgimon.api.transport.WriteResult;

/**
 * Writes a batch to one HTTP target in requests of at most {@code batchSize} lines. Keeps no
 * lines: the core's outbox retries.
 *
 * <ul>
 * <li>Network errors, timeouts, 401/403/404 (fixed by an administrator while the lines wait), 408,
 * 429 and 5xx: {@link WriteResult#retry}, with the {@code Retry-After} the target sent. Requests of
 * the batch already accepted are sent again with the retry; InfluxDB stores identical points once.</li>
 * <li>413: the request is halved (and stays smaller) until it fits.</li>
 * <li>Other 4xx (a bad line): that request's lines are refused for good; the rest of the batch goes
 * on.</li>
 * </ul>
 */
final class HttpWriter implements LineWriter {

    private static final Logger LOG = LoggerFactory.getLogger(HttpWriter.class);

    private final Settings settings;
    private final String target;
    private final BatchWriter writer;
    private int batchLimit;
    private byte[] body;

    /**
     * @param settings resolved settings
     * @param target the target without user info, for messages
     * @param writer sends the request bodies; closed with this writer
     */
    HttpWriter(Settings settings, String target, BatchWriter writer) {
        this.settings = settings;
        this.target = target;
        this.writer = writer;
        this.batchLimit = settings.batchSize();
        LOG.info("Writing to {} ({})", target, settings.describe());
    }

    @Override
    public WriteResult write(byte[] buf, int off, int len, int lines) {
        int end = off + len;
        int start = off;
        int refused = 0;
        String reason = "";
        while (start < end) {
            int stop = start;
            int count = 0;
            while (stop < end && count < batchLimit) {
                while (stop < end && buf[stop] != '\n') {
                    stop++;
                }
                if (stop < end) {
                    stop++;
                }
                count++;
            }
            try {
                writer.write(slice(buf, start, stop), stop - start);
                start = stop;
            } catch (WriteFailure f) {
                if (f.status() == 413 && count > 1) {
                    batchLimit = Math.max(1, count / 2);
                    LOG.warn("{} found a request of {} lines too large; sending {} at most", target, count,
                            batchLimit);
                } else if (f.retryable()) {
                    return WriteResult.retry(target + ": " + f.getMessage(), f.retryAfterMillis());
                } else {
                    refused += count;
                    reason = f.getMessage() + "; first line: " + firstLine(buf, start, stop);
                    start = stop;
                }
            }
        }
        return refused == lines ? WriteResult.rejected(reason) : WriteResult.deliveredExcept(refused, reason);
    }

    /** The request body: {@link BatchWriter} takes an array from 0. */
    private byte[] slice(byte[] buf, int from, int to) {
        if (from == 0) {
            return buf;
        }
        int n = to - from;
        if (body == null || body.length < n) {
            body = new byte[Math.max(n, 8192)];
        }
        System.arraycopy(buf, from, body, 0, n);
        return body;
    }

    private static String firstLine(byte[] buf, int from, int to) {
        int end = from;
        while (end < to && end - from < 300 && buf[end] != '\n') {
            end++;
        }
        return new String(buf, from, end - from, StandardCharsets.UTF_8);
    }

    /** Cancels a request in progress: it fails at once and the write answers retry. */
    @Override
    public void abort() {
        writer.abort();
    }

    @Override
    public void close() {
        writer.close();
    }

    @Override
    public String toString() {
        return "HttpWriter[" + target + ", " + settings + "]";
    }
}
