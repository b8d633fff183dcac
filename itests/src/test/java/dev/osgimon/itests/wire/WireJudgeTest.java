package dev.osgimon.itests.wire;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.osgimon.core.internal.encode.CycleBuffer;
import dev.osgimon.core.internal.encode.LineRenderer;
import dev.osgimon.itests.support.InfluxDb1;
import dev.osgimon.itests.support.QuestDb;
import dev.osgimon.itests.support.Waits;
import dev.osgimon.itests.wire.RandomPoints.Point;
import dev.osgimon.itests.wire.RandomPoints.Schema;

/**
 * The wire-format judge: random points, encoded by the core's encoder, posted unchanged to real
 * InfluxDB 1.6 ({@code /write}) and real QuestDB (ILP over TCP and HTTP), read back and compared
 * exactly, modulo the conversions {@code docs/line-protocol.md} documents. A rejected line, a
 * line stored differently and a line silently dropped all fail, naming the seed; run again with
 * {@code -Dwire.seed=<seed>} to reproduce. Between the good points sit points the writer must refuse:
 * they must leave no trace and cost their neighbours nothing.
 */
class WireJudgeTest {

    private static final int POINTS = 100_000;
    private static final int MEASUREMENTS = 300;
    /** Fewer for QuestDB: each table applies its rows on its own, and more tables only cost time. */
    private static final int QUESTDB_TABLES = 120;
    private static final long BASE_NANOS = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;
    private static final String GLOBAL_KEY = "vm";
    private static final String GLOBAL_VALUE = "judge host, #1 = \"ok\"";
    private static final String DATABASE = "judge";
    /** QuestDB refuses a column name longer than this. */
    private static final int QUESTDB_MAX_NAME = 127;

    private static final long SEED = Long.getLong("wire.seed", System.nanoTime());

