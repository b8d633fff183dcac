package dev.osgimon.otlp.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.transport.LineWriter;
import dev.osgimon.api.transport.Target;
import dev.osgimon.api.transport.WriteResult;

/**
 * POSTs batches of {@link OtlpEncoder} records (a valid {@code ExportMetricsServiceRequest} once
 * concatenated) to an OTLP/HTTP receiver, {@code application/x-protobuf}, gzip unless configured
 * otherwise, and answers as the OTLP/HTTP specification asks:
 * <ul>
 * <li>2xx: delivered. With {@code partial_success.rejected_data_points} &gt; 0 those are counted as
 * rejected ({@link WriteResult#deliveredExcept}); each distinct {@code error_message} is logged once
 * at warn.</li>
 * <li>429, 502, 503, 504: retry, after at least the {@code Retry-After} the receiver asked for.
 * 401, 403, 404, 407 and 408 are retried too: an administrator fixes a credential or a path while
 * the data waits in the outbox.</li>
 * <li>Any other status (400, 413, 500, …): rejected, with the receiver's {@code google.rpc.Status}
 * message as the reason.</li>
 * <li>No answer (refused, reset, timeout, aborted): retry.</li>
 * </ul>
 * Keeps no data: the core's outbox holds each batch until this writer answers.
 */
final class OtlpWriter implements LineWriter {

    private static final Logger LOG = LoggerFactory.getLogger(OtlpWriter.class);

    /** OTLP/HTTP's default port. */
    static final int DEFAULT_PORT = 4318;
    static final String DEFAULT_PATH = "/v1/metrics";
    private static final int MAX_ANSWER = 64 * 1024;
    private static final int MAX_LOGGED_MESSAGES = 64;

    private final URL url;
    private final String shown;
    private final Headers headers;
    private final String authorization;
    private final boolean gzip;
    private final int timeoutMillis;
    private final String userAgent;
    private final Body compressed = new Body();
    private final Set<String> logged = new LinkedHashSet<>();
    private volatile HttpURLConnection current;

    /** A reused output buffer whose bytes are read in place. */
    private static final class Body extends ByteArrayOutputStream {
        Body() {
            super(64 * 1024);
        }

        byte[] bytes() {
            return buf;
        }
    }

    /**
     * @param target an {@code otlp+http} or {@code otlp+https} target without query
     * @param headers extra headers
     * @param gzip whether request bodies are compressed
     * @param timeoutMillis connect, write and read timeout
     * @param version this bundle's version, for the User-Agent
     * @throws IllegalArgumentException for a target this writer cannot use, named by its redacted form
     */
    OtlpWriter(Target target, Headers headers, boolean gzip, int timeoutMillis, String version) {
        String scheme = switch (target.scheme()) {
            case "otlp+http" -> "http";
            case "otlp+https" -> "https";
            default -> throw new IllegalArgumentException("not an otlp+http(s) target: " + target.redacted());
        };
        if (!target.query().isEmpty()) {
            throw new IllegalArgumentException("an OTLP target takes no query (headers go in the headers setting): "
                    + target.redacted());
        }
        String path = target.path().isEmpty() || target.path().equals("/") ? DEFAULT_PATH : target.path();
        int port = target.port() < 0 ? DEFAULT_PORT : target.port();
        String host = target.host().indexOf(':') >= 0 ? "[" + target.host() + "]" : target.host();
        try {
            this.url = new URI(scheme + "://" + host + ":" + port + path).toURL();
        } catch (URISyntaxException | IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a usable OTLP target: " + target.redacted());
        }
        this.shown = target.scheme() + "://" + host + ":" + port + path;
        this.headers = headers;
        this.authorization = target.user().isEmpty() ? null
                : "Basic " + Base64.getEncoder().encodeToString((target.user() + ":" + target.password())
                        .getBytes(StandardCharsets.UTF_8));
        this.gzip = gzip;
        this.timeoutMillis = timeoutMillis;
        this.userAgent = "osgimon-otlp/" + version;
        LOG.info("Sending OTLP metrics to {} (protobuf, {}, headers: {})", shown, gzip ? "gzip" : "uncompressed",
                headers);
    }

    /** @return where requests go, without secrets */
    String shown() {
        return shown;
    }

