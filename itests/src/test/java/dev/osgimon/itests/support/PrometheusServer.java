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
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Prometheus (the Debian package's {@code prometheus}, 2.42 here) with a temporary
 * configuration and storage, listening on a port of its own: scraping one target every second, or
 * taking remote write ({@link #receiver()}). It can be stopped and started again on the same storage
 * and port, as an outage.
 */
public final class PrometheusServer implements AutoCloseable {

    private static final Pattern VALUE = Pattern.compile("\"value\":\\[[-0-9.e+E]+,\"([^\"]*)\"\\]");

    private final Path dir;
    private final int port;
    private final String[] command;
    private Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusServer(Path dir, int port, String... command) {
        this.dir = dir;
        this.port = port;
        this.command = command;
        launch();
    }

    private void launch() {
        HttpClient probe = HttpClient.newHttpClient();
        process = Processes.start("Prometheus on " + port, dir.resolve("prometheus.out"),
                () -> probe.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200,
                command);
    }

    private static String binary() {
        return List.of("/usr/bin/prometheus", "/usr/local/bin/prometheus").stream()
                .filter(p -> Files.isExecutable(Path.of(p))).findFirst()
                .orElseThrow(() -> new IllegalStateException("prometheus not found: install the Debian package prometheus"
                        + " (.ci/run does)"));
    }

    /**
     * Starts a Prometheus that scrapes nothing and takes remote write at
     * {@code /api/v1/write} ({@code --web.enable-remote-write-receiver}).
     *
     * @return the running server (its HTTP API answers)
     */
    public static PrometheusServer receiver() {
        try {
            Path dir = Files.createTempDirectory("osgimon-prometheus");
            int port = Ports.free();
            Path file = dir.resolve("prometheus.yml");
            Files.writeString(file, "global:\n  evaluation_interval: 1s\n");
            return new PrometheusServer(dir, port, binary(), "--config.file=" + file,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                    "--web.enable-remote-write-receiver");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the remote-write URL as an osgimon target: {@code prometheus+http://127.0.0.1:<port>/api/v1/write} */
    public String remoteWriteTarget() {
        return "prometheus+http://127.0.0.1:" + port + "/api/v1/write";
    }

    /** Stops the process (SIGTERM, waited for); the storage stays for {@link #restart()}. */
    public void stop() {
        if (process != null) {
            Processes.stop(process, 30);
            process = null;
        }
    }

    /** Starts the process again on the same storage and port; returns once it is ready. */
    public void restart() {
        stop();
        launch();
    }

    /**
     * Starts Prometheus scraping {@code target} at {@code path} every second.
     *
     * @param target e.g. {@code 127.0.0.1:8080}
     * @param path the metrics path, e.g. {@code /metrics}
     * @param bearer a bearer token to send, or {@code null}
     * @return the running server (its HTTP API answers)
     */
    public static PrometheusServer start(String target, String path, String bearer) {
        return start(target, path, bearer, 1);
    }

    /**
     * Starts Prometheus scraping {@code target} at {@code path} every {@code seconds}, each scrape
     * allowed as long.
     *
     * @param target e.g. {@code 127.0.0.1:8080}
     * @param path the metrics path, e.g. {@code /metrics}
     * @param bearer a bearer token to send, or {@code null}
     * @param seconds the scrape interval and timeout
     * @return the running server (its HTTP API answers)
     */
    public static PrometheusServer start(String target, String path, String bearer, int seconds) {
        String binary = binary();
        try {
            Path dir = Files.createTempDirectory("osgimon-prometheus");
            int port = Ports.free();
            String config = "global:\n  scrape_interval: " + seconds + "s\n  scrape_timeout: " + seconds
                    + "s\n  evaluation_interval: 1s\n"
                    + "scrape_configs:\n  - job_name: osgimon\n    metrics_path: " + path + "\n"
                    + (bearer == null ? "" : "    authorization:\n      type: Bearer\n      credentials: " + bearer + "\n")
                    + "    static_configs:\n      - targets: ['" + target + "']\n";
            Path file = dir.resolve("prometheus.yml");
            Files.writeString(file, config);
            return new PrometheusServer(dir, port, binary, "--config.file=" + file,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An instant query through {@code /api/v1/query}.
     *
     * @param promql an expression with one result (a scalar or a one-series vector)
     * @return the first result's value as Prometheus wrote it ({@code "42"}, {@code "NaN"}), or {@code null} when the
     *         result is empty
     */
    public String query(String promql) {
        String body = api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (!body.contains("\"status\":\"success\"")) {
            throw new IllegalStateException("query " + promql + " failed: " + body);
        }
        Matcher m = VALUE.matcher(body);
        return m.find() ? m.group(1) : null;
    }

    /**
     * A query whose value is a finite number.
     *
     * @return the number, or {@code null} when the result is empty, NaN or infinite
     */
    public Double number(String promql) {
        String v = query(promql);
        if (v == null) {
            return null;
        }
        double d = Double.parseDouble(v.replace("+Inf", "Infinity").replace("-Inf", "-Infinity"));
        return Double.isFinite(d) ? d : null;
    }

    /** @return the answer of a GET on the HTTP API, e.g. {@code /api/v1/targets} */
    public String api(String pathAndQuery) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return what Prometheus printed */
    public String log() {
        try {
            return Files.readString(dir.resolve("prometheus.out"));
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * The raw samples of every series a selector matches, over the last {@code window} (a range query
     * at the current time: {@code selector[window]}), read from {@code /api/v1/query}.
     *
     * @param selector e.g. {@code osgimon_cycles_total{vm="a"}}
     * @param window e.g. {@code 10m}
     * @return per series (its labels as Prometheus wrote them in JSON), the samples: timestamp in ms and value text
     */
    public java.util.Map<String, java.util.List<String[]>> samples(String selector, String window) {
        String body = api("/api/v1/query?query=" + URLEncoder.encode(selector + "[" + window + "]", StandardCharsets.UTF_8));
        if (!body.contains("\"status\":\"success\"")) {
            throw new IllegalStateException("query " + selector + " failed: " + body);
        }
        java.util.Map<String, java.util.List<String[]>> out = new java.util.LinkedHashMap<>();
        Matcher series = SERIES.matcher(body);
        while (series.find()) {
            java.util.List<String[]> values = new java.util.ArrayList<>();
            Matcher v = SAMPLE.matcher(series.group(2));
            while (v.find()) {
                values.add(new String[] {new java.math.BigDecimal(v.group(1)).movePointRight(3).toBigInteger().toString(),
                        v.group(2)});
            }
            out.put(series.group(1), values);
        }
        return out;
    }

    private static final Pattern SERIES = Pattern.compile("\\{\"metric\":(\\{[^}]*\\}),\"values\":\\[(.*?\\])\\]\\}");
    private static final Pattern SAMPLE = Pattern.compile("\\[([0-9.]+),\"([^\"]*)\"\\]");

    @Override
    public void close() {
        stop();
        Distribution.deleteTree(dir);
    }
}
