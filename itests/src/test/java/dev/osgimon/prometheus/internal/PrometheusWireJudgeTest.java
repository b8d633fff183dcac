package dev.osgimon.prometheus.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.osgimon.api.transport.Target;
import dev.osgimon.api.transport.WriteResult;
import dev.osgimon.core.internal.encode.CycleBuffer;
import dev.osgimon.itests.support.PrometheusServer;
import dev.osgimon.itests.support.Waits;
import dev.osgimon.itests.wire.Json;
import dev.osgimon.itests.wire.RandomPoints;
import dev.osgimon.itests.wire.RandomPoints.Point;
import dev.osgimon.itests.wire.RandomPoints.Schema;

/**
 * The Prometheus wire judge: 20,000 random points (the alphabet of awkward names and values of the
 * Influx judge, {@link RandomPoints}) in one cycle of the core's {@link CycleBuffer}, sent to a real
 * Prometheus 2.42 by remote write (the bundle's encoder and writer) and served to another by the
 * scrape endpoint's snapshot, then read back from both through {@code /api/v1/query} and compared
 * exactly with what the documented mapping ({@code docs/prometheus.md}) makes of the points: names
 * and label names mapped, label values as written, integers, unsigned integers, doubles (bit for bit)
 * and booleans as numbers, strings left out, a series refused when two tags map to one label name or
 * its family has its label set already. A series missing, extra or different fails, naming the seed
 * ({@code -Dwire.seed=<seed>} reproduces).
 */
class PrometheusWireJudgeTest {

