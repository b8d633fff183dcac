package dev.osgimon.web.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

import dev.osgimon.api.admin.DeliveryStatus;
import dev.osgimon.api.admin.LogLevelAdmin;
import dev.osgimon.api.admin.SourceControl;
import dev.osgimon.api.admin.SourceStatus;

/**
 * What the page reads, as JSON models: the sources and delivery card, the log levels, the series and
 * their points. Read from their owners: {@link SourceControl} for sources and tag rules,
 * {@link LogLevelAdmin} for levels, the core's {@link DeliveryStatus}, and the {@link History}.
 */
final class Views {

    /** The answer while no {@link LogLevelAdmin} is bound, as the command protocol words it. */
    static final String NO_LEVELS = "error: log levels unavailable";

    private final SourceControl sources;
    /** The core's delivery snapshot, {@code null} while no core offers one. */
    private final Supplier<DeliveryStatus> delivery;
    /** The level admin, {@code null} while none is bound. */
    private final Supplier<LogLevelAdmin> levels;
    private final History history;
    private final Overview overview;

    Views(SourceControl sources, Supplier<DeliveryStatus> delivery, Supplier<LogLevelAdmin> levels, History history) {
        this.sources = sources;
        this.delivery = delivery;
        this.levels = levels;
        this.history = history;
        this.overview = new Overview(history);
    }

