package dev.osgimon.otlp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.osgimon.api.transport.LineWriter;
import dev.osgimon.api.transport.WriteResult;
import dev.osgimon.api.transport.WriteResult.Outcome;
import dev.osgimon.testing.TestCycle;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;

/** The writer against a real HTTP receiver: paths, headers, compression and every kind of answer. */
class OtlpWriterTest {

    private Receiver receiver;
    private OtlpEncoder encoder;

    @BeforeEach
    void start() throws IOException {
        receiver = new Receiver();
        encoder = new OtlpEncoder("osgimon", "osgimon", "id", "1.0.0", 0);
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    /** Two cycles' records, concatenated as the outbox hands them over; returns their data points. */
    private int twoCycles(ByteArrayOutputStream into) {
        int points = 0;
        for (int i = 0; i < 2; i++) {
            TestCycle c = new TestCycle(1_000_000_000L * (i + 1)).global("vm", "box");
            c.point("jvm_memory").tag("area", "heap").gauge("used", 100L + i).gauge("max", 1000L);
            c.point("http_requests").tag("method", "GET").counter("total", 5L + i, "{request}");
            points += encoder.encode(c);
            into.write(encoder.buffer(), 0, encoder.size());
        }
        return points;
    }

    private WriteResult send(LineWriter w) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int points = twoCycles(body);
        byte[] bytes = body.toByteArray();
        // at an offset, as the outbox may hand a slice of its buffer
        byte[] slice = new byte[bytes.length + 7];
        System.arraycopy(bytes, 0, slice, 7, bytes.length);
        return w.write(slice, 7, bytes.length, points);
    }

    @Test
    void deliversGzippedProtobufToV1MetricsWithTheHeaders() {
        Settings s = Settings.defaults("osgimon", "Authorization=Bearer%20s3cret, x-tenant = a+b", true);
        try (LineWriter w = new OtlpTransportFactory(s).create(TestTarget.of("otlp+http", receiver.port(), ""))) {
            WriteResult r = send(w);
            assertEquals(WriteResult.delivered(), r);
            Receiver.Request req = receiver.requests().get(0);
            assertEquals("/v1/metrics", req.path());
            assertEquals("application/x-protobuf", req.contentType());
            assertEquals("gzip", req.contentEncoding());
            assertEquals("Bearer s3cret", req.headers().get("Authorization").get(0));
            assertEquals("a+b", req.headers().get("X-tenant").get(0));
            assertEquals(2, req.body().getResourceMetricsCount());
            assertEquals(6, req.body().getResourceMetricsList().stream()
                    .flatMap(rm -> rm.getScopeMetrics(0).getMetricsList().stream())
                    .mapToInt(m -> m.hasGauge() ? m.getGauge().getDataPointsCount() : m.getSum().getDataPointsCount())
                    .sum());
            assertFalse(w.toString().contains("s3cret"), w.toString());
        }
    }

    @Test
    void uncompressedToThePathOfTheUrl() {
        Settings s = Settings.defaults("osgimon", "", false);
        try (LineWriter w = new OtlpTransportFactory(s).create(TestTarget.of("otlp+http", receiver.port(), "/otlp/v1/metrics"))) {
            assertEquals(Outcome.DELIVERED, send(w).outcome());
            assertEquals("/otlp/v1/metrics", receiver.requests().get(0).path());
            assertEquals(null, receiver.requests().get(0).contentEncoding());
        }
    }

    @Test
    void partialSuccessCountsTheRejectedPointsAndLogsTheMessageOnce() throws IOException {
        byte[] answer = ExportMetricsServiceResponse.newBuilder().setPartialSuccess(ExportMetricsPartialSuccess
                .newBuilder().setRejectedDataPoints(2).setErrorMessage("2 points too old 7f3a")).build().toByteArray();
        receiver.answer(new Receiver.Answer(200, "application/x-protobuf", answer, null));
        try (LineWriter w = new OtlpTransportFactory(Settings.defaults("osgimon", "", true))
                .create(TestTarget.of("otlp+http", receiver.port(), ""))) {
            WriteResult first = send(w);
            WriteResult second = send(w);
            assertEquals(Outcome.DELIVERED, first.outcome());
            assertEquals(2, first.rejectedLines());
            assertTrue(first.reason().contains("2 points too old"), first.reason());
            assertEquals(2, second.rejectedLines());
        }
        String log = Files.readString(Path.of("target/test-log.txt"));
        int at = log.indexOf("2 points too old 7f3a");
        assertTrue(at >= 0, "the message is logged");
        assertEquals(1, count(log, "WARN dev.osgimon.otlp.internal.OtlpWriter", "2 points too old 7f3a"),
                "logged once at warn");
    }

