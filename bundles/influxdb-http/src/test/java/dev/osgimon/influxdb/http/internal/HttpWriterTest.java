package dev.osgimon.influxdb.http.internal;

import static dev.osgimon.influxdb.http.internal.TestConfigs.config;
import static dev.osgimon.influxdb.http.internal.TestConfigs.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.osgimon.api.transport.LineWriter;
import dev.osgimon.api.transport.WriteResult;
import dev.osgimon.api.transport.WriteResult.Outcome;

/** The HTTP writer against a loopback server: requests, batching and the three answers. */
class HttpWriterTest {

    private FakeInflux server;
    private final List<LineWriter> writers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new FakeInflux();
    }

    @AfterEach
    void stop() {
        writers.forEach(LineWriter::close);
        server.close();
    }

    private LineWriter create(Map<String, Object> config) {
        LineWriter w = new InfluxHttpTransportFactory(config(config)).create(target(server.url()));
        writers.add(w);
        return w;
    }

    /** Writes the lines from an offset other than 0, as the outbox may. */
    static WriteResult write(LineWriter w, String... lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("garbage".getBytes(StandardCharsets.UTF_8));
        for (String line : lines) {
            out.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        byte[] bytes = out.toByteArray();
        return w.write(bytes, 7, bytes.length - 7, lines.length);
    }

    static String[] lines(String prefix, int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> prefix + " v=" + i + "i " + (1_000_000_000L + i))
                .toArray(String[]::new);
    }

    @Test
    void v1WritesGzippedLinesToWriteWithDatabaseAndBasicAuth() {
        LineWriter w = create(Map.of("database", "metrics", "retentionPolicy", "autogen", "username", "bob",
                "password", "pw"));
        assertThat(write(w, "cpu,host=a usage=1.5,n=3i,ok=true,s=\"x\" 1700000000000000000"))
                .isEqualTo(WriteResult.delivered());

        assertThat(server.requests()).hasSize(1);
        FakeInflux.Received r = server.requests().get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/write");
        assertThat(r.query()).isEqualTo("db=metrics&rp=autogen&precision=ns");
        assertThat(r.encoding()).isEqualTo("gzip");
        assertThat(r.authorization()).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString("bob:pw".getBytes(StandardCharsets.UTF_8)));
        assertThat(r.lines()).containsExactly("cpu,host=a usage=1.5,n=3i,ok=true,s=\"x\" 1700000000000000000");
    }

    @Test
    void v2WritesThroughTheClientWithOrgBucketAndToken() {
        LineWriter w = create(Map.of("org", "acme", "bucket", "ops", "token", "tok-123"));
        assertThat(write(w, "mem free=10i 1", "mem free=11i 2")).isEqualTo(WriteResult.delivered());

        FakeInflux.Received r = server.requests().get(0);
        assertThat(r.path()).isEqualTo("/api/v2/write");
        assertThat(r.query()).contains("org=acme", "bucket=ops", "precision=ns");
        assertThat(r.authorization()).isEqualTo("Token tok-123");
        assertThat(r.encoding()).isEqualTo("gzip");
        assertThat(server.lines()).containsExactly("mem free=10i 1", "mem free=11i 2");
    }

    @Test
    void withoutGzipTheBodyIsPlain() {
        LineWriter w = create(Map.of("database", "db", "gzip", false));
        assertThat(write(w, "a b=1i 1")).isEqualTo(WriteResult.delivered());
        assertThat(server.requests().get(0).encoding()).isNull();
        assertThat(server.requests().get(0).authorization()).isNull();
    }

    @Test
    void requestsHoldAtMostBatchSizeLinesInOrder() {
        LineWriter w = create(Map.of("database", "db", "batchSize", 4));
        String[] all = lines("m", 0, 10);
        assertThat(write(w, all)).isEqualTo(WriteResult.delivered());
        assertThat(server.lines()).containsExactly(all);
        assertThat(server.requests()).hasSize(3)
                .allSatisfy(r -> assertThat(r.lines()).hasSizeLessThanOrEqualTo(4));
    }

    @Test
    void aFailingTargetAnswersRetry() {
        server.status(503);
        server.retryAfter("7");
        LineWriter w = create(Map.of("database", "db"));
        WriteResult r = write(w, lines("m", 0, 5));
        assertThat(r.outcome()).isEqualTo(Outcome.RETRY);
        assertThat(r.reason()).contains("HTTP 503");
        assertThat(r.retryAfterMillis()).isEqualTo(7000);
        server.status(401);
        assertThat(write(w, lines("m", 0, 5)).outcome()).as("fixed by an administrator while lines wait")
                .isEqualTo(Outcome.RETRY);
    }

    @Test
    void aBadLineIsRejectedWithTheReasonAndTheLine() {
        server.status(400);
        server.errorBody("{\"error\":\"unable to parse 'bad line'\"}");
        LineWriter w = create(Map.of("database", "db"));
        WriteResult r = write(w, "bad line", "worse line");
        assertThat(r.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(r.reason()).contains("HTTP 400", "unable to parse", "first line: bad line");
    }

    @Test
    void onlyTheRequestTheTargetRefusedIsRejected() {
        LineWriter w = create(Map.of("database", "db", "batchSize", 2));
        server.rejectLinesContaining("bad");
        WriteResult r = write(w, "a v=1i 1", "b v=2i 2", "bad 3", "c v=4i 4", "d v=5i 5");
        assertThat(r.outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(r.rejectedLines()).isEqualTo(2);
        assertThat(server.lines()).containsExactly("a v=1i 1", "b v=2i 2", "d v=5i 5");
    }

    @Test
    void tooLargeRequestsAreSplit() {
        server.maxLines(3);
        LineWriter w = create(Map.of("database", "db", "batchSize", 8));
        assertThat(write(w, lines("m", 0, 8))).isEqualTo(WriteResult.delivered());
        assertThat(server.lines()).containsExactly(lines("m", 0, 8));
        assertThat(server.requests()).allSatisfy(q -> assertThat(q.lines()).hasSizeLessThanOrEqualTo(3));
    }

    @Test
    void targetsThisTransportCannotUseAreRejected() {
        InfluxHttpTransportFactory f = new InfluxHttpTransportFactory(config(Map.of()));
        assertThatThrownBy(() -> f.create(target("tcp://h:1"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an http(s) target");
        assertThatThrownBy(() -> f.create(target("http://h:1/base?db=x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not have a query").hasMessageEndingWith("http://h:1/base?db=****");
    }

    @Test
    void thePathAndPortOfTheTargetAreKept() {
        LineWriter w = new InfluxHttpTransportFactory(config(Map.of("database", "db")))
                .create(target(server.url() + "/influx"));
        writers.add(w);
        assertThat(write(w, "m v=1i 1")).isEqualTo(WriteResult.delivered());
        assertThat(server.requests()).extracting(FakeInflux.Received::path).containsExactly("/influx/write");
    }
}
