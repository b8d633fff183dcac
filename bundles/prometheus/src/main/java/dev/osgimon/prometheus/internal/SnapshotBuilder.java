package dev.osgimon.prometheus.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.osgimon.api.model.Cycle;
import dev.osgimon.api.model.Kind;
import dev.osgimon.api.model.ValueType;

/**
 * Builds the immutable {@link Snapshot} of a copied cycle ({@link CycleCopy}), mapping names and
 * labels and keeping the exposition valid: the series of one family name are grouped however the
 * points were ordered; fields of two measurements that map to the same family merge when kind and
 * unit agree; a series that would break the exposition is refused by the rules of {@link Admission}
 * (the same as remote write's), counted in {@code osgimon_prometheus_refused_series_total} and
 * logged once per family name. String fields are left out (Prometheus has no string values), not
 * counted. The count covers the snapshots built: {@link LatestCycle} builds one for each cycle that
 * was scraped, not for the cycles nobody scraped.
 *
 * <p>Called by one thread at a time (the scrape that builds, see {@link LatestCycle}); the name
 * caches it keeps are its own.
 */
final class SnapshotBuilder {

    static final String SELF_TIMESTAMP = "osgimon_prometheus_cycle_timestamp_seconds";
    static final String SELF_REFUSED = "osgimon_prometheus_refused_series";
    static final String SELF_SERIES = "osgimon_prometheus_series";

    private static final String[] NONE = new String[0];

    /** A family while a cycle is copied. */
    private static final class Building {
        final String name;
        final Kind kind;
        final String unit;
        String help;
        final List<Series> series = new ArrayList<>();

        Building(String name, Kind kind, String unit, String help) {
            this.name = name;
            this.kind = kind;
            this.unit = unit;
            this.help = help;
        }

        Family done() {
            return new Family(name, kind, unit, help, series);
        }
    }

    private final Naming naming = new Naming();
    private final Admission admission = new Admission(naming, "counted in " + SELF_REFUSED + "_total");
    private final Exposition exposition = new Exposition();

    /** @return what a scrape gets before the first cycle: the endpoint's own metrics, cycle timestamp 0 */
    synchronized Snapshot empty() {
        Map<String, Building> families = new LinkedHashMap<>();
        List<Building> self = self(families);
        finishSelf(self, 0, 0);
        return snapshot(0, families);
    }

    /**
     * Builds the snapshot of a cycle that is not kept (copies it first).
     *
     * @param cycle the cycle, read during this call only
     * @return its snapshot
     */
    Snapshot build(Cycle cycle) {
        return build(CycleCopy.of(cycle));
    }

    /**
     * Builds the snapshot of a copied cycle.
     *
     * @param cycle the copy, not written during this call
     * @return its snapshot
     */
    synchronized Snapshot build(CycleCopy cycle) {
        Map<String, Building> families = new LinkedHashMap<>();
        admission.begin(cycle);
        admission.own(SELF_TIMESTAMP, Kind.GAUGE, SELF_TIMESTAMP);
        admission.own(SELF_SERIES, Kind.GAUGE, SELF_SERIES);
        admission.own(SELF_REFUSED, Kind.COUNTER, SELF_REFUSED, SELF_REFUSED + "_total");
        List<Building> self = self(families);
        int series = 0;
        for (int p = 0; p < cycle.points(); p++) {
            int tags = cycle.tags(p);
            String[] ln = tags == 0 ? NONE : new String[tags];
            String[] lv = tags == 0 ? NONE : new String[tags];
            for (int t = 0; t < tags; t++) {
                ln[t] = naming.label(cycle.tagKey(p, t));
                lv[t] = cycle.tagValue(p, t);
            }
            boolean histogram = cycle.isHistogram(p);
            String problem = admission.tagProblem(p, histogram);
            long labelHash = admission.labelHash(p);
            if (histogram) {
                Naming.Mapped m = naming.mapped(cycle.measurement(p), "", Kind.HISTOGRAM, cycle.histogramUnit(p));
                if (admission.admit(m, p, labelHash, problem)) {
                    family(families, m, cycle.histogramDescription(p)).series.add(histogram(cycle, p, ln, lv));
                    series++;
                }
                continue;
            }
            for (int f = 0; f < cycle.fields(p); f++) {
                ValueType type = cycle.type(p, f);
                if (type == ValueType.STRING) {
                    continue;
                }
                Kind kind = cycle.kind(p, f) == Kind.COUNTER ? Kind.COUNTER : Kind.GAUGE;
                Naming.Mapped m = naming.mapped(cycle.measurement(p), cycle.fieldKey(p, f), kind, cycle.unit(p, f));
                if (!admission.admit(m, p, labelHash, problem)) {
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
                family(families, m, cycle.description(p, f)).series.add(s);
                series++;
            }
        }
        finishSelf(self, cycle.timestampNanos(), series);
        return snapshot(cycle.timestampNanos(), families);
    }

    /** The family of an admitted series, opened by its first; the first non-empty description is its help. */
    private static Building family(Map<String, Building> families, Naming.Mapped m, String help) {
        Building b = families.get(m.family());
        if (b == null) {
            b = new Building(m.family(), m.kind(), m.unit(), help == null ? "" : help);
            families.put(m.family(), b);
        } else if (b.help.isEmpty() && help != null) {
            b.help = help;
        }
        return b;
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

    /** The endpoint's own families, taken first so that no source can take their names. */
    private static List<Building> self(Map<String, Building> families) {
        List<Building> self = List.of(
                new Building(SELF_TIMESTAMP, Kind.GAUGE, "seconds",
                        "Timestamp of the collection cycle served (0: none collected yet)"),
                new Building(SELF_SERIES, Kind.GAUGE, "", "Series served from that cycle, besides these"),
                new Building(SELF_REFUSED, Kind.COUNTER, "",
                        "Series refused because their mapped names or labels would collide"));
        for (Building b : self) {
            families.put(b.name, b);
        }
        return self;
    }

    private void finishSelf(List<Building> self, long timestampNanos, int series) {
        self.get(0).series.add(Series.value(NONE, NONE, Series.DOUBLE, Double.doubleToRawLongBits((timestampNanos / 1_000_000) / 1e3)));
        self.get(1).series.add(Series.value(NONE, NONE, Series.LONG, series));
        self.get(2).series.add(Series.value(NONE, NONE, Series.LONG, admission.refused()));
    }

    private Series histogram(CycleCopy cycle, int p, String[] ln, String[] lv) {
        int buckets = cycle.buckets(p);
        String[] le = new String[buckets];
        long[] cumulative = new long[buckets];
        long running = 0;
        for (int b = 0; b < buckets; b++) {
            le[b] = naming.le(cycle.bound(p, b));
            running += cycle.bucketCount(p, b);
            cumulative[b] = running;
        }
        return Series.histogram(ln, lv, le, cumulative, cycle.sum(p), cycle.count(p));
    }
}
