package dev.osgimon.prometheus.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.osgimon.api.transport.Target;
import dev.osgimon.api.transport.WriteResult;
import dev.osgimon.testing.LogCapture;
import dev.osgimon.testing.TestCycle;

/** The writer against a real HTTP server on a loopback port: headers, bodies and what each answer becomes. */
class RemoteWriterTest {

    /** What the receiver got: headers and the decoded series. */
    record Received(Map<String, String> headers, List<String> series) {
    }

    /** An answer the receiver gives: status, Retry-After (or null). */
    record Reply(int status, String retryAfter, String body) {
    }

    private HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
    private volatile CountDownLatch hold;
    private RemoteWriter writer;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/write", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        if (writer != null) {
            writer.close();
        }
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h : List.of("Content-Encoding", "Content-Type", "X-Prometheus-Remote-Write-Version", "User-Agent",
                    "Authorization")) {
                headers.put(h, exchange.getRequestHeaders().getFirst(h));
            }
            headers.put("method", exchange.getRequestMethod());
            byte[] plain = org.xerial.snappy.Snappy.uncompress(body);
            received.add(new Received(headers, RemoteWriteDecoder.decode(plain, 0, plain.length)));
            CountDownLatch h = hold;
            if (h != null) {
                h.await(10, TimeUnit.SECONDS);
            }
            Reply r = replies.poll();
            if (r == null) {
                r = new Reply(204, null, "");
            }
            if (r.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", r.retryAfter());
            }
            byte[] text = r.body().getBytes();
            exchange.sendResponseHeaders(r.status(), text.length == 0 ? -1 : text.length);
            if (text.length > 0) {
                exchange.getResponseBody().write(text);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Target target(String scheme, int port, String path, String user, String password) {
        return new Target() {
            public String scheme() {
                return scheme;
            }

            public String host() {
                return "127.0.0.1";
            }

            public int port() {
                return port;
            }

            public String path() {
                return path;
            }

            public Map<String, String> query() {
                return Map.of();
            }

            public String user() {
                return user;
            }

            public String password() {
                return password;
            }

            public String location() {
                return scheme + "://127.0.0.1:" + port + path;
            }

            public String redacted() {
                return location();
            }
        };
    }

    private RemoteWriter writer(String user, String password) {
        writer = new RemoteWriter(target("prometheus+http", server.getAddress().getPort(), "/api/v1/write", user, password),
                "osgimon/test", 5_000, 1_000);
        return writer;
    }

    /** Records of {@code cycles} cycles with one series each, values 1, 2, ... */
    private static byte[] records(int cycles) {
        RemoteWriteEncoder encoder = new RemoteWriteEncoder();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 1; i <= cycles; i++) {
            encoder.encode(new TestCycle(i * 1_000_000_000L).point("m").gauge("v", (long) i));
            all.write(encoder.buffer(), 0, encoder.size());
        }
        return all.toByteArray();
    }

    @Test
    void postsSnappyProtobufWithTheRemoteWriteHeaders() {
        byte[] batch = records(3);
        assertThat(writer("", "").write(batch, 0, batch.length, 3)).isEqualTo(WriteResult.delivered());
        assertThat(received).hasSize(1);
        assertThat(received.get(0).headers()).containsEntry("method", "POST").containsEntry("Content-Encoding", "snappy")
                .containsEntry("Content-Type", "application/x-protobuf")
                .containsEntry("X-Prometheus-Remote-Write-Version", "0.1.0").containsEntry("User-Agent", "osgimon/test")
                .containsEntry("Authorization", null);
        assertThat(received.get(0).series()).containsExactly("{__name__=\"m_v\"} 1.0 @1000", "{__name__=\"m_v\"} 2.0 @2000",
                "{__name__=\"m_v\"} 3.0 @3000");
    }

    @Test
    void sendsOnlyTheGivenSliceAndBasicCredentialsOfTheTarget() {
        byte[] batch = records(3);
        int first = RemoteWriter.recordEnd(batch, 0, batch.length);
        assertThat(writer("user", "p:w").write(batch, first, batch.length - first, 2)).isEqualTo(WriteResult.delivered());
        assertThat(received.get(0).series()).containsExactly("{__name__=\"m_v\"} 2.0 @2000", "{__name__=\"m_v\"} 3.0 @3000");
        assertThat(received.get(0).headers()).containsEntry("Authorization", "Basic dXNlcjpwOnc=");
    }

    @Test
    void serverErrorsAndTooManyRequestsAreRetriedAfterTheirRetryAfter() {
        byte[] batch = records(2);
        replies.add(new Reply(503, null, "overloaded"));
        replies.add(new Reply(429, "7", ""));
        WriteResult first = writer("", "").write(batch, 0, batch.length, 2);
        assertThat(first.outcome()).isEqualTo(WriteResult.Outcome.RETRY);
        assertThat(first.reason()).contains("HTTP 503 overloaded");
        WriteResult second = writer.write(batch, 0, batch.length, 2);
        assertThat(second.outcome()).isEqualTo(WriteResult.Outcome.RETRY);
        assertThat(second.retryAfterMillis()).isEqualTo(7_000);
        assertThat(writer.write(batch, 0, batch.length, 2)).isEqualTo(WriteResult.delivered());
        assertThat(received).hasSize(3);
    }

    @Test
    void otherClientErrorsRejectTheBatchAndAreLoggedOncePerReason() {
        byte[] batch = records(2);
        try (LogCapture log = new LogCapture()) {
            for (int i = 0; i < 3; i++) {
                replies.add(new Reply(400, null, "out of order sample"));
                WriteResult r = (writer == null ? writer("", "") : writer).write(batch, 0, batch.length, 2);
                assertThat(r.outcome()).isEqualTo(WriteResult.Outcome.REJECTED);
                assertThat(r.reason()).contains("HTTP 400 out of order sample");
            }
            replies.add(new Reply(404, null, "remote write receiver needs to be enabled"));
            assertThat(writer.write(batch, 0, batch.length, 2).outcome()).isEqualTo(WriteResult.Outcome.REJECTED);
            String text = log.text();
            assertThat(text.split("out of order sample", -1)).hasSize(2);
            assertThat(text).contains("refused 2 samples for good: HTTP 404 remote write receiver needs to be enabled");
        }
    }

    @Test
    void aBacklogGoesInSeveralRequestsInOrderAndOnlyTheRefusedPartIsLost() {
        int cycles = 2 * 1_000 / records(1).length + 10; // three requests of at most 1,000 bytes
        byte[] batch = records(cycles);
        replies.add(new Reply(204, null, ""));
        replies.add(new Reply(400, null, "out of order sample"));
        WriteResult r = writer("", "").write(batch, 0, batch.length, cycles);
        assertThat(received).hasSize(3);
        List<String> all = new ArrayList<>();
        for (Received x : received) {
            all.addAll(x.series());
        }
        assertThat(all).hasSize(cycles).startsWith("{__name__=\"m_v\"} 1.0 @1000").endsWith("{__name__=\"m_v\"} "
                + (double) cycles + " @" + cycles * 1000L);
        assertThat(r.outcome()).isEqualTo(WriteResult.Outcome.DELIVERED);
        assertThat(r.rejectedLines()).isEqualTo(received.get(1).series().size());
    }

    @Test
    void aRetriedBacklogDoesNotSendAgainTheRequestsTheReceiverTook() {
        int cycles = 2 * 1_000 / records(1).length + 10;
        byte[] batch = records(cycles);
        replies.add(new Reply(204, null, ""));
        replies.add(new Reply(400, null, "bad"));
        replies.add(new Reply(503, null, "busy"));
        assertThat(writer("", "").write(batch, 0, batch.length, cycles).outcome()).isEqualTo(WriteResult.Outcome.RETRY);
        assertThat(received).hasSize(3);
        int refused = received.get(1).series().size();
        List<String> third = received.get(2).series();
        received.clear();
        WriteResult r = writer.write(batch, 0, batch.length, cycles);
        assertThat(received).hasSize(1);
        assertThat(received.get(0).series()).isEqualTo(third);
        assertThat(r.outcome()).isEqualTo(WriteResult.Outcome.DELIVERED);
        assertThat(r.rejectedLines()).isEqualTo(refused);
        assertThat(r.reason()).contains("HTTP 400 bad");
        received.clear(); // a different batch is sent whole
        byte[] other = records(cycles + 1);
        assertThat(writer.write(other, 0, other.length, cycles + 1)).isEqualTo(WriteResult.delivered());
        assertThat(received).hasSize(3);
    }

    @Test
    void noAnswerIsARetry() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        writer = new RemoteWriter(target("prometheus+http", port, "", "", ""), "osgimon/test", 2_000, 1_000);
        byte[] batch = records(1);
        WriteResult r = writer.write(batch, 0, batch.length, 1);
        assertThat(r.outcome()).isEqualTo(WriteResult.Outcome.RETRY);
        assertThat(r.reason()).contains("ConnectException");
    }

    @Test
    void abortEndsAWriteInProgressAsARetry() throws Exception {
        hold = new CountDownLatch(1);
        byte[] batch = records(1);
        writer("", "");
        Thread aborter = new Thread(() -> {
            while (received.isEmpty()) {
                Thread.onSpinWait();
            }
            writer.abort();
        });
        aborter.start();
        try {
            WriteResult r = writer.write(batch, 0, batch.length, 1);
            assertThat(r.outcome()).isEqualTo(WriteResult.Outcome.RETRY);
            assertThat(r.reason()).contains("aborted");
        } finally {
            hold.countDown();
            aborter.join(5_000);
        }
    }

    @Test
    void refusesOtherSchemesAndQueriesNamingTheTargetRedacted() {
        assertThatThrownBy(() -> new RemoteWriter(target("http", 9090, "", "", ""), "a", 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http://127.0.0.1:9090");
        Target withQuery = new Target() {
            private final Target t = target("prometheus+http", 9090, "", "u", "secret");

            public String scheme() {
                return t.scheme();
            }

            public String host() {
                return t.host();
            }

            public int port() {
                return t.port();
            }

            public String path() {
                return t.path();
            }

            public Map<String, String> query() {
                return Map.of("x", "y");
            }

            public String user() {
                return t.user();
            }

            public String password() {
                return t.password();
            }

            public String location() {
                return t.location();
            }

            public String redacted() {
                return t.location() + "?x=****";
            }
        };
        assertThatThrownBy(() -> new RemoteWriter(withQuery, "a", 1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("?x=****").hasMessageNotContaining("secret");
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        assertThat(RemoteWriter.retryAfterMillis("3")).isEqualTo(3_000);
        assertThat(RemoteWriter.retryAfterMillis(null)).isZero();
        assertThat(RemoteWriter.retryAfterMillis("soon")).isZero();
        String inTenSeconds = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(10));
        assertThat(RemoteWriter.retryAfterMillis(inTenSeconds)).isBetween(8_000L, 10_000L);
    }
}