    /** @return the sources, tags and delivery cards */
    Map<String, Object> state() {
        SourceStatus status = sources.status();
        Map<String, double[]> lines = new TreeMap<>();
        Map<String, double[]> errors = new TreeMap<>();
        Map<String, Object> fromHistory = new LinkedHashMap<>();
        double deliveryTime = -1;
        for (History.Key k : history.keys()) {
            if (k.measurement().equals("osgimon_source") && k.tags().containsKey("source")) {
                if (k.field().equals("lines")) {
                    lines.put(k.tags().get("source"), history.latest(k));
                } else if (k.field().equals("errors")) {
                    errors.put(k.tags().get("source"), history.latest(k));
                }
            } else if (k.measurement().equals("osgimon")) {
                double[] v = history.latest(k);
                if (v != null && v[1] >= deliveryTime) {
                    deliveryTime = v[1];
                    fromHistory.put("target", k.tags().getOrDefault("target", ""));
                    fromHistory.put(k.field(), v[0]);
                    fromHistory.put("time", (long) v[1]);
                }
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        TreeSet<String> tags = new TreeSet<>();
        for (SourceStatus.SourceState s : status.sources()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", s.name());
            row.put("tags", s.tags());
            row.put("enabled", s.enabled());
            double[] l = lines.get(s.name());
            double[] e = errors.get(s.name());
            row.put("lastCollect", l == null ? null : (long) l[1]);
            row.put("lines", l == null ? null : l[0]);
            row.put("errors", e == null ? null : e[0]);
            rows.add(row);
            tags.addAll(s.tags());
        }
        List<Map<String, Object>> tagRows = new ArrayList<>();
        for (String t : tags) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("tag", t);
            Boolean rule = null;
            for (SourceStatus.TagRule r : status.tagRules()) {
                if (r.tag().equals(t)) {
                    rule = r.enabled();
                }
            }
            row.put("rule", rule);
            tagRows.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("defaultEnabled", status.defaultEnabled());
        out.put("sources", rows);
        out.put("tags", tagRows);
        DeliveryStatus d = delivery.get();
        out.put("delivery", d == null ? fromHistory : deliveryCard(d));
        out.put("cycles", history.cycleCount());
        return out;
    }

    /** The delivery card from the core's own snapshot (the history's figures are a cycle old). */
    private static Map<String, Object> deliveryCard(DeliveryStatus d) {
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("target", d.target());
        card.put("buffer", d.buffer());
        card.put("connected", d.connected() ? "yes" : "no");
        card.put("lines_buffered", d.linesBuffered());
        card.put("bytes_buffered", d.bytesBuffered());
        card.put("oldest_buffered_age_s", d.oldestBufferedAgeSeconds());
        card.put("lines_sent", d.linesSent());
        card.put("lines_dropped", d.linesDropped());
        card.put("lines_rejected", d.linesRejected());
        card.put("lines_replayed", d.linesReplayed());
        card.put("write_errors", d.writeErrors());
        card.put("reconnects", d.reconnects());
        card.put("spool_errors", d.spoolErrors());
        card.put("last_error", d.lastError().isEmpty() ? "none" : d.lastError());
        return card;
    }

    /**
     * The root ({@code *}) and every known logger with its effective level and, for an expiring
     * level, when it runs out (ms since the epoch).
     *
     * @return {@code answer} ({@code ok} or the protocol's error) and {@code levels}
     */
    Map<String, Object> levels() {
        LogLevelAdmin admin = levels.get();
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Object> out = new LinkedHashMap<>();
        if (admin == null) {
            out.put("answer", NO_LEVELS);
            out.put("levels", rows);
            return out;
        }
        Map<String, Instant> expiries = admin.expiries();
        rows.add(levelRow("*", admin.rootLevel().label(), expiries.get("*")));
        for (String name : admin.knownLoggers()) {
            rows.add(levelRow(name, admin.effectiveLevel(name).label(), expiries.get(name)));
        }
        out.put("answer", "ok");
        out.put("levels", rows);
        return out;
    }

    private static Map<String, Object> levelRow(String logger, String level, Instant expires) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("logger", logger);
        row.put("level", level);
        row.put("expiresAt", expires == null ? null : expires.toEpochMilli());
        return row;
    }

    /**
     * @return every series kept: measurement, field, tags, and the field's kind, unit and description;
     *         a histogram's buckets are one entry, field {@value Overview#QUANTILES}, kind {@code histogram}
     */
    List<Map<String, Object>> series() {
        List<Map<String, Object>> out = new ArrayList<>();
        java.util.Set<History.Key> histograms = new java.util.HashSet<>();
        for (History.Key k : history.keys()) {
            History.Key listed = k;
            if (k.field().startsWith(History.BUCKET_PREFIX)) {
                listed = new History.Key(k.measurement(), k.tags(), Overview.QUANTILES);
                if (!histograms.add(listed)) {
                    continue;
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("m", listed.measurement());
            m.put("f", listed.field());
            m.put("tags", tagText(listed.tags()));
            meaning(m, history.meaning(k));
            out.add(m);
        }
        return out;
    }

    /**
     * The detailed chart of one series, drawn by its kind (see {@link Overview#chart}).
     *
     * @param key the series
     * @param view {@code rate} or {@code raw} for a counter, {@code null} for the default
     * @param quantiles a histogram's quantiles
     * @param sinceMillis only the cycles after this time (ms), 0 for all
     * @return times, lines, the view and unit drawn, the ring's capacity and the series' kind, unit and
     *         description
     */
    Map<String, Object> points(History.Key key, String view, double[] quantiles, long sinceMillis) {
        return overview.chart(key, view, quantiles, sinceMillis);
    }

    /**
     * @param sinceMillis only the cycles after this time (ms), 0 for all
     * @return the overview (see {@link Overview#overview})
     */
    Map<String, Object> overview(long sinceMillis) {
        return overview.overview(sinceMillis);
    }

    private static void meaning(Map<String, Object> out, History.Meaning meaning) {
        History.Meaning m = meaning == null ? History.Meaning.UNDECLARED : meaning;
        out.put("kind", m.kind().name().toLowerCase(java.util.Locale.ROOT));
        out.put("unit", m.unit());
        out.put("description", m.description());
    }

    /**
     * The series a request names: parameters {@code m}, {@code f} and {@code tags} ({@code k=v,k=v}).
     *
     * @param x the exchange
     * @return the key
     */
    static History.Key key(Exchange x) {
        Map<String, String> tags = new TreeMap<>();
        String text = x.parameter("tags");
        if (text != null && !text.isEmpty()) {
            for (String kv : text.split(",")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    tags.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
        }
        return new History.Key(String.valueOf(x.parameter("m")), tags, String.valueOf(x.parameter("f")));
    }

    static String tagText(Map<String, String> tags) {
        StringBuilder sb = new StringBuilder();
        tags.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k).append('=').append(v));
        return sb.toString();
    }
}
