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
 * configuration and storage, listening on a port of its own, scraping one target every second.
 */
public final class PrometheusServer implements AutoCloseable {

    private static final Pattern VALUE = Pattern.compile("\"value\":\\[[-0-9.e+E]+,\"([^\"]*)\"\\]");

    private final Path dir;
    private final int port;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusServer(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
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
        String binary = List.of("/usr/bin/prometheus", "/usr/local/bin/prometheus").stream()
                .filter(p -> Files.isExecutable(Path.of(p))).findFirst()
                .orElseThrow(() -> new IllegalStateException("prometheus not found: install the Debian package prometheus"
                        + " (.ci/run does)"));
        try {
            Path dir = Files.createTempDirectory("osgimon-prometheus");
            int port = Ports.free();
            String config = "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n"
                    + "scrape_configs:\n  - job_name: osgimon\n    metrics_path: " + path + "\n"
                    + (bearer == null ? "" : "    authorization:\n      type: Bearer\n      credentials: " + bearer + "\n")
                    + "    static_configs:\n      - targets: ['" + target + "']\n";
            Path file = dir.resolve("prometheus.yml");
            Files.writeString(file, config);
            HttpClient probe = HttpClient.newHttpClient();
            Process p = Processes.start("Prometheus on " + port, dir.resolve("prometheus.out"),
                    () -> probe.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200,
                    binary, "--config.file=" + file, "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port);
            return new PrometheusServer(dir, port, p);
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

    @Override
    public void close() {
        Processes.stop(process, 30);
        Distribution.deleteTree(dir);
    }
}
