package dev.osgimon.web.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.osgimon.api.model.Kind;

/**
 * The figures the page shows on top without any choice: heap used, process CPU, HTTP requests per
 * second, HTTP latency p50 and p99, error and warning log entries per minute, the delivery backlog
 * (lines buffered, oldest age) and the health checks' worst status with the failing checks; and
 * the detailed chart of one series drawn by its kind (a gauge as is, a counter as a rate or raw, a
 * histogram as quantiles). Everything is computed here from the {@link History}, so the page only
 * draws numbers. A chart whose series are not in the history (its source is not installed, or has
 * not written for the whole history) is left out.
 */
final class Overview {

    /** The quantiles a histogram's detailed chart shows unless others are asked for. */
    static final double[] DEFAULT_QUANTILES = {0.5, 0.9, 0.99};
    /** Health check status names, by the {@code health} source's codes. */
    static final List<String> HEALTH = List.of("OK", "WARN", "TEMPORARILY_UNAVAILABLE", "CRITICAL", "HEALTH_CHECK_ERROR");

    private final History history;

    Overview(History history) {
        this.history = history;
    }

    /** How a chart line is made from the series it matches. */
    private enum Op {
        /** the sum of the matching gauges */
        GAUGE,
        /** the rate per second of the matching counters, summed */
        RATE,
        /** the rate per minute */
        RATE_PER_MINUTE,
        /** the quantile (the line's {@code q}) of the matching histograms' buckets, summed */
        QUANTILE
    }

    /** One line of a chart: the series (measurement, field, tags it must have) and what is made of them. */
    private record Line(String label, String measurement, String field, Map<String, String> tags, Op op, double q) {
        static Line of(String label, String measurement, String field, Op op, String... tags) {
            Map<String, String> t = new TreeMap<>();
            for (int i = 0; i < tags.length; i += 2) {
                t.put(tags[i], tags[i + 1]);
            }
            return new Line(label, measurement, field, t, op, Double.NaN);
        }

        static Line quantile(String label, String measurement, double q) {
            return new Line(label, measurement, null, Map.of(), Op.QUANTILE, q);
        }

        boolean matches(History.Key k) {
            if (!k.measurement().equals(measurement) || !k.tags().entrySet().containsAll(tags.entrySet())) {
                return false;
            }
            return op == Op.QUANTILE ? k.field().startsWith(History.BUCKET_PREFIX) : k.field().equals(field);
        }
    }

    private record Chart(String id, String title, String unit, List<Line> lines) {
    }

    private static final List<Chart> CHARTS = List.of(
            new Chart("heap", "Heap used", "By", List.of(Line.of("used", "jvm_memory", "used", Op.GAUGE, "area", "heap"))),
            new Chart("cpu", "Process CPU", "%", List.of(Line.of("cpu", "process", "cpu_usage", Op.GAUGE))),
            new Chart("requests", "HTTP requests", "{request}/s", List.of(
                    Line.of("all", "http_response", "total", Op.RATE),
                    Line.of("4xx", "http_response", "4xx", Op.RATE),
                    Line.of("5xx", "http_response", "5xx", Op.RATE))),
            new Chart("latency", "HTTP latency", "s", List.of(
                    Line.quantile("p50", "http_latency", 0.5),
                    Line.quantile("p99", "http_latency", 0.99))),
            new Chart("log", "Log errors and warnings", "{entry}/min", List.of(
                    Line.of("error", "log_entries", "count", Op.RATE_PER_MINUTE, "level", "error"),
                    Line.of("warn", "log_entries", "count", Op.RATE_PER_MINUTE, "level", "warn"))),
            new Chart("backlog", "Delivery backlog", "{line}", List.of(
                    Line.of("buffered", "osgimon", "buffer_lines", Op.GAUGE))),
            new Chart("backlog-age", "Oldest buffered line", "s", List.of(
                    Line.of("age", "osgimon", "oldest_buffered_age_s", Op.GAUGE))));

