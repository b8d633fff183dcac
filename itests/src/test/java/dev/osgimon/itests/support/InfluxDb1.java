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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real InfluxDB 1.x server ({@code influxd} of the Debian package {@code influxdb}) on free
 * loopback ports with its meta, data and WAL in a temporary folder: HTTP ({@code /write},
 * {@code /query}) on {@link #httpPort()}, and a line-protocol UDP listener on {@link #udpPort()}
 * writing into database {@value #UDP_DATABASE}. {@link #stop()} and {@link #start()} again keep the
 * data and the ports.
 */
public final class InfluxDb1 implements AutoCloseable {

    /** The database the UDP listener writes into. */
    public static final String UDP_DATABASE = "udp";

    private final Path dir;
    private final int httpPort;
    private final int udpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;

    private InfluxDb1(Path dir, int httpPort, int udpPort) {
        this.dir = dir;
        this.httpPort = httpPort;
        this.udpPort = udpPort;
    }

    /**
     * Starts a new server in a new temporary folder.
     *
     * @throws IllegalStateException if {@code influxd} is not installed
     */
    public static InfluxDb1 startNew() {
        influxd();
        try {
            Path dir = Files.createTempDirectory("osgimon-influxdb");
            int http = Ports.free();
            int rpc = Ports.free();
            int udp = Ports.free();
            Files.writeString(dir.resolve("influxdb.conf"), String.join("\n",
                    "reporting-disabled = true",
                    "bind-address = \"127.0.0.1:" + rpc + "\"",
                    "[meta]",
                    "  dir = \"" + dir.resolve("meta") + "\"",
                    "[data]",
                    "  dir = \"" + dir.resolve("data") + "\"",
                    "  wal-dir = \"" + dir.resolve("wal") + "\"",
                    "  query-log-enabled = false",
                    "[retention]",
                    "  enabled = false",
                    "[shard-precreation]",
                    "  enabled = false",
                    "[monitor]",
                    "  store-enabled = false",
                    "[continuous_queries]",
                    "  enabled = false",
                    "[subscriber]",
                    "  enabled = false",
                    "[http]",
                    "  enabled = true",
                    "  bind-address = \"127.0.0.1:" + http + "\"",
                    "  log-enabled = false",
                    "[[udp]]",
                    "  enabled = true",
                    "  bind-address = \"127.0.0.1:" + udp + "\"",
                    "  database = \"" + UDP_DATABASE + "\"",
                    "  batch-size = 1000",
                    "  batch-pending = 10",
                    "  batch-timeout = \"100ms\"",
                    ""));
            InfluxDb1 db = new InfluxDb1(dir, http, udp);
            db.start();
            return db;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String influxd() {
        for (String p : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(p, "influxd");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException("influxd (InfluxDB 1.x) is not installed: these tests need the Debian"
                + " package 'influxdb' (apt-get install -y influxdb), which .ci/run installs");
    }

    /** Starts (again) on the same ports and data. Returns once {@code /ping} answers. */
    public void start() {
        process = Processes.start("InfluxDB HTTP on " + httpPort, dir.resolve("influxd.out"),
                () -> http.send(HttpRequest.newBuilder(uri("/ping")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 204,
                influxd(), "run", "-config", dir.resolve("influxdb.conf").toString());
    }

    /** Stops the server (SIGTERM). */
    public void stop() {
        if (process != null) {
            Processes.stop(process, 30);
            process = null;
        }
    }

    /** @return the HTTP port */
    public int httpPort() {
        return httpPort;
    }

    /** @return the UDP line-protocol port, writing into {@value #UDP_DATABASE} */
    public int udpPort() {
        return udpPort;
    }

    /** @return {@code http://127.0.0.1:<httpPort>} */
    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** Runs a statement that changes something ({@code CREATE DATABASE …}) with POST /query. */
    public void execute(String statement) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/query?q="
                    + URLEncoder.encode(statement, StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200 || r.body().contains("\"error\"")) {
                throw new IllegalStateException(statement + ": " + r.statusCode() + " " + r.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs a query (timestamps as nanoseconds) and returns its rows as column → value, from the CSV
     * answer; columns {@code name}, {@code tags}, {@code time} and one per field or tag. An unknown
     * database or measurement gives no rows.
     */
    public List<Map<String, String>> query(String database, String query) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/query?epoch=ns&db="
                    + URLEncoder.encode(database, StandardCharsets.UTF_8) + "&q="
                    + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                    .header("Accept", "application/csv").timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return List.of();
            }
            String[] lines = r.body().split("\r?\n");
            if (lines.length < 2) {
                return List.of();
            }
            List<String> header = Csv.cells(lines[0]);
            List<Map<String, String>> rows = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                if (lines[i].isBlank()) {
                    continue;
                }
                List<String> cells = Csv.cells(lines[i]);
                if (cells.equals(header)) {
                    continue; // a new series repeats the header
                }
                Map<String, String> row = new LinkedHashMap<>();
                for (int c = 0; c < header.size() && c < cells.size(); c++) {
                    row.put(header.get(c), cells.get(c));
                }
                rows.add(row);
            }
            return rows;
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** Field name → type ({@code integer}, {@code float}, {@code boolean}, {@code string}) of a measurement. */
    public Map<String, String> fieldTypes(String database, String measurement) {
        Map<String, String> types = new LinkedHashMap<>();
        for (Map<String, String> row : query(database, "SHOW FIELD KEYS FROM \"" + measurement + "\"")) {
            types.put(row.get("fieldKey"), row.get("fieldType"));
        }
        return types;
    }

    /** What influxd printed so far. */
    public String output() {
        try {
            return Files.readString(dir.resolve("influxd.out"));
        } catch (IOException e) {
            return "";
        }
    }

    private URI uri(String pathAndQuery) {
        return URI.create(url() + pathAndQuery);
    }

    @Override
    public void close() {
        stop();
        Distribution.deleteTree(dir);
    }
}
