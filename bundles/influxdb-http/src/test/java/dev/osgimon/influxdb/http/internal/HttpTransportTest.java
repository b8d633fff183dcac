package dev.osgimon.influxdb.http.internal;

import static dev.osgimon.influxdb.http.internal.TestConfigs.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.osgimon.api.transport.Transport;
import dev.osgimon.api.transport.TransportStats;

class HttpTransportTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private FakeInflux server;
    private final List<Transport> transports = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new FakeInflux();
    }

    @AfterEach
    void stop() {
        transports.forEach(Transport::close);
        server.close();
    }

    private Transport create(Map<String, Object> config, int bufferLines) {
        Transport t = new InfluxHttpTransportFactory(config(config)).create(URI.create(server.url()), bufferLines);
        transports.add(t);
        return t;
    }

    static void send(Transport t, String... lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("garbage".getBytes(StandardCharsets.UTF_8));
        for (String line : lines) {
            out.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        byte[] bytes = out.toByteArray();
        t.send(bytes, 7, bytes.length - 7, lines.length);
    }

    static String[] lines(String prefix, int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> prefix + " v=" + i + "i " + (1_000_000_000L + i))
                .toArray(String[]::new);
    }

    @Test
    void v1WritesGzippedLinesToWriteWithDatabaseAndBasicAuth() {
        Transport t = create(Map.of("database", "metrics", "retentionPolicy", "autogen", "username", "bob",
                "password", "pw"), 10);
        send(t, "cpu,host=a usage=1.5,n=3i,ok=true,s=\"x\" 1700000000000000000");

        await().atMost(WAIT).until(() -> server.requests().size() == 1);
        FakeInflux.Received r = server.requests().get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/write");
        assertThat(r.query()).isEqualTo("db=metrics&rp=autogen&precision=ns");
        assertThat(r.encoding()).isEqualTo("gzip");
        assertThat(r.authorization()).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString("bob:pw".getBytes(StandardCharsets.UTF_8)));
        assertThat(r.lines()).containsExactly("cpu,host=a usage=1.5,n=3i,ok=true,s=\"x\" 1700000000000000000");
        assertThat(t.stats()).isEqualTo(new TransportStats(1, 0, 0, 0, 0, 10));
    }

    @Test
    void v2WritesThroughTheClientWithOrgBucketAndToken() {
        Transport t = create(Map.of("org", "acme", "bucket", "ops", "token", "tok-123"), 10);
        send(t, "mem free=10i 1", "mem free=11i 2");

        await().atMost(WAIT).until(() -> server.lines().size() == 2);
        FakeInflux.Received r = server.requests().get(0);
        assertThat(r.path()).isEqualTo("/api/v2/write");
        assertThat(r.query()).contains("org=acme", "bucket=ops", "precision=ns");
        assertThat(r.authorization()).isEqualTo("Token tok-123");
        assertThat(r.encoding()).isEqualTo("gzip");
        assertThat(server.lines()).containsExactly("mem free=10i 1", "mem free=11i 2");
        await().atMost(WAIT).until(() -> t.stats().linesSent() == 2);
    }

    @Test
    void withoutGzipTheBodyIsPlain() {
        Transport t = create(Map.of("database", "db", "gzip", false), 10);
        send(t, "a b=1i 1");
        await().atMost(WAIT).until(() -> server.requests().size() == 1);
        assertThat(server.requests().get(0).encoding()).isNull();
        assertThat(server.requests().get(0).authorization()).isNull();
    }

    @Test
    void batchesHoldAtMostBatchSizeLinesInOrder() {
        server.status(503);
        Transport t = create(Map.of("database", "db", "batchSize", 4), 100);
        String[] all = lines("m", 0, 10);
        send(t, all);
        await().atMost(WAIT).until(() -> t.stats().writeErrors() > 0);
        server.status(204);

        await().atMost(WAIT).until(() -> server.lines().size() == 10);
        assertThat(server.lines()).containsExactly(all);
        assertThat(server.requests()).allSatisfy(r -> assertThat(r.lines()).hasSizeLessThanOrEqualTo(4));
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void flushIntervalGathersSeveralSendsIntoOneRequest() {
        Transport t = create(Map.of("database", "db", "flushInterval", 500), 100);
        send(t, "a v=1i 1");
        send(t, "a v=2i 2");
        send(t, "a v=3i 3");
        await().atMost(WAIT).until(() -> server.lines().size() == 3);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void whileTheTargetFailsLinesWaitAndArriveInOrderAfterwards() {
        server.status(503);
        Transport t = create(Map.of("database", "db"), 100);
        send(t, lines("m", 0, 5));
        await().atMost(WAIT).until(() -> t.stats().writeErrors() >= 3);
        send(t, lines("m", 5, 8));
        assertThat(t.stats().linesBuffered()).isEqualTo(8);
        assertThat(t.stats().linesSent()).isZero();

        server.status(204);
        await().atMost(WAIT).until(() -> t.stats().linesSent() == 8);
        assertThat(server.lines()).containsExactly(lines("m", 0, 8));
        TransportStats s = t.stats();
        assertThat(s.linesDropped()).isZero();
        assertThat(s.linesBuffered()).isZero();
        assertThat(s.reconnects()).as("recoveries").isEqualTo(1);
    }

    @Test
    void whenTheBufferOverflowsTheOldestLinesAreDroppedAndCounted() {
        server.status(500);
        Transport t = create(Map.of("database", "db"), 5);
        send(t, lines("m", 0, 3));
        await().atMost(WAIT).until(() -> t.stats().writeErrors() >= 1);
        send(t, lines("m", 3, 9));
        send(t, lines("m", 9, 12));
        assertThat(t.stats().linesBuffered()).isEqualTo(5);

        server.status(204);
        await().atMost(WAIT).until(() -> t.stats().linesBuffered() == 0);
        assertThat(server.lines()).containsExactly(lines("m", 7, 12));
        assertThat(t.stats().linesSent()).isEqualTo(5);
        assertThat(t.stats().linesDropped()).isEqualTo(7);
    }

    @Test
    void aRejectedBatchIsDroppedAndCountedAndLaterLinesStillGo() {
        server.status(400);
        server.errorBody("{\"error\":\"unable to parse 'bad line'\"}");
        Transport t = create(Map.of("database", "db"), 100);
        send(t, "bad line", "worse line");
        await().atMost(WAIT).until(() -> t.stats().linesDropped() == 2);
        assertThat(t.stats().writeErrors()).isEqualTo(1);
        assertThat(t.stats().linesBuffered()).isZero();

        server.status(204);
        send(t, "good v=1i 1");
        await().atMost(WAIT).until(() -> t.stats().linesSent() == 1);
        assertThat(server.lines()).containsExactly("good v=1i 1");
    }

    @Test
    void tooLargeRequestsAreSplit() {
        server.maxLines(3);
        Transport t = create(Map.of("database", "db", "batchSize", 8), 100);
        send(t, lines("m", 0, 8));
        await().atMost(WAIT).until(() -> t.stats().linesSent() == 8);
        assertThat(server.lines()).containsExactly(lines("m", 0, 8));
        assertThat(server.requests()).allSatisfy(r -> assertThat(r.lines()).hasSizeLessThanOrEqualTo(3));
        assertThat(t.stats().writeErrors()).isEqualTo(2);
        assertThat(t.stats().linesDropped()).isZero();
    }

    @Test
    void drainToHandsOverEveryUnsentLineInOrder() {
        server.status(503);
        Transport t = create(Map.of("database", "db", "batchSize", 3), 100);
        send(t, lines("m", 0, 7));
        await().atMost(WAIT).until(() -> t.stats().writeErrors() >= 1);

        List<String> got = new ArrayList<>();
        int[] counted = new int[1];
        t.drainTo((buf, off, len, n) -> {
            got.addAll(List.of(new String(buf, off, len, StandardCharsets.UTF_8).split("\n")));
            counted[0] += n;
        });
        assertThat(got).containsExactly(lines("m", 0, 7));
        assertThat(counted[0]).isEqualTo(7);
        assertThat(t.stats().linesBuffered()).isZero();

        send(t, "late v=1i 1");
        assertThat(t.stats().linesDropped()).isEqualTo(1);
    }

    @Test
    void closeSendsWhatIsBufferedWhenTheTargetIsHealthy() {
        Transport t = create(Map.of("database", "db", "flushInterval", 60_000), 100);
        send(t, lines("m", 0, 3));
        t.close();
        assertThat(server.lines()).containsExactly(lines("m", 0, 3));
        assertThat(t.stats().linesSent()).isEqualTo(3);
    }

    @Test
    void closeWhileTheTargetIsDownReturnsPromptlyAndKeepsTheLinesForDrainTo() {
        server.status(503);
        Transport t = create(Map.of("database", "db", "retryInterval", 60_000, "maxRetryDelay", 60_000), 100);
        send(t, lines("m", 0, 4));
        await().atMost(WAIT).until(() -> t.stats().writeErrors() == 1);
        long start = System.nanoTime();
        t.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(t.stats().linesDropped()).isZero();
        assertThat(t.stats().linesBuffered()).isEqualTo(4);

        // as the core does on reconfiguration: close, then hand the rest to the next transport
        List<String> got = new ArrayList<>();
        t.drainTo((buf, off, len, n) -> got.addAll(List.of(new String(buf, off, len, StandardCharsets.UTF_8)
                .split("\n"))));
        assertThat(got).containsExactly(lines("m", 0, 4));
        assertThat(t.stats().linesBuffered()).isZero();
        send(t, "late v=1i 1");
        assertThat(t.stats().linesDropped()).isEqualTo(1);
    }

    @Test
    void closeStopsTheSenderThread() {
        Transport t = create(Map.of("database", "db"), 100);
        send(t, "a v=1i 1");
        await().atMost(WAIT).until(() -> t.stats().linesSent() == 1);
        assertThat(senderThreads()).hasSize(1);
        t.close();
        assertThat(senderThreads()).isEmpty();
    }

    @Test
    void unusableTargetsAreRejected() {
        InfluxHttpTransportFactory f = new InfluxHttpTransportFactory(config(Map.of()));
        assertThatThrownBy(() -> f.create(URI.create("http:///nohost"), 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.create(URI.create("tcp://h:1"), 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.create(URI.create(server.url()), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(f.openTransports()).isZero();
    }

    static List<Thread> senderThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(th -> th.isAlive() && th.getName().startsWith("osgimon-influxdb-http")).toList();
    }
}