    private static final int POINTS = 20_000;
    private static final int MEASUREMENTS = 300;
    private static final String GLOBAL_KEY = "vm";
    private static final String GLOBAL_VALUE = "judge host, #1 = \"ok\"\n\\";
    private static final long SEED = Long.getLong("wire.seed", System.nanoTime());
    /** The series of Prometheus' own, added to every scrape. */
    private static final Set<String> SCRAPE_OWN = Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped",
            "scrape_samples_post_metric_relabeling", "scrape_series_added");

    @Test
    void remoteWriteAndScrapeStoreEveryNumberExactly() throws Exception {
        System.out.println("Prometheus wire judge seed: " + SEED + " (reproduce with -Dwire.seed=" + SEED + ")");
        RandomPoints gen = new RandomPoints(SEED, RandomPoints.TEXT, RandomPoints.TEXT, 100);
        List<Schema> schemas = gen.schemas(MEASUREMENTS);
        long millis = System.currentTimeMillis() - 60_000;
        CycleBuffer cycle = new CycleBuffer();
        cycle.globalTags(new String[] {GLOBAL_KEY}, new String[] {GLOBAL_VALUE});
        cycle.reset(millis * 1_000_000L);
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < POINTS; i++) {
            Point p = gen.point(schemas.get(i % schemas.size()), 0);
            RandomPoints.write(cycle, p);
            points.add(p);
        }
        cycle.finish();
        Map<String, Double> expected = expected(points);
        assertThat(expected.size()).as("series expected").isGreaterThan(POINTS);

        RemoteWriteEncoder encoder = new RemoteWriteEncoder();
        int records = encoder.encode(cycle);
        Snapshot snapshot = new SnapshotBuilder().build(cycle);
        assertThat(records).as("records of the cycle, seed " + SEED).isEqualTo(expected.size());

        try (PrometheusServer receiver = PrometheusServer.receiver()) {
            RemoteWriter writer = new RemoteWriter(target(receiver.remoteWriteTarget()), "osgimon/judge", 30_000,
                    RemoteWriter.MAX_REQUEST_BYTES);
            try {
                assertThat(writer.write(encoder.buffer(), 0, encoder.size(), records)).isEqualTo(WriteResult.delivered());
            } finally {
                writer.close();
            }
            Map<String, Double> pushed = stored(receiver, "&time=" + BigDecimal.valueOf(millis).movePointLeft(3));
            compare("remote write", expected, pushed);
        }

        HttpServer endpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        endpoint.createContext("/metrics", exchange -> {
            try (exchange; OutputStream out = exchange.getResponseBody()) {
                Format format = Format.negotiate(exchange.getRequestHeaders().getFirst("Accept"));
                byte[] body = snapshot.bytes(format, false);
                exchange.getResponseHeaders().add("Content-Type", format.contentType());
                exchange.sendResponseHeaders(200, body.length);
                out.write(body);
            }
        });
        endpoint.start();
        try (PrometheusServer scraper = PrometheusServer.start("127.0.0.1:" + endpoint.getAddress().getPort(), "/metrics",
                null, 5)) {
            Waits.until("Prometheus scraped the snapshot (" + scraper.api("/api/v1/targets") + ")", Duration.ofSeconds(60),
                    () -> "1".equals(scraper.query("up")) && scraper.number("scrape_samples_scraped") != null
                            && scraper.number("scrape_samples_scraped") > POINTS);
            compare("scrape", expected, stored(scraper, ""));
        } finally {
            endpoint.stop(0);
        }
    }

    /** What the documented mapping makes of the points, series by series: sorted labels (name included) and value. */
    private static Map<String, Double> expected(List<Point> points) {
        Map<String, Double> out = new HashMap<>();
        Set<String> labelSets = new HashSet<>();
        for (Point p : points) {
            Schema s = p.schema();
            TreeMap<String, String> labels = new TreeMap<>();
            boolean clash = false;
            for (int t = 0; t < s.tagKeys().length; t++) {
                String v = p.tagValues()[t];
                if (v != null && !v.isEmpty()) {
                    clash |= labels.put(label(s.tagKeys()[t]), v) != null;
                }
            }
            clash |= labels.put(GLOBAL_KEY, GLOBAL_VALUE) != null;
            for (int f = 0; f < s.fieldKeys().length; f++) {
                Object v = p.fieldValues()[f];
                Double value = switch (s.kinds()[f]) {
                    case INTEGER -> (double) (Long) v;
                    case UNSIGNED -> new BigDecimal(Long.toUnsignedString((Long) v)).doubleValue();
                    case FLOAT -> Double.isFinite((Double) v) ? (Double) v : null;
                    case BOOLEAN -> (Boolean) v ? 1.0 : 0.0;
                    case STRING -> null;
                };
                if (value == null || clash) {
                    continue;
                }
                TreeMap<String, String> series = new TreeMap<>(labels);
                series.put("__name__", metric(s.measurement() + "_" + s.fieldKeys()[f]));
                String key = series.toString();
                if (labelSets.add(key)) {
                    out.put(key, value);
                }
            }
        }
        return out;
    }

    /** The documented metric name rule: outside [a-zA-Z0-9_:] one _ per character, a leading digit guarded. */
    static String metric(String raw) {
        return name(raw, true);
    }

    /** The documented label name rule: outside [a-zA-Z0-9_] one _ per character, a leading digit guarded, no leading __. */
    static String label(String raw) {
        String s = name(raw, false);
        return s.startsWith("__") ? s.replaceFirst("^_+", "_") : s;
    }

    private static String name(String raw, boolean colon) {
        StringBuilder b = new StringBuilder();
        raw.codePoints().forEach(c -> b.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || colon && c == ':')
                ? (char) c : '_'));
        String s = b.length() == 0 ? "_" : b.toString();
        return Character.isDigit(s.charAt(0)) ? "_" + s : s;
    }

    /** Every series Prometheus holds (at {@code time}, or now), without its own: sorted labels and value. */
    @SuppressWarnings("unchecked")
    private static Map<String, Double> stored(PrometheusServer prometheus, String time) {
        String body = prometheus.api("/api/v1/query?query=" + URLEncoder.encode("{__name__=~\".+\"}", StandardCharsets.UTF_8)
                + time);
        Map<String, Object> answer = (Map<String, Object>) Json.parse(body);
        assertThat(answer.get("status")).as(body.length() > 500 ? body.substring(0, 500) : body).isEqualTo("success");
        List<Object> result = (List<Object>) ((Map<String, Object>) answer.get("data")).get("result");
        Map<String, Double> out = new HashMap<>();
        for (Object o : result) {
            Map<String, Object> series = (Map<String, Object>) o;
            TreeMap<String, String> labels = new TreeMap<>();
            ((Map<String, Object>) series.get("metric")).forEach((k, v) -> labels.put(k, (String) v));
            String name = labels.get("__name__");
            if (SCRAPE_OWN.contains(name) || name.startsWith("osgimon_prometheus_")) {
                continue;
            }
            if (labels.containsKey("job") && labels.containsKey("instance")) { // added by the scrape
                labels.remove("job");
                labels.remove("instance");
            }
            List<Object> value = (List<Object>) series.get("value");
            String text = (String) value.get(1);
            out.put(labels.toString(), Double.parseDouble(text.replace("+Inf", "Infinity").replace("-Inf", "-Infinity")));
        }
        return out;
    }

    private static void compare(String path, Map<String, Double> expected, Map<String, Double> stored) {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Double> e : expected.entrySet()) {
            Double got = stored.get(e.getKey());
            if (got == null) {
                wrong.add("missing " + e.getKey() + " " + e.getValue());
            } else if (Double.doubleToLongBits(got) != Double.doubleToLongBits(e.getValue())) {
                wrong.add("value of " + e.getKey() + ": " + got + " instead of " + e.getValue());
            }
        }
        for (String k : stored.keySet()) {
            if (!expected.containsKey(k)) {
                wrong.add("extra " + k + " " + stored.get(k));
            }
        }
        assertThat(wrong.subList(0, Math.min(wrong.size(), 20))).as("%s: %d series expected, %d stored, %d differences;"
                + " seed %d; the first", path, expected.size(), stored.size(), wrong.size(), SEED).isEmpty();
    }

    private static Target target(String url) {
        java.net.URI uri = java.net.URI.create(url);
        return new Target() {
            public String scheme() {
                return uri.getScheme();
            }

            public String host() {
                return uri.getHost();
            }

            public int port() {
                return uri.getPort();
            }

            public String path() {
                return uri.getRawPath();
            }

            public Map<String, String> query() {
                return Map.of();
            }

            public String user() {
                return "";
            }

            public String password() {
                return "";
            }

            public String location() {
                return url;
            }

            public String redacted() {
                return url;
            }
        };
    }
}
