package dev.osgimon.itests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real QuestDB server ({@code org.questdb:questdb}, copied to {@code itests.tools} by the build)
 * on free loopback ports, with its data in a temporary folder. Influx line protocol over TCP on
 * {@link #ilpPort()}, HTTP ({@code /write}, {@code /api/v2/write}, {@code /exec}, {@code /exp}) on
 * {@link #httpPort()}. {@link #stop()} and {@link #start()} again keep the data and the ports.
 */
public final class QuestDb implements AutoCloseable {

    private final Path dir;
    private final int httpPort;
    private final int ilpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;

    private QuestDb(Path dir, int httpPort, int ilpPort) {
        this.dir = dir;
        this.httpPort = httpPort;
        this.ilpPort = ilpPort;
    }

    /** Starts a new server in a new temporary folder. */
    public static QuestDb startNew() {
        try {
            Path dir = Files.createTempDirectory("osgimon-questdb");
            Files.createDirectories(dir.resolve("conf"));
            int http = Ports.free();
            int ilp = Ports.free();
            Files.writeString(dir.resolve("conf/server.conf"), String.join("\n",
                    "http.bind.to=127.0.0.1:" + http,
                    "http.min.enabled=false",
                    "line.tcp.net.bind.to=127.0.0.1:" + ilp,
                    "line.udp.enabled=false",
                    "pg.enabled=false",
                    "telemetry.enabled=false",
                    "line.tcp.commit.interval.fraction=0.1",
                    "line.tcp.maintenance.job.interval=200",
                    "shared.worker.count=2",
                    ""));
            QuestDb q = new QuestDb(dir, http, ilp);
            q.start();
            return q;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts (again) on the same ports and data. Returns once HTTP answers. */
    public void start() {
        Path jar = Path.of(System.getProperty("itests.tools", "target/tools"), "questdb.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("QuestDB jar not found at " + jar + " (run through Maven)");
        }
        process = Processes.start("QuestDB HTTP on " + httpPort, dir.resolve("questdb.out"),
                () -> exec("select 1").contains("1"),
                javaBin(), "-Xmx512m", "-p", jar.toString(), "-m", "io.questdb/io.questdb.ServerMain", "-d", dir.toString());
    }

    /** Stops the server (SIGTERM, so it commits what it has). */
    public void stop() {
        if (process != null) {
            Processes.stop(process, 30);
            process = null;
        }
    }

    /** @return the ILP/TCP port */
    public int ilpPort() {
        return ilpPort;
    }

    /** @return the HTTP port */
    public int httpPort() {
        return httpPort;
    }

    /** Runs SQL through {@code /exec}; returns the JSON answer. */
    public String exec(String sql) throws IOException, InterruptedException {
        return get("/exec?query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8));
    }

    /**
     * Runs SQL through {@code /exp} (CSV); returns the rows without the header, each cell
     * unquoted. An unknown table gives no rows.
     */
    public List<List<String>> rows(String sql) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/exp?query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8)))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return List.of();
            }
            List<List<String>> rows = new ArrayList<>();
            String[] lines = r.body().split("\n");
            for (int i = 1; i < lines.length; i++) {
                if (!lines[i].isBlank()) {
                    rows.add(Csv.cells(lines[i]));
                }
            }
            return rows;
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** The single value of a one-row, one-column query, or null. */
    public String value(String sql) {
        List<List<String>> rows = rows(sql);
        return rows.isEmpty() ? null : rows.get(0).get(0);
    }

    /** The single number a one-row, one-column query answers, or -1 when there is none (yet). */
    public long number(String sql) {
        String v = value(sql);
        return v == null || v.isEmpty() ? -1 : Long.parseLong(v);
    }

    /**
     * The number {@code sql} answers once it has stayed the same while the sender's cycle count
     * ({@code cyclesSql}) moved on by three: nothing is moving it any more, what was under way has landed.
     *
     * @param sql a one-row, one-column query
     * @param cyclesSql a query for the sender's newest cycle count
     * @param timeout how long to wait
     * @return the settled value (at least 0)
     */
    public long settled(String sql, String cyclesSql, Duration timeout) {
        long[] last = {Long.MIN_VALUE};
        long[] since = {-1};
        Waits.until("settled: " + sql, timeout, () -> {
            long cycles = number(cyclesSql);
            long v = number(sql);
            if (v != last[0]) {
                last[0] = v;
                since[0] = cycles;
            }
            return v >= 0 && cycles >= since[0] + 3;
        });
        return last[0];
    }

    private String get(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public void close() {
        stop();
        Distribution.deleteTree(dir);
    }
}