    private static int count(String log, String prefix, String text) {
        int n = 0;
        for (String line : log.split("\n")) {
            if (line.contains(prefix) && line.contains(text)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void badRequestRejectsWithTheReceiversMessage() {
        // google.rpc.Status: code 3 (field 1), message (field 2)
        byte[] status = {0x08, 0x03, 0x12, 0x0b, 'b', 'a', 'd', ' ', 'm', 'e', 't', 'r', 'i', 'c', 's'};
        receiver.answer(new Receiver.Answer(400, "application/x-protobuf", status, null));
        try (LineWriter w = new OtlpTransportFactory(Settings.defaults("osgimon", "", true))
                .create(TestTarget.of("otlp+http", receiver.port(), ""))) {
            WriteResult r = send(w);
            assertEquals(Outcome.REJECTED, r.outcome());
            assertTrue(r.reason().contains("HTTP 400 bad metrics"), r.reason());
        }
    }

    @Test
    void overloadedAndGatewayAnswersAreRetriedAfterRetryAfter() {
        try (LineWriter w = new OtlpTransportFactory(Settings.defaults("osgimon", "", true))
                .create(TestTarget.of("otlp+http", receiver.port(), ""))) {
            for (int status : new int[] {429, 502, 503, 504}) {
                receiver.answer(new Receiver.Answer(status, "text/plain", "busy".getBytes(), "3"));
                WriteResult r = send(w);
                assertEquals(Outcome.RETRY, r.outcome(), "HTTP " + status);
                assertEquals(3000, r.retryAfterMillis(), "HTTP " + status);
                assertTrue(r.reason().contains("HTTP " + status + " busy"), r.reason());
            }
            receiver.answer(new Receiver.Answer(500, "text/plain", "broken".getBytes(), null));
            assertEquals(Outcome.REJECTED, send(w).outcome(), "other 5xx are not retried (OTLP/HTTP)");
            receiver.answer(Receiver.Answer.ok());
            assertEquals(Outcome.DELIVERED, send(w).outcome());
        }
    }

    @Test
    void noReceiverIsARetry() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (LineWriter w = new OtlpTransportFactory(Settings.defaults("osgimon", "", true))
                .create(TestTarget.of("otlp+http", port, ""))) {
            WriteResult r = send(w);
            assertEquals(Outcome.RETRY, r.outcome());
            assertTrue(r.reason().contains("ConnectException"), r.reason());
        }
    }

    @Test
    void retryAfterAsSecondsOrDate() {
        assertEquals(120_000, OtlpWriter.retryAfterMillis(" 120 "));
        assertEquals(0, OtlpWriter.retryAfterMillis("soon"));
        assertEquals(0, OtlpWriter.retryAfterMillis("Wed, 21 Oct 2015 07:28:00 GMT"));
        String later = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(60));
        long ms = OtlpWriter.retryAfterMillis(later);
        assertTrue(ms > 55_000 && ms <= 60_000, String.valueOf(ms));
    }

    @Test
    void badTargetsAndHeadersAreRefusedWithoutTheirSecrets() {
        OtlpTransportFactory f = new OtlpTransportFactory(Settings.defaults("osgimon", "", true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.create(
                new TestTarget("otlp+http", "h", 4318, "", Map.of("token", "s3cret"), "", "")));
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        assertTrue(e.getMessage().contains("token=****"), e.getMessage());
        IllegalArgumentException h = assertThrows(IllegalArgumentException.class,
                () -> Headers.parse("a=1,s3cret"));
        assertFalse(h.getMessage().contains("s3cret"), h.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Headers.parse("Content-Encoding=identity"));
        assertThrows(IllegalArgumentException.class, () -> Headers.parse("x=a%0Db"));
        assertEquals("[Authorization=****, x=****]", Headers.parse("Authorization=Basic%20abc,x=y").toString());
    }

    @Test
    void theDefaultPortIs4318() {
        OtlpWriter w = new OtlpWriter(TestTarget.of("otlp+https", -1, ""), Headers.NONE, true, 1000, "1");
        assertEquals("otlp+https://127.0.0.1:4318/v1/metrics", w.shown());
    }
}
