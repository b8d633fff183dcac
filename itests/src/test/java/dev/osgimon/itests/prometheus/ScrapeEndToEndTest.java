package dev.osgimon.itests.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.osgimon.itests.support.Distribution;
import dev.osgimon.itests.support.PrometheusServer;
import dev.osgimon.itests.support.Waits;

/**
 * A real Prometheus scrapes the real distribution's {@code /metrics} (it asks for OpenMetrics first)
 * with a bearer token, and what it stored answers PromQL: {@code up}, an exact counter increase,
 * {@code rate()}, and a quantile of the http source's latency histogram.
 */
class ScrapeEndToEndTest {

    private static final int N = 7;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(URI uri, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void prometheusScrapesTheDistribution() throws Exception {
        String token = "itest-" + UUID.randomUUID();
        try (Distribution d = Distribution.prepare(Map.of())) {
            Files.writeString(d.home().resolve("etc/dev.osgimon.prometheus.cfg"),
                    "path=/metrics\nallow=\nauthorization=Bearer " + token + "\n");
            d.start();
            int httpPort = d.port("OSGIMON_HTTP_PORT");
            URI metrics = URI.create("http://127.0.0.1:" + httpPort + "/metrics");

            Waits.until("/metrics is served", WAIT, () -> get(metrics, null).statusCode() == 401);
            HttpResponse<String> missing = get(metrics, null);
            assertThat(missing.headers().firstValue("WWW-Authenticate")).as("a challenge for the missing token")
                    .hasValue("Bearer realm=\"osgimon\"");
            assertThat(get(metrics, "Bearer wrong").statusCode()).as("a wrong token").isEqualTo(403);
            HttpResponse<String> ok = get(metrics, "Bearer " + token);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(d.logText()).as("the secret is never logged").doesNotContain(token);

            try (PrometheusServer prometheus = PrometheusServer.start("127.0.0.1:" + httpPort, "/metrics", token)) {
                Waits.until("up is 1 (" + prometheus.api("/api/v1/targets") + ")", WAIT,
                        () -> "1".equals(prometheus.query("up{job=\"osgimon\"}")));

                // the 4xx counter, settled: read from a cycle collected after the refused requests above
                double settledAt = System.currentTimeMillis() / 1000.0 + 1;
                Waits.until("a cycle after the refused requests is scraped", WAIT,
                        () -> cycleAfter(prometheus, settledAt));
                double before = prometheus.number("sum(http_response_4xx_total)");

                URI nothing = URI.create("http://127.0.0.1:" + httpPort + "/osgimon-nothing-here");
                for (int i = 0; i < N; i++) {
                    assertThat(get(nothing, null).statusCode()).isEqualTo(404);
                }
                double sentBy = System.currentTimeMillis() / 1000.0 + 2;
                Waits.until("sum(http_response_4xx_total) rises by " + N, WAIT,
                        () -> Double.valueOf(before + N).equals(prometheus.number("sum(http_response_4xx_total)")));
                Waits.until("later cycles are scraped", WAIT, () -> cycleAfter(prometheus, sentBy));
                assertThat(prometheus.number("sum(http_response_4xx_total)")).as("by exactly " + N).isEqualTo(before + N);

                Waits.until("rate() over a counter", WAIT, () -> {
                    Double rate = prometheus.number("rate(osgimon_cycles_total[5s])");
                    return rate != null && rate > 0;
                });
                String quantile = "histogram_quantile(0.99, sum by (le) (rate(http_latency_seconds_bucket[10s])))";
                Waits.until("a latency quantile (" + prometheus.query(quantile) + ")", WAIT, () -> {
                    Double q = prometheus.number(quantile);
                    return q != null && q > 0;
                });
                assertThat(prometheus.api("/api/v1/metadata?metric=http_latency_seconds")).as("the histogram's type")
                        .contains("\"type\":\"histogram\"").contains("\"unit\":\"seconds\"");
                assertThat(prometheus.log()).doesNotContain(token);
            }
        }
    }

    /** Whether Prometheus holds a cycle collected after {@code epochSeconds}. */
    private static boolean cycleAfter(PrometheusServer prometheus, double epochSeconds) {
        Double t = prometheus.number("max(osgimon_prometheus_cycle_timestamp_seconds)");
        return t != null && t > epochSeconds;
    }
}