    /**
     * The overview: cycle times after {@code sinceMillis}, and for each chart whose series exist its
     * lines over those times; a rate line also has {@code inc} (the increase of each interval) and
     * {@code dt} (the interval's seconds), so that {@code v × dt = inc}.
     *
     * @param sinceMillis only cycles after this time (ms); 0 for all kept
     * @return {@code cycle} (cycles recorded), {@code capacity} (cycles kept), {@code t}, {@code charts}, {@code health} (or {@code null}
     *         without health checks)
     */
    Map<String, Object> overview(long sinceMillis) {
        synchronized (history) {
            List<History.Key> keys = history.keys();
            long[] times = history.times();
            int from = firstAfter(times, sinceMillis);
            List<Map<String, Object>> charts = new ArrayList<>();
            for (Chart c : CHARTS) {
                List<Map<String, Object>> lines = new ArrayList<>();
                for (Line l : c.lines()) {
                    List<History.Key> matching = keys.stream().filter(l::matches).toList();
                    if (!matching.isEmpty()) {
                        lines.add(line(l, matching, times, from));
                    }
                }
                if (!lines.isEmpty()) {
                    Map<String, Object> chart = new LinkedHashMap<>();
                    chart.put("id", c.id());
                    chart.put("title", c.title());
                    chart.put("unit", c.unit());
                    chart.put("lines", lines);
                    charts.add(chart);
                }
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("cycle", history.cycleCount());
            out.put("capacity", history.capacity());
            out.put("t", Arrays.copyOfRange(times, from, times.length));
            out.put("charts", charts);
            out.put("health", health(keys));
            return out;
        }
    }

    private Map<String, Object> line(Line l, List<History.Key> matching, long[] times, int from) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("label", l.label());
        switch (l.op()) {
            case GAUGE -> line.put("v", slice(sum(matching, times.length), from));
            case RATE, RATE_PER_MINUTE -> {
                double per = l.op() == Op.RATE ? 1 : 60;
                Double[] inc = new Double[times.length];
                double[] dt = new double[times.length];
                for (History.Key k : matching) {
                    Rates.Change ch = Rates.change(times, values(k, times.length));
                    for (int i = 0; i < times.length; i++) {
                        if (ch.increase()[i] != null) {
                            inc[i] = (inc[i] == null ? 0 : inc[i]) + ch.increase()[i];
                            dt[i] = Math.max(dt[i], ch.seconds()[i]);
                        }
                    }
                }
                Double[] v = new Double[times.length];
                Double[] dts = new Double[times.length];
                for (int i = 0; i < times.length; i++) {
                    if (inc[i] != null && dt[i] > 0) {
                        v[i] = inc[i] / dt[i] * per;
                        dts[i] = dt[i];
                    }
                }
                line.put("v", slice(v, from));
                line.put("inc", slice(inc, from));
                line.put("dt", slice(dts, from));
            }
            case QUANTILE -> line.put("v", slice(quantiles(l.q(), matching, times.length), from));
        }
        return line;
    }

    /**
     * Per cycle, the {@code q} quantile of the values recorded in that interval by every histogram
     * (tag set) among the bucket series given, their buckets' increases summed by bound.
     */
    private Double[] quantiles(double q, List<History.Key> buckets, int n) {
        Map<Map<String, String>, Map<Double, History.Key>> byTags = new LinkedHashMap<>();
        for (History.Key k : buckets) {
            double b = History.bound(k.field());
            if (!Double.isNaN(b)) {
                byTags.computeIfAbsent(k.tags(), t -> new TreeMap<>()).put(b, k);
            }
        }
        double[] bounds = null;
        double[][] summed = new double[n][];
        for (Map<Double, History.Key> histogram : byTags.values()) {
            double[] own = histogram.keySet().stream().mapToDouble(Double::doubleValue).toArray();
            if (bounds == null) {
                bounds = own;
            } else if (!Arrays.equals(bounds, own)) {
                continue; // other bounds cannot be summed bucket by bucket
            }
            List<Double[]> columns = new ArrayList<>();
            for (History.Key k : histogram.values()) {
                columns.add(values(k, n));
            }
            double[][] cumulative = new double[n][];
            for (int i = 0; i < n; i++) {
                double[] row = new double[own.length];
                boolean whole = true;
                for (int b = 0; b < own.length && whole; b++) {
                    Double v = columns.get(b)[i];
                    whole = v != null;
                    row[b] = whole ? v : 0;
                }
                cumulative[i] = whole ? row : null;
            }
            double[][] inc = Rates.bucketIncreases(cumulative);
            for (int i = 0; i < n; i++) {
                if (inc[i] != null) {
                    if (summed[i] == null) {
                        summed[i] = new double[own.length];
                    }
                    for (int b = 0; b < own.length; b++) {
                        summed[i][b] += inc[i][b];
                    }
                }
            }
        }
        return bounds == null ? new Double[n] : Rates.quantiles(q, bounds, summed);
    }

    private Double[] sum(List<History.Key> keys, int n) {
        Double[] out = new Double[n];
        for (History.Key k : keys) {
            Double[] v = values(k, n);
            for (int i = 0; i < n; i++) {
                if (v[i] != null) {
                    out[i] = (out[i] == null ? 0 : out[i]) + v[i];
                }
            }
        }
        return out;
    }

    /** A series' values over the kept cycles, all {@code null} if it has none (caller holds the lock). */
    private Double[] values(History.Key k, int n) {
        Double[] v = history.points(k).values();
        return v.length == n ? v : new Double[n];
    }

