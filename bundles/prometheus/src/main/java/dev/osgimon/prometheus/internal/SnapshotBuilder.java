package dev.osgimon.prometheus.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.model.Cycle;
import dev.osgimon.api.model.Kind;
import dev.osgimon.api.model.MetricInfo;
import dev.osgimon.api.model.ValueType;

/**
 * Copies a {@link Cycle} into an immutable {@link Snapshot}, mapping names and labels and keeping
 * the exposition valid: the series of one family name are grouped however the points were ordered;
 * fields of two measurements that map to the same family merge when kind and unit agree; a series
 * that would break the exposition is refused, counted in
 * {@code osgimon_prometheus_refused_series_total} and logged once per family name. Refused are: a
 * family name seen with another kind or unit, a family whose names (family and sample names)
 * collide with another family's, a label set the family already has, two tags that map to one
 * label name, and a histogram tag named {@code le}. String fields are left out (Prometheus has no
 * string values), not counted.
 *
 * <p>Called by one thread at a time (the collector's); the name caches it keeps are its own.
 */
final class SnapshotBuilder {

    static final String SELF_TIMESTAMP = "osgimon_prometheus_cycle_timestamp_seconds";
    static final String SELF_REFUSED = "osgimon_prometheus_refused_series";
    static final String SELF_SERIES = "osgimon_prometheus_series";

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotBuilder.class);
    /** Bounds of the caches and of the names warned about, should measurement names run away. */
    private static final int MAX_CACHED = 100_000;
    private static final String[] NONE = new String[0];

    private record NameKey(String measurement, String field, Kind kind, String unit) {
    }

    private record Mapped(String family, String unit) {
    }

    /** A family while a cycle is copied. */
    private static final class Building {
        final String name;
        final Kind kind;
        final String unit;
        String help;
        final List<Series> series = new ArrayList<>();
        final Set<String> labelSets = new HashSet<>();
        /** One of the endpoint's own families: no source series joins it. */
        final boolean own;

        Building(String name, Kind kind, String unit, String help, boolean own) {
            this.own = own;
            this.name = name;
            this.kind = kind;
            this.unit = unit;
            this.help = help;
        }

        Family done() {
            return new Family(name, kind, unit, help, series);
        }
    }

    private final Map<NameKey, Mapped> names = new HashMap<>();
    private final Map<String, String> labelNames = new HashMap<>();
    private final Map<Double, String> leTexts = new HashMap<>();
    private final Set<String> warned = new HashSet<>();
    private long refused;
    private final Exposition exposition = new Exposition();

    /** @return what a scrape gets before the first cycle: the endpoint's own metrics, cycle timestamp 0 */
    synchronized Snapshot empty() {
        Map<String, Building> families = new LinkedHashMap<>();
        Map<String, Building> claims = new HashMap<>();
        List<Building> self = self(families, claims);
        finishSelf(self, 0, 0);
        return snapshot(0, families);
    }

    /**
     * Copies a cycle.
     *
     * @param cycle the cycle, read during this call only
     * @return its snapshot
     */
    synchronized Snapshot build(Cycle cycle) {
        Map<String, Building> families = new LinkedHashMap<>();
        Map<String, Building> claims = new HashMap<>();
        List<Building> self = self(families, claims);
        int series = 0;
        for (int p = 0; p < cycle.points(); p++) {
            int tags = cycle.tags(p);
            String[] ln = tags == 0 ? NONE : new String[tags];
            String[] lv = tags == 0 ? NONE : new String[tags];
            String clash = null;
            for (int t = 0; t < tags; t++) {
                ln[t] = labelName(cycle.tagKey(p, t));
                lv[t] = cycle.tagValue(p, t);
                for (int u = 0; u < t && clash == null; u++) {
                    if (ln[u].equals(ln[t])) {
                        clash = "tags '" + cycle.tagKey(p, u) + "' and '" + cycle.tagKey(p, t) + "' both map to label "
                                + ln[t];
                    }
                }
            }
            String labelSet = labelSet(ln, lv);
            if (cycle.isHistogram(p)) {
                MetricInfo info = cycle.histogramInfo(p);
                Mapped m = mapped(cycle.measurement(p), "", Kind.HISTOGRAM, info.unit());
                String why = clash != null ? clash : Arrays.asList(ln).contains("le") ? "a histogram cannot have a tag named le" : null;
                if (add(families, claims, m, Kind.HISTOGRAM, info.description(), labelSet, why, ln, lv)) {
                    families.get(m.family()).series.add(histogram(cycle, p, ln, lv));
                    series++;
                }
                continue;
            }
            for (int f = 0; f < cycle.fields(p); f++) {
                ValueType type = cycle.type(p, f);
                if (type == ValueType.STRING) {
                    continue;
                }
                MetricInfo info = cycle.info(p, f);
                Kind kind = info.kind() == Kind.COUNTER ? Kind.COUNTER : Kind.GAUGE;
                Mapped m = mapped(cycle.measurement(p), cycle.fieldKey(p, f), kind, info.unit());
                if (!add(families, claims, m, kind, info.description(), labelSet, clash, ln, lv)) {
                    continue;
                }
                Series s;
                switch (type) {
                    case UNSIGNED:
                        s = Series.value(ln, lv, Series.UNSIGNED, cycle.longValue(p, f));
                        break;
                    case DOUBLE:
                        s = Series.value(ln, lv, Series.DOUBLE, Double.doubleToRawLongBits(cycle.doubleValue(p, f)));
                        break;
                    case BOOLEAN:
                        s = Series.value(ln, lv, Series.LONG, cycle.booleanValue(p, f) ? 1 : 0);
                        break;
                    default:
                        s = Series.value(ln, lv, Series.LONG, cycle.longValue(p, f));
                }
                families.get(m.family()).series.add(s);
                series++;
            }
        }
        finishSelf(self, cycle.timestampNanos(), series);
        return snapshot(cycle.timestampNanos(), families);
    }

    private Snapshot snapshot(long timestampNanos, Map<String, Building> families) {
        List<Family> out = new ArrayList<>(families.size());
        for (Building b : families.values()) {
            if (!b.series.isEmpty()) {
                out.add(b.done());
            }
        }
        return new Snapshot(timestampNanos, out, exposition);
    }

    /** The endpoint's own families, claimed first so that no source can take their names. */
    private static List<Building> self(Map<String, Building> families, Map<String, Building> claims) {
        List<Building> self = List.of(
                new Building(SELF_TIMESTAMP, Kind.GAUGE, "seconds",
                        "Timestamp of the collection cycle served (0: none collected yet)", true),
                new Building(SELF_SERIES, Kind.GAUGE, "", "Series served from that cycle, besides these", true),
                new Building(SELF_REFUSED, Kind.COUNTER, "",
                        "Series refused because their mapped names or labels would collide", true));
        for (Building b : self) {
            families.put(b.name, b);
            for (String n : claimedNames(b.name, b.kind)) {
                claims.put(n, b);
            }
        }
        return self;
    }

    private void finishSelf(List<Building> self, long timestampNanos, int series) {
        self.get(0).series.add(Series.value(NONE, NONE, Series.DOUBLE, Double.doubleToRawLongBits((timestampNanos / 1_000_000) / 1e3)));
        self.get(1).series.add(Series.value(NONE, NONE, Series.LONG, series));
        self.get(2).series.add(Series.value(NONE, NONE, Series.LONG, refused));
    }

    /**
     * Finds or opens the family of a series and takes its label set.
     *
     * @return whether the series may be added; when not, it was counted and logged
     */
    private boolean add(Map<String, Building> families, Map<String, Building> claims, Mapped m, Kind kind,
            String help, String labelSet, String refusal, String[] ln, String[] lv) {
        String name = m.family();
        if (refusal != null) {
            return refuse(name, ln, lv, refusal);
        }
        Building b = families.get(name);
        if (b == null) {
            for (String n : claimedNames(name, kind)) {
                Building owner = claims.get(n);
                if (owner != null) {
                    return refuse(name, ln, lv, "its name " + n + " is taken by the " + owner.kind.name().toLowerCase()
                            + " " + owner.name);
                }
            }
            b = new Building(name, kind, m.unit(), help == null ? "" : help, false);
            families.put(name, b);
            for (String n : claimedNames(name, kind)) {
                claims.put(n, b);
            }
        } else if (b.own) {
            return refuse(name, ln, lv, "the name is the endpoint's own");
        } else if (b.kind != kind || !b.unit.equals(m.unit())) {
            return refuse(name, ln, lv, "it is a " + kind.name().toLowerCase() + (m.unit().isEmpty() ? "" : " in " + m.unit())
                    + " here and a " + b.kind.name().toLowerCase() + (b.unit.isEmpty() ? "" : " in " + b.unit)
                    + " elsewhere");
        } else if (b.help.isEmpty() && help != null) {
            b.help = help;
        }
        if (!b.labelSets.add(labelSet)) {
            return refuse(name, ln, lv, "the family has a series with these labels already");
        }
        return true;
    }

    /** The names a family uses in either format: its own and its samples'. */
    private static List<String> claimedNames(String name, Kind kind) {
        switch (kind) {
            case COUNTER:
                return List.of(name, name + "_total");
            case HISTOGRAM:
                return List.of(name, name + "_bucket", name + "_sum", name + "_count");
            default:
                return List.of(name);
        }
    }

    private boolean refuse(String name, String[] ln, String[] lv, String why) {
        refused++;
        if (warned.size() < MAX_CACHED && warned.add(name)) {
            StringBuilder labels = new StringBuilder("{");
            for (int i = 0; i < ln.length; i++) {
                labels.append(i == 0 ? "" : ",").append(ln[i]).append("=\"").append(lv[i]).append('"');
            }
            LOG.warn("Prometheus: refused the series {}{}}: {}; counted in {}_total (logged once per name)", name,
                    labels, why, SELF_REFUSED);
        }
        return false;
    }

    private Mapped mapped(String measurement, String field, Kind kind, String unit) {
        String u = unit == null ? "" : unit;
        NameKey key = new NameKey(measurement, field, kind, u);
        Mapped m = names.get(key);
        if (m == null) {
            String suffix = Names.unitSuffix(u, kind);
            String family = kind == Kind.HISTOGRAM ? Names.histogram(measurement, u, suffix)
                    : Names.family(measurement, field, kind, u, suffix);
            m = new Mapped(family, suffix);
            if (names.size() >= MAX_CACHED) {
                names.clear();
            }
            names.put(key, m);
        }
        return m;
    }

    private String labelName(String key) {
        String n = labelNames.get(key);
        if (n == null) {
            n = Names.label(key);
            if (labelNames.size() >= MAX_CACHED) {
                labelNames.clear();
            }
            labelNames.put(key, n);
        }
        return n;
    }

    /** A key for the label set, the same whatever the order of the tags. */
    private static String labelSet(String[] ln, String[] lv) {
        if (ln.length == 0) {
            return "";
        }
        if (ln.length == 1) {
            return ln[0] + '\u0000' + lv[0];
        }
        Integer[] order = new Integer[ln.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> ln[a].compareTo(ln[b]));
        StringBuilder b = new StringBuilder();
        for (int i : order) {
            b.append(ln[i]).append('\u0000').append(lv[i]).append('\u0000');
        }
        return b.toString();
    }

    private Series histogram(Cycle cycle, int p, String[] ln, String[] lv) {
        int buckets = cycle.buckets(p);
        String[] le = new String[buckets];
        long[] cumulative = new long[buckets];
        long running = 0;
        for (int b = 0; b < buckets; b++) {
            double bound = cycle.bound(p, b);
            le[b] = le(bound);
            running += cycle.bucketCount(p, b);
            cumulative[b] = running;
        }
        return Series.histogram(ln, lv, le, cumulative, cycle.sum(p), cycle.count(p));
    }

    /** A bound as an {@code le} value: {@code +Inf}, or a float written without exponent, e.g. {@code 0.005}, {@code 1.0}. */
    private String le(double bound) {
        if (bound == Double.POSITIVE_INFINITY) {
            return "+Inf";
        }
        String s = leTexts.get(bound);
        if (s == null) {
            s = leText(bound);
            if (leTexts.size() >= MAX_CACHED) {
                leTexts.clear();
            }
            leTexts.put(bound, s);
        }
        return s;
    }

    static String leText(double bound) {
        if (Double.isNaN(bound) || Double.isInfinite(bound)) {
            return bound > 0 ? "+Inf" : bound < 0 ? "-Inf" : "NaN";
        }
        if (bound == Math.rint(bound) && Math.abs(bound) < 1e15) {
            return (long) bound + ".0";
        }
        double abs = Math.abs(bound);
        return abs >= 1e-9 && abs < 1e15 ? new BigDecimal(Double.toString(bound)).stripTrailingZeros().toPlainString() : Double.toString(bound);
    }
}
