package dev.osgimon.prometheus.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.transport.LineWriter;
import dev.osgimon.api.transport.Target;
import dev.osgimon.api.transport.WriteResult;

/**
 * Sends batches of {@link RemoteWriteEncoder} records to a Prometheus remote-write 1.0 receiver:
 * {@code POST}, the records snappy-compressed as one {@code WriteRequest}, with the headers the
 * protocol requires ({@code Content-Encoding: snappy}, {@code Content-Type: application/x-protobuf},
 * {@code X-Prometheus-Remote-Write-Version: 0.1.0}, a {@code User-Agent}). A batch larger than
 * {@code maxRequestBytes} ({@value #MAX_REQUEST_BYTES} by default: a backlog) goes in several requests, split between records,
 * in order (remote-write receivers bound the size of a request). Keeps no records: the core's outbox retries.
 *
 * <ul>
 * <li>2xx: delivered.</li>
 * <li>5xx, 429, no answer (connection refused, reset, timed out): {@link WriteResult#retry}, with
 * the {@code Retry-After} the receiver sent. The requests of the batch the receiver answered before
 * are remembered (length and CRC-32C) and not sent again with the retry, which starts with the same
 * requests: Prometheus would refuse their older samples as out of order.</li>
 * <li>Other 4xx (an out-of-order sample, a bad label): that request's records are refused for good,
 * the rest of the batch goes on; each distinct reason is logged once.</li>
 * </ul>
 *
 * <p>Uses the JDK's {@link HttpURLConnection} (keep-alive connections are the JDK's to pool): no
 * library, no thread of its own. {@link #abort()} disconnects the request in progress.
 */
final class RemoteWriter implements LineWriter {

    /** Most uncompressed bytes per request by default; a larger batch is split between records. */
    static final int MAX_REQUEST_BYTES = 4 << 20;
    /** The default path when the target names none. */
    static final String DEFAULT_PATH = "/api/v1/write";
    private static final int MAX_REASONS = 256;
    private static final Logger LOG = LoggerFactory.getLogger(RemoteWriter.class);

    private final URL url;
    private final String target;
    private final String authorization;
    private final String userAgent;
    private final int timeoutMillis;
    private final int maxRequestBytes;
    private final Snappy snappy = new Snappy();
    private final Set<String> logged = new HashSet<>();
    private byte[] compressed = new byte[Snappy.maxCompressedLength(64 * 1024)];
    /**
     * The requests of the last batch the receiver took before a later one of it failed: their
     * length and CRC-32C. The retry of that batch starts with the same requests (the split is made
     * from the batch's start), which are then not sent again: Prometheus would refuse their older
     * samples as out of order, and with them every newer sample of the same request.
     */
    private long[] sentCrc = new long[8];
    private int[] sentLength = new int[8];
    /** Of those requests, how many records the receiver refused for good (0: it took them). */
    private int[] sentRefused = new int[8];
    private String sentReason = "";
    private int sentCount;
    private final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    private volatile HttpURLConnection current;
    private volatile boolean aborted;

    /**
     * @param target a {@code prometheus+http} or {@code prometheus+https} target, checked by the core
     * @param userAgent the {@code User-Agent}
     * @param timeoutMillis connect and read timeout
     * @param maxRequestBytes most uncompressed bytes per request (one record may be larger)
     * @throws IllegalArgumentException for another scheme or a target with a query; the message
     *         names the target by {@link Target#redacted()} only
     */
    RemoteWriter(Target target, String userAgent, int timeoutMillis, int maxRequestBytes) {
        String scheme = target.scheme();
        if (!scheme.equals("prometheus+http") && !scheme.equals("prometheus+https")) {
            throw new IllegalArgumentException("not a prometheus+http(s) target: " + target.redacted());
        }
        if (!target.query().isEmpty()) {
            throw new IllegalArgumentException("a remote-write target takes no query: " + target.redacted());
        }
        String location = target.location().substring("prometheus+".length());
        if (target.path().isEmpty()) {
            location += DEFAULT_PATH;
        }
        try {
            this.url = new URL(location);
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("not a usable URL: " + target.redacted(), e);
        }
        this.target = target.redacted();
        this.authorization = target.user().isEmpty() ? null
                : "Basic " + Base64.getEncoder()
                        .encodeToString((target.user() + ":" + target.password()).getBytes(StandardCharsets.UTF_8));
        this.userAgent = userAgent;
        this.timeoutMillis = timeoutMillis;
        this.maxRequestBytes = maxRequestBytes;
        LOG.info("Prometheus remote write to {}", this.target);
    }