    private Map<String, Object> health(List<History.Key> keys) {
        History.Key worst = null;
        History.Key checks = null;
        List<History.Key> each = new ArrayList<>();
        for (History.Key k : keys) {
            if (k.measurement().equals("health") && k.field().equals("status")) {
                worst = k;
            } else if (k.measurement().equals("health") && k.field().equals("checks")) {
                checks = k;
            } else if (k.measurement().equals("health_check") && k.field().equals("status") && k.tags().containsKey("name")) {
                each.add(k);
            }
        }
        double[] status = worst == null ? null : history.latest(worst);
        if (status == null) {
            return null;
        }
        List<Map<String, Object>> failing = new ArrayList<>();
        for (History.Key k : each) {
            double[] s = history.latest(k);
            // only the checks of the same run as the worst status: a check gone since is not listed
            if (s != null && s[1] == status[1] && s[0] > 0) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("name", k.tags().get("name"));
                f.put("status", (int) s[0]);
                f.put("label", label((int) s[0]));
                failing.add(f);
            }
        }
        failing.sort((a, b) -> Integer.compare((int) b.get("status"), (int) a.get("status")));
        double[] n = checks == null ? null : history.latest(checks);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", (int) status[0]);
        out.put("label", label((int) status[0]));
        out.put("checks", n == null || n[1] != status[1] ? null : (int) n[0]);
        out.put("failing", failing);
        out.put("t", (long) status[1]);
        return out;
    }

    private static String label(int status) {
        return status >= 0 && status < HEALTH.size() ? HEALTH.get(status) : "status " + status;
    }

    /**
     * The detailed chart of one series, by its kind: a gauge as written; a counter as its rate per
     * second ({@code view=rate}, the default) or as written ({@code view=raw}); a histogram (field
     * {@code quantiles}) as the quantiles asked for, per interval.
     *
     * @param key the series (for a histogram: its measurement and tags, field {@code quantiles})
     * @param view {@code rate} or {@code raw} for a counter, else ignored; {@code null} for the default
     * @param quantiles the quantiles of a histogram, each 0 to 1
     * @param sinceMillis only cycles after this time (ms); 0 for all kept
     * @return times, lines, the view drawn, the unit drawn, and the series' kind, unit and description
     */
    Map<String, Object> chart(History.Key key, String view, double[] quantiles, long sinceMillis) {
        synchronized (history) {
            long[] times = history.times();
            int from = firstAfter(times, sinceMillis);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("t", Arrays.copyOfRange(times, from, times.length));
            List<Map<String, Object>> lines = new ArrayList<>();
            History.Meaning meaning;
            String drawn;
            String unit;
            if (key.field().equals(QUANTILES)) {
                List<History.Key> buckets = history.keys().stream().filter(k -> k.measurement().equals(key.measurement())
                        && k.tags().equals(key.tags()) && k.field().startsWith(History.BUCKET_PREFIX)).toList();
                meaning = buckets.isEmpty() ? null : history.meaning(buckets.get(0));
                for (double q : quantiles) {
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("label", "p" + java.math.BigDecimal.valueOf(q).movePointRight(2).stripTrailingZeros().toPlainString());
                    line.put("v", slice(quantiles(q, buckets, times.length), from));
                    lines.add(line);
                }
                drawn = "quantiles";
                unit = meaning == null ? "" : meaning.unit();
            } else {
                meaning = history.meaning(key);
                Double[] raw = values(key, times.length);
                boolean counter = meaning != null && meaning.kind() == Kind.COUNTER;
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("label", key.field());
                unit = meaning == null ? "" : meaning.unit();
                if (counter && !"raw".equals(view)) {
                    Rates.Change ch = Rates.change(times, raw);
                    line.put("v", slice(ch.perSecond(), from));
                    line.put("inc", slice(ch.increase(), from));
                    drawn = "rate";
                    unit = unit + "/s";
                } else {
                    line.put("v", slice(raw, from));
                    drawn = counter ? "raw" : "value";
                }
                lines.add(line);
            }
            out.put("lines", lines);
            out.put("view", drawn);
            out.put("drawnUnit", unit);
            out.put("capacity", history.capacity());
            History.Meaning m = meaning == null ? History.Meaning.UNDECLARED : meaning;
            out.put("kind", m.kind().name().toLowerCase(java.util.Locale.ROOT));
            out.put("unit", m.unit());
            out.put("description", m.description());
            return out;
        }
    }

    /** The pseudo field that names a histogram's quantiles in the series list. */
    static final String QUANTILES = "quantiles";

    /**
     * Parses the quantiles a request asks for.
     *
     * @param text comma-separated numbers 0 to 1, e.g. {@code 0.5,0.99}; {@code null} or empty for
     *        the {@linkplain #DEFAULT_QUANTILES default}
     * @return the quantiles
     * @throws IllegalArgumentException if one is not a number within 0 and 1, or more than 10 are asked
     */
    static double[] quantiles(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_QUANTILES.clone();
        }
        String[] parts = text.split(",");
        if (parts.length > 10) {
            throw new IllegalArgumentException("at most 10 quantiles, got " + parts.length);
        }
        double[] q = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                q[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a quantile: " + parts[i]);
            }
            if (!(q[i] >= 0 && q[i] <= 1)) {
                throw new IllegalArgumentException("a quantile is within 0 and 1: " + parts[i]);
            }
        }
        return q;
    }

    private static int firstAfter(long[] times, long sinceMillis) {
        int from = 0;
        while (sinceMillis > 0 && from < times.length && times[from] <= sinceMillis) {
            from++;
        }
        return from;
    }

    private static Double[] slice(Double[] v, int from) {
        return Arrays.copyOfRange(v, from, v.length);
    }
}