    @Override
    public WriteResult write(byte[] buf, int off, int len, int lines) {
        byte[] body = buf;
        int from = off;
        int length = len;
        if (gzip) {
            compressed.reset();
            try (GZIPOutputStream z = new GZIPOutputStream(compressed, 8192)) {
                z.write(buf, off, len);
            } catch (IOException e) {
                return WriteResult.retry(shown + ": gzip: " + e.getMessage(), 0);
            }
            body = compressed.bytes();
            from = 0;
            length = compressed.size();
        }
        HttpURLConnection conn = null;
        try {
            conn = (HttpURLConnection) url.openConnection();
            current = conn;
            conn.setRequestMethod("POST");
            conn.setDoOutput(true);
            conn.setUseCaches(false);
            conn.setInstanceFollowRedirects(false);
            conn.setConnectTimeout(timeoutMillis);
            conn.setReadTimeout(timeoutMillis);
            conn.setFixedLengthStreamingMode(length);
            conn.setRequestProperty("Content-Type", "application/x-protobuf");
            conn.setRequestProperty("User-Agent", userAgent);
            if (gzip) {
                conn.setRequestProperty("Content-Encoding", "gzip");
            }
            if (authorization != null) {
                conn.setRequestProperty("Authorization", authorization);
            }
            for (Headers.Header h : headers.list()) {
                conn.setRequestProperty(h.name(), h.value());
            }
            try (OutputStream os = conn.getOutputStream()) {
                os.write(body, from, length);
            }
            int status = conn.getResponseCode();
            byte[] answer = read(conn, status);
            boolean protobuf = isProtobuf(conn.getContentType());
            if (status >= 200 && status < 300) {
                return delivered(answer, protobuf, lines);
            }
            String reason = shown + ": HTTP " + status + message(answer, protobuf);
            if (retryable(status)) {
                return WriteResult.retry(reason, retryAfterMillis(conn.getHeaderField("Retry-After")));
            }
            return WriteResult.rejected(reason);
        } catch (IOException | RuntimeException e) {
            return WriteResult.retry(shown + ": " + e.getClass().getSimpleName() + ": " + shorten(e.getMessage()), 0);
        } finally {
            current = null;
        }
    }

    static boolean retryable(int status) {
        return switch (status) {
            case 429, 502, 503, 504, 401, 403, 404, 407, 408 -> true;
            default -> false;
        };
    }

    private WriteResult delivered(byte[] answer, boolean protobuf, int lines) {
        if (!protobuf || answer.length == 0) {
            return WriteResult.delivered();
        }
        PartialSuccess partial = PartialSuccess.parse(answer);
        if (partial.rejected() <= 0 && partial.message().isEmpty()) {
            return WriteResult.delivered();
        }
        String message = partial.message().isEmpty() ? "(no message)" : partial.message();
        boolean first;
        synchronized (logged) {
            first = logged.add(message);
            if (logged.size() > MAX_LOGGED_MESSAGES) {
                logged.remove(logged.iterator().next());
            }
        }
        if (first) {
            LOG.warn("{} took the request but rejected {} data points: {}", shown, partial.rejected(), message);
        } else {
            LOG.debug("{} rejected {} data points: {}", shown, partial.rejected(), message);
        }
        long rejected = Math.min(partial.rejected(), lines);
        return WriteResult.deliveredExcept((int) Math.max(0, rejected), shown + ": partial success: " + message);
    }

    private static byte[] read(HttpURLConnection conn, int status) throws IOException {
        InputStream in = status >= 400 ? conn.getErrorStream() : conn.getInputStream();
        if (in == null) {
            return new byte[0];
        }
        if ("gzip".equalsIgnoreCase(conn.getContentEncoding())) {
            in = new GZIPInputStream(in);
        }
        try (InputStream s = in) {
            byte[] answer = s.readNBytes(MAX_ANSWER);
            // drain the rest so that the connection can be reused
            s.transferTo(OutputStream.nullOutputStream());
            return answer;
        }
    }

    private static boolean isProtobuf(String contentType) {
        return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-protobuf");
    }

    /** The message of a {@code google.rpc.Status} answer (field 2), or the text of another one. */
    private static String message(byte[] answer, boolean protobuf) {
        if (answer.length == 0) {
            return "";
        }
        String text = protobuf ? ProtoReader.string(answer, 2) : new String(answer, StandardCharsets.UTF_8);
        return text == null || text.isBlank() ? "" : " " + shorten(text);
    }

    static String shorten(String s) {
        if (s == null) {
            return "";
        }
        String t = s.strip().replace('\n', ' ').replace('\r', ' ');
        return t.length() > 300 ? t.substring(0, 300) + "…" : t;
    }

    /**
     * @param value a {@code Retry-After} header: seconds or an HTTP date
     * @return the wait it asks for, 0 if none or unreadable
     */
    static long retryAfterMillis(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        String v = value.trim();
        try {
            return Math.max(0, Math.multiplyExact(Long.parseLong(v), 1000L));
        } catch (NumberFormatException | ArithmeticException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, Duration.between(ZonedDateTime.now(at.getZone()), at).toMillis());
            } catch (DateTimeParseException ignored) {
                return 0;
            }
        }
    }

    /** Makes a request in progress fail at once: the write answers retry. */
    @Override
    public void abort() {
        HttpURLConnection c = current;
        if (c != null) {
            c.disconnect();
        }
    }

    /** Nothing to close: connections are the JDK's keep-alive cache's, and this writer starts no thread. */
    @Override
    public void close() {
        abort();
    }

    @Override
    public String toString() {
        return "OtlpWriter[" + shown + ", headers " + headers + "]";
    }

    /** {@code ExportMetricsServiceResponse.partial_success}. */
    record PartialSuccess(long rejected, String message) {
        static PartialSuccess parse(byte[] response) {
            byte[] partial = ProtoReader.bytes(response, 1);
            if (partial == null) {
                return new PartialSuccess(0, "");
            }
            long rejected = ProtoReader.varint(partial, 1);
            String message = ProtoReader.string(partial, 2);
            return new PartialSuccess(rejected, message == null ? "" : message);
        }
    }
}