    private static InfluxDb1 influx;
    private static QuestDb questdb;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        System.out.println("wire judge seed: " + SEED + " (reproduce with -Dwire.seed=" + SEED + ")");
        influx = InfluxDb1.startNew();
        influx.execute("CREATE DATABASE " + DATABASE);
        questdb = QuestDb.startNew();
    }

    @AfterAll
    static void stop() {
        if (influx != null) {
            influx.close();
        }
        if (questdb != null) {
            questdb.close();
        }
    }

    @Test
    void influxDbStoresEveryPointExactly() throws Exception {
        RandomPoints gen = new RandomPoints(SEED, RandomPoints.INFLUX_NAME, RandomPoints.INFLUX_NAME, 200);
        List<Schema> schemas = gen.schemas(MEASUREMENTS);
        List<Point> points = new ArrayList<>();
        byte[] lines = encode(gen, schemas, POINTS, 0, points);
        for (byte[] chunk : chunks(lines, 2_000_000)) {
            post("http://127.0.0.1:" + influx.httpPort() + "/write?db=" + DATABASE, chunk);
        }
        Mismatches m = new Mismatches("InfluxDB 1.6");
        Map<String, Map<Long, Map<String, Object>>> stored = new HashMap<>();
        for (Schema s : schemas) {
            stored.put(s.measurement(), influxRows(RandomPoints.name(s.measurement())));
        }
        m.compare(points, p -> stored.get(p.schema().measurement()), false);
        m.assertNone();
    }

    @Test
    void questDbStoresEveryPointExactlyOverHttpAndTcp() throws Exception {
        RandomPoints gen = new RandomPoints(SEED ^ 0x5DEECE66DL, RandomPoints.QUESTDB_TABLE, RandomPoints.QUESTDB_NAME,
                QUESTDB_MAX_NAME);
        List<Schema> schemas = gen.schemas(QUESTDB_TABLES);
        List<Schema> overHttp = schemas.subList(0, QUESTDB_TABLES / 2);
        List<Schema> overTcp = schemas.subList(QUESTDB_TABLES / 2, QUESTDB_TABLES);
        List<Point> points = new ArrayList<>();
        byte[] httpLines = encode(gen, overHttp, POINTS / 2, 0, points);
        byte[] tcpLines = encode(gen, overTcp, POINTS / 2, POINTS / 2, points);
        for (byte[] chunk : chunks(httpLines, 1_000_000)) {
            post("http://127.0.0.1:" + questdb.httpPort() + "/write", chunk);
        }
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), questdb.ilpPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(tcpLines);
            out.flush();
            socket.shutdownOutput();
        }
        Map<String, Integer> expectedRows = new HashMap<>();
        for (Point p : points) {
            if (!RandomPoints.expectedFields(p).isEmpty()) {
                expectedRows.merge(RandomPoints.name(p.schema().measurement()), 1, Integer::sum);
            }
        }
        // QuestDB applies what it received asynchronously: wait until every table holds its rows
        // (or more, which the comparison then reports)
        Waits.until("QuestDB has applied every row (seed " + SEED + ")", Duration.ofMinutes(2),
                () -> expectedRows.entrySet().stream().allMatch(e -> questRowCount(e.getKey()) >= e.getValue()));
        Mismatches m = new Mismatches("QuestDB");
        Map<String, Map<Long, Map<String, Object>>> stored = new HashMap<>();
        for (Schema s : schemas) {
            stored.put(s.measurement(), questRows(RandomPoints.name(s.measurement())));
        }
        m.compare(points, p -> stored.get(p.schema().measurement()), true);
        m.assertNone();
    }

    /**
     * Encodes {@code count} points, one collection cycle each (so each has its own timestamp),
     * with a refused point before or after the good one now and then.
     */
    private static byte[] encode(RandomPoints gen, List<Schema> schemas, int count, int offset, List<Point> into) {
        CycleBuffer enc = new CycleBuffer();
        LineRenderer renderer = new LineRenderer(1024);
        enc.globalTags(new String[] {GLOBAL_KEY}, new String[] {GLOBAL_VALUE});
        ByteArrayOutputStream out = new ByteArrayOutputStream(count * 200);
        java.util.SplittableRandom bad = new java.util.SplittableRandom(SEED + offset);
        for (int i = 0; i < count; i++) {
            Point p = gen.point(schemas.get(i % schemas.size()), BASE_NANOS + (offset + i) * 1000L);
            enc.reset(p.time());
            int refused = bad.nextInt(100);
            if (refused == 0) {
                refuse(enc, bad);
            }
            RandomPoints.write(enc, p);
            if (refused == 1) {
                refuse(enc, bad);
            }
            enc.finish();
            into.add(p);
            renderer.render(enc);
            out.write(renderer.buffer(), 0, renderer.size());
        }
        return out.toByteArray();
    }

    /** Writes a point the writer must refuse; the source catches the exception and carries on. */
    private static void refuse(CycleBuffer enc, java.util.SplittableRandom bad) {
        switch (bad.nextInt(5)) {
            case 0 -> assertThatThrownBy(() -> enc.point("#comment").field("f", 1L)).isInstanceOf(IllegalArgumentException.class);
            case 1 -> assertThatThrownBy(() -> enc.point("refused").tag("time", "x").field("f", 1L))
                    .isInstanceOf(IllegalArgumentException.class);
            case 2 -> assertThatThrownBy(() -> enc.point("refused").field("timestamp", 1L)).isInstanceOf(IllegalArgumentException.class);
            case 3 -> assertThatThrownBy(() -> enc.point("refused").field("k", 1L).field("K", 2L))
                    .isInstanceOf(IllegalArgumentException.class);
            default -> assertThatThrownBy(() -> enc.point("refused").tag(GLOBAL_KEY, "x").field(GLOBAL_KEY, 1L))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static List<byte[]> chunks(byte[] lines, int size) {
        List<byte[]> chunks = new ArrayList<>();
        int start = 0;
        while (start < lines.length) {
            int end = Math.min(lines.length, start + size);
            while (end < lines.length && lines[end - 1] != '\n') {
                end++;
            }
            chunks.add(java.util.Arrays.copyOfRange(lines, start, end));
            start = end;
        }
        return chunks;
    }

    private void post(String url, byte[] body) throws InterruptedException {
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // InfluxDB repeats the refused lines in a header, which may be too odd for the client
            throw new AssertionError(url + " refused lines (seed " + SEED + "): " + e.getMessage(), e);
        }
        if (r.statusCode() != 204) {
            throw new AssertionError(url + " refused lines (seed " + SEED + "): " + r.statusCode() + " "
                    + r.body().substring(0, Math.min(2000, r.body().length())));
        }
    }

    private String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError(url + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    /** time (ns) → column → value of one measurement. */
    @SuppressWarnings("unchecked")
    private Map<Long, Map<String, Object>> influxRows(String measurement) throws Exception {
        String q = "SELECT * FROM \"" + measurement.replace("\"", "\\\"") + "\"";
        Map<String, Object> answer = (Map<String, Object>) Json.parse(get("http://127.0.0.1:" + influx.httpPort()
                + "/query?epoch=ns&db=" + DATABASE + "&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)));
        Map<String, Object> result = (Map<String, Object>) ((List<Object>) answer.get("results")).get(0);
        if (result.containsKey("error")) {
            throw new AssertionError(q + ": " + result.get("error"));
        }
        Map<Long, Map<String, Object>> rows = new HashMap<>();
        for (Object series : (List<Object>) result.getOrDefault("series", List.of())) {
            Map<String, Object> s = (Map<String, Object>) series;
            List<Object> columns = (List<Object>) s.get("columns");
            for (Object row : (List<Object>) s.get("values")) {
                List<Object> cells = (List<Object>) row;
                Map<String, Object> r = new HashMap<>();
                for (int c = 1; c < columns.size(); c++) {
                    if (cells.get(c) != null) {
                        r.put((String) columns.get(c), cells.get(c));
                    }
                }
                rows.put(Long.parseLong(((Json.Number) cells.get(0)).text()), r);
            }
        }
        return rows;
    }

    @SuppressWarnings("unchecked")
    private Map<Long, Map<String, Object>> questRows(String table) throws Exception {
        Map<String, Object> answer = (Map<String, Object>) Json.parse(get("http://127.0.0.1:" + questdb.httpPort()
                + "/exec?query=" + URLEncoder.encode("SELECT * FROM \"" + table + "\" LIMIT 1000000", StandardCharsets.UTF_8)));
        List<Object> columns = (List<Object>) answer.get("columns");
        int timeColumn = -1;
        for (int c = 0; c < columns.size(); c++) {
            if ("timestamp".equals(((Map<String, Object>) columns.get(c)).get("name"))) {
                timeColumn = c;
            }
        }
        Map<Long, Map<String, Object>> rows = new HashMap<>();
        for (Object row : (List<Object>) answer.get("dataset")) {
            List<Object> cells = (List<Object>) row;
            Map<String, Object> r = new HashMap<>();
            for (int c = 0; c < columns.size(); c++) {
                if (c != timeColumn && cells.get(c) != null) {
                    r.put((String) ((Map<String, Object>) columns.get(c)).get("name"), cells.get(c));
                }
            }
            Instant t = Instant.parse((String) cells.get(timeColumn));
            rows.put(t.getEpochSecond() * 1_000_000_000L + t.getNano(), r);
        }
        return rows;
    }

    private int questRowCount(String table) {
        try {
            Object answer = Json.parse(get("http://127.0.0.1:" + questdb.httpPort() + "/exec?query="
                    + URLEncoder.encode("SELECT count() FROM \"" + table + "\"", StandardCharsets.UTF_8)));
            @SuppressWarnings("unchecked")
            List<Object> dataset = (List<Object>) ((Map<String, Object>) answer).get("dataset");
            return Integer.parseInt(((Json.Number) ((List<Object>) dataset.get(0)).get(0)).text());
        } catch (AssertionError | Exception e) {
            return -1; // not created yet
        }
    }

    /** Collects differences between what was written and what a receiver stored. */
    private static final class Mismatches {
        private final String receiver;
        private final List<String> found = new ArrayList<>();
        private int count;
        private int compared;

        Mismatches(String receiver) {
            this.receiver = receiver;
        }

        void compare(List<Point> points, java.util.function.Function<Point, Map<Long, Map<String, Object>>> rowsOf,
                boolean questdb) {
            Map<Map<Long, Map<String, Object>>, Integer> seen = new java.util.IdentityHashMap<>();
            for (Point p : points) {
                Map<Long, Map<String, Object>> rows = rowsOf.apply(p);
                Map<String, Object> fields = RandomPoints.expectedFields(p);
                Map<String, Object> row = rows.get(p.time());
                if (fields.isEmpty()) {
                    if (row != null) {
                        add(p, "a point without fields was stored: " + row);
                    }
                    continue;
                }
                compared++;
                seen.merge(rows, 1, Integer::sum);
                if (row == null) {
                    add(p, "missing: silently dropped");
                    continue;
                }
                Map<String, Object> want = new HashMap<>(RandomPoints.expectedTags(p, GLOBAL_KEY, GLOBAL_VALUE));
                want.putAll(fields);
                if (questdb) {
                    // QuestDB reads the smallest long as its null (docs/line-protocol.md)
                    want.values().removeIf(v -> v instanceof Long l && l == Long.MIN_VALUE);
                }
                for (Map.Entry<String, Object> e : want.entrySet()) {
                    Object got = row.get(e.getKey());
                    if (!same(e.getValue(), got, questdb)) {
                        add(p, "column '" + e.getKey() + "': wrote " + show(e.getValue()) + ", stored " + show(got));
                    }
                }
                for (String column : row.keySet()) {
                    if (!want.containsKey(column)) {
                        add(p, "unexpected column '" + column + "' = " + show(row.get(column)));
                    }
                }
            }
            for (Map.Entry<Map<Long, Map<String, Object>>, Integer> e : seen.entrySet()) {
                if (e.getKey().size() != e.getValue()) {
                    found.add("a table holds " + e.getKey().size() + " rows, " + e.getValue() + " were written");
                    count++;
                }
            }
        }

        private static boolean same(Object want, Object got, boolean questdb) {
            if (got == null) {
                return false;
            }
            if (want instanceof Double d) {
                return got instanceof Json.Number n && Double.doubleToRawLongBits(Double.parseDouble(n.text()))
                        == Double.doubleToRawLongBits(d);
            }
            if (want instanceof Long l) {
                return got instanceof Json.Number n && n.text().equals(Long.toString(l));
            }
            return Objects.equals(want, got);
        }

        private static String show(Object v) {
            if (v instanceof Json.Number n) {
                return n.text();
            }
            if (v instanceof String s) {
                StringBuilder b = new StringBuilder("\"");
                s.codePoints().forEach(c -> {
                    if (c < 0x20 || c == 0x7f || c == '\\' || c == '"' || c > 0x7e) {
                        b.append(String.format("\\u{%x}", c));
                    } else {
                        b.appendCodePoint(c);
                    }
                });
                return b.append('"').toString();
            }
            return String.valueOf(v) + (v == null ? "" : " (" + v.getClass().getSimpleName() + ")");
        }

        private void add(Point p, String what) {
            count++;
            if (found.size() < 25) {
                found.add(show(p.schema().measurement()) + " @" + p.time() + ": " + what);
            }
        }

        void assertNone() {
            if (count > 0) {
                throw new AssertionError(receiver + ": " + count + " differences in " + compared + " points (seed " + SEED
                        + ", reproduce with -Dwire.seed=" + SEED + "):\n  " + String.join("\n  ", found));
            }
        }
    }
}