    @Override
    public WriteResult write(byte[] buf, int off, int len, int lines) {
        aborted = false;
        int end = off + len;
        int start = off;
        int refused = 0;
        String reason = "";
        int request = 0;
        int taken = sentCount;
        sentCount = 0;
        while (start < end) {
            int stop = start;
            int records = 0;
            while (stop < end) {
                int next = recordEnd(buf, stop, end);
                if (next < 0) {
                    String why = "malformed records at byte " + (stop - off) + " of " + len;
                    LOG.error("Prometheus remote write to {}: {}; the batch is dropped", target, why);
                    return WriteResult.rejected(why);
                }
                if (records > 0 && next - start > maxRequestBytes) {
                    break;
                }
                stop = next;
                records++;
            }
            boolean more = stop < end;
            long sum = more || request < taken ? crc(buf, start, stop) : 0;
            if (request < taken && sentLength[request] == stop - start && sentCrc[request] == sum) {
                if (sentRefused[request] > 0) {
                    refused += sentRefused[request];
                    reason = sentReason;
                }
                remember(request++, stop - start, sum, sentRefused[request - 1]); // answered before the retry
                start = stop;
                continue;
            }
            taken = 0;
            Answer a = post(buf, start, stop - start);
            if (a.status / 100 == 2) {
                if (more) {
                    remember(request++, stop - start, sum, 0);
                }
                start = stop;
            } else if (a.status == 0 || a.status == 429 || a.status >= 500) {
                return WriteResult.retry(target + ": " + a.message, a.retryAfterMillis);
            } else {
                refused += records;
                reason = target + ": " + a.message;
                sentReason = reason;
                if (more) {
                    remember(request++, stop - start, sum, records);
                }
                if (logged.size() < MAX_REASONS && logged.add(a.message)) {
                    LOG.warn("Prometheus remote write to {} refused {} samples for good: {} (logged once per reason)",
                            target, records, a.message);
                }
                start = stop;
            }
        }
        sentCount = 0;
        if (refused == 0) {
            return WriteResult.delivered();
        }
        return refused >= lines ? WriteResult.rejected(reason) : WriteResult.deliveredExcept(refused, reason);
    }

    private long crc(byte[] buf, int from, int to) {
        crc.reset();
        crc.update(buf, from, to - from);
        return crc.getValue();
    }

    private void remember(int request, int length, long sum, int refusedRecords) {
        if (request == sentLength.length) {
            sentLength = java.util.Arrays.copyOf(sentLength, request * 2);
            sentCrc = java.util.Arrays.copyOf(sentCrc, request * 2);
            sentRefused = java.util.Arrays.copyOf(sentRefused, request * 2);
        }
        sentLength[request] = length;
        sentCrc[request] = sum;
        sentRefused[request] = refusedRecords;
        sentCount = request + 1;
    }

    /** @return the end of the record at {@code at}: a field-1 tag and its length; -1 if it is not one */
    static int recordEnd(byte[] b, int at, int end) {
        if (b[at] != 0x0A) {
            return -1;
        }
        long length = 0;
        int shift = 0;
        int i = at + 1;
        while (true) {
            if (i >= end || shift > 28) {
                return -1;
            }
            int x = b[i++];
            length |= (long) (x & 0x7F) << shift;
            if (x >= 0) {
                break;
            }
            shift += 7;
        }
        long next = i + length;
        return next > end ? -1 : (int) next;
    }

    /** What one request got: the status (0 for no answer), a message for logs and Retry-After. */
    private record Answer(int status, String message, long retryAfterMillis) {
    }

    private Answer post(byte[] buf, int off, int len) {
        int max = Snappy.maxCompressedLength(len);
        if (compressed.length < max) {
            compressed = new byte[Math.max(max, compressed.length * 2)];
        }
        int n = snappy.compress(buf, off, len, compressed);
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) url.openConnection();
            current = c;
            if (aborted) {
                return new Answer(0, "aborted", 0);
            }
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setUseCaches(false);
            c.setInstanceFollowRedirects(false);
            c.setConnectTimeout(timeoutMillis);
            c.setReadTimeout(timeoutMillis);
            c.setFixedLengthStreamingMode(n);
            c.setRequestProperty("Content-Encoding", "snappy");
            c.setRequestProperty("Content-Type", "application/x-protobuf");
            c.setRequestProperty("X-Prometheus-Remote-Write-Version", "0.1.0");
            c.setRequestProperty("User-Agent", userAgent);
            if (authorization != null) {
                c.setRequestProperty("Authorization", authorization);
            }
            try (OutputStream out = c.getOutputStream()) {
                out.write(compressed, 0, n);
            }
            int status = c.getResponseCode();
            String text = read(status / 100 == 2 ? c.getInputStream() : c.getErrorStream());
            return new Answer(status, "HTTP " + status + (text.isEmpty() ? "" : " " + text),
                    retryAfterMillis(c.getHeaderField("Retry-After")));
        } catch (IOException | RuntimeException e) {
            if (c != null) {
                c.disconnect();
            }
            return new Answer(0, aborted ? "aborted" : e.getClass().getSimpleName() + ": " + e.getMessage(), 0);
        } finally {
            current = null;
        }
    }

    /** Reads an answer's body to its end (so that the connection can be reused), keeping its start as text. */
    private static String read(InputStream in) throws IOException {
        if (in == null) {
            return "";
        }
        try (in) {
            byte[] b = new byte[512];
            int kept = 0;
            int r;
            while ((r = in.read(b, kept, b.length - kept)) >= 0) {
                kept += r;
                if (kept == b.length) {
                    in.skip(Long.MAX_VALUE);
                    break;
                }
            }
            return new String(b, 0, kept, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        }
    }

    /** A {@code Retry-After} of seconds or an HTTP date, in milliseconds from now; 0 when absent or not understood. */
    static long retryAfterMillis(String header) {
        if (header == null || header.isBlank()) {
            return 0;
        }
        String h = header.trim();
        try {
            return Math.max(0, Math.min(Long.parseLong(h), 86_400L) * 1000);
        } catch (NumberFormatException e) {
            try {
                return Math.max(0, Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(h,
                        DateTimeFormatter.RFC_1123_DATE_TIME)).toMillis());
            } catch (DateTimeParseException f) {
                return 0;
            }
        }
    }

    /** Disconnects a request in progress: it fails at once and the write answers retry. */
    @Override
    public void abort() {
        aborted = true;
        HttpURLConnection c = current;
        if (c != null) {
            c.disconnect();
        }
    }

    @Override
    public void close() {
        abort();
    }

    @Override
    public String toString() {
        return "RemoteWriter[" + target + "]";
    }
}
