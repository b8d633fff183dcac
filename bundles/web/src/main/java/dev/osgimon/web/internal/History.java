package dev.osgimon.web.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.osgimon.api.model.Cycle;
import dev.osgimon.api.model.Kind;
import dev.osgimon.api.model.MetricInfo;
import dev.osgimon.api.model.ValueType;

/**
 * The recent values of every numeric field of every cycle: a bounded ring of the last {@code cycles}
 * collection cycles per series (a series is one measurement, tag set and field), with the meaning its
 * source declared (kind, unit, description). Integer and double fields are kept; strings and booleans
 * are not. A histogram point gives four series: {@code count} and {@code sum} (counters) and
 * {@code min} and {@code max} (gauges), in the histogram's unit ({@code count} has none), and one
 * series per bucket, field {@code le=<bound>} ({@link #BUCKET_PREFIX}, the bound as
 * {@link #boundText} writes it, {@code +Inf} for the last), holding the cumulative count of values
 * up to that bound, with the histogram's meaning (kind {@code HISTOGRAM}).
 *
 * <p>Memory bound: one {@code double} per cycle per series plus one {@code long} per cycle for the
 * cycle times, so at most {@code 8 × cycles × (maxSeries + 1)} bytes of values (360 cycles ×
 * 4096 series ≈ 11.8 MB), plus the keys and, per point index of the largest cycle seen, the strings
 * and series the point at that index resolved to (see {@link #add}). A new cycle overwrites the
 * oldest; a series that has not been written for {@code cycles} cycles has no value left and is
 * evicted; a new series beyond {@code maxSeries} is not kept (and counted). Thread-safe: one writer
 * (the collector thread), many readers.
 *
 * <p>Public only so that the benchmarks module can measure {@link #add}; the package is not exported.
 */
public final class History {

    /** The field name of a histogram's bucket series starts with this; the bound follows. */
    static final String BUCKET_PREFIX = "le=";

    /** One series: measurement, tags (sorted), field. */
    record Key(String measurement, Map<String, String> tags, String field) {
    }

    /**
     * What a series means, copied from the cycle's {@link MetricInfo}.
     *
     * @param kind gauge or counter
     * @param unit UCUM-style unit, or empty
     * @param description one line, or empty
     */
    record Meaning(Kind kind, String unit, String description) {
        static final Meaning UNDECLARED = new Meaning(Kind.GAUGE, "", "");

        boolean same(Kind k, String u, String d) {
            return kind == k && unit.equals(u) && description.equals(d);
        }
    }

    /** What a reader gets: cycle times (ms since the epoch) and values, oldest first; {@code null} where nothing was written. */
    record Points(long[] timesMillis, Double[] values) {
    }

    private final int cycles;
    private final int maxSeries;
    private final long[] times;
    private long cycleCount;
    private long refused;
    private final Map<Key, Series> series = new LinkedHashMap<>();
    /** The series in the order they were last written: the least recently written first. */
    private Series oldest;
    private Series newest;
    /** Per point index, what the point at that index of the cycles before resolved to. */
    private PointCache[] cache = new PointCache[0];
    /** Points of the last cycle: the cache entries in use. */
    private int cached;

    private static final class Series {
        final Key key;
        final double[] values;
        long lastCycle;
        Meaning meaning = Meaning.UNDECLARED;
        /** False once evicted: a cache entry that still names it must look its key up again. */
        boolean kept = true;
        Series older;
        Series newer;

        Series(Key key, int cycles) {
            this.key = key;
            values = new double[cycles];
            Arrays.fill(values, Double.NaN);
        }
    }

    /**
     * What one point index resolved to in the cycles before: the point's measurement and tags (the
     * cycle's own strings, in the cycle's order) and, per field index and per bucket, the name and the
     * series it resolved to ({@code null} where none: not yet, refused, or a value that was not a
     * number). A point at that index with the same strings (equal, usually the same objects) writes
     * to the same series without building a key or looking it up.
     */
    private static final class PointCache {
        String measurement;
        int tagCount;
        String[] tagKeys = new String[4];
        String[] tagValues = new String[4];
        /** The sorted tags of the keys built for this point, built at the first miss. */
        Map<String, String> tags;
        int fieldCount;
        String[] fieldKeys = new String[4];
        Series[] fields = new Series[4];
        Series count;
        Series sum;
        Series min;
        Series max;
        int bucketCount;
        /** Grown for a histogram point only. */
        double[] bounds = new double[0];
        /** {@link #BUCKET_PREFIX} and the bound's text: kept when the point changes, since bounds rarely do. */
        String[] bucketFields = new String[0];
        Series[] buckets = new Series[0];

        boolean samePoint(Cycle cycle, int p, String m, int n) {
            if (!same(measurement, m) || tagCount != n) {
                return false;
            }
            for (int t = 0; t < n; t++) {
                if (!same(tagKeys[t], cycle.tagKey(p, t)) || !same(tagValues[t], cycle.tagValue(p, t))) {
                    return false;
                }
            }
            return true;
        }

        void reset(Cycle cycle, int p, String m, int n) {
            measurement = m;
            if (n > tagKeys.length) {
                tagKeys = new String[n];
                tagValues = new String[n];
            }
            for (int t = 0; t < n; t++) {
                tagKeys[t] = cycle.tagKey(p, t);
                tagValues[t] = cycle.tagValue(p, t);
            }
            Arrays.fill(tagKeys, n, tagKeys.length, null);
            Arrays.fill(tagValues, n, tagValues.length, null);
            tagCount = n;
            tags = null;
            forgetSeries();
        }

        void forgetSeries() {
            Arrays.fill(fieldKeys, 0, fieldCount, null);
            Arrays.fill(fields, 0, fieldCount, null);
            fieldCount = 0;
            count = null;
            sum = null;
            min = null;
            max = null;
            Arrays.fill(buckets, 0, bucketCount, null);
        }

        void clear() {
            measurement = null;
            Arrays.fill(tagKeys, null);
            Arrays.fill(tagValues, null);
            tagCount = 0;
            tags = null;
            forgetSeries();
        }

        /** The point's tags as a key holds them: sorted, unmodifiable. */
        Map<String, String> tags() {
            if (tags == null) {
                if (tagCount == 0) {
                    tags = Map.of();
                } else {
                    Map<String, String> sorted = new TreeMap<>();
                    for (int t = 0; t < tagCount; t++) {
                        sorted.put(tagKeys[t], tagValues[t]);
                    }
                    tags = Collections.unmodifiableMap(sorted);
                }
            }
            return tags;
        }

        void field(int f, String key, Series s) {
            if (f >= fields.length) {
                int n = Math.max(f + 1, fields.length * 2);
                fieldKeys = Arrays.copyOf(fieldKeys, n);
                fields = Arrays.copyOf(fields, n);
            }
            fieldKeys[f] = key;
            fields[f] = s;
            fieldCount = Math.max(fieldCount, f + 1);
        }

        void ensureBuckets(int n) {
            if (n > bounds.length) {
                bounds = Arrays.copyOf(bounds, n);
                bucketFields = Arrays.copyOf(bucketFields, n);
                buckets = Arrays.copyOf(buckets, n);
            }
        }

        private static boolean same(String a, String b) {
            return a == b || a != null && a.equals(b);
        }
    }

    /**
     * An empty history.
     *
     * @param cycles cycles kept per series, at least 1
     * @param maxSeries series kept at most, at least 1
     */
    public History(int cycles, int maxSeries) {
        if (cycles < 1 || maxSeries < 1) {
            throw new IllegalArgumentException("cycles and maxSeries must be at least 1, were " + cycles + ", " + maxSeries);
        }
        this.cycles = cycles;
        this.maxSeries = maxSeries;
        this.times = new long[cycles];
    }

    /**
     * Records one cycle: copies its numeric values and their meaning (the cycle is not kept). A point
     * whose measurement, tags and field names are those of the point at the same index in the cycle
     * before writes to the series it resolved to then, without building keys: in steady state this
     * allocates nothing.
     *
     * @param cycle the cycle, valid during this call
     */
    public synchronized void add(Cycle cycle) {
        long c = cycleCount++;
        int slot = (int) (c % cycles);
        times[slot] = cycle.timestampNanos() / 1_000_000L;
        int points = cycle.points();
        if (points > cache.length) {
            int was = cache.length;
            cache = Arrays.copyOf(cache, Math.max(points, was * 2));
            for (int p = was; p < cache.length; p++) {
                cache[p] = new PointCache();
            }
        }
        for (int p = 0; p < points; p++) {
            PointCache e = cache[p];
            String m = cycle.measurement(p);
            int n = cycle.tags(p);
            if (!e.samePoint(cycle, p, m, n)) {
                e.reset(cycle, p, m, n);
            }
            if (cycle.isHistogram(p)) {
                histogram(cycle, p, e, c, slot);
                continue;
            }
            for (int f = 0; f < cycle.fields(p); f++) {
                ValueType type = cycle.type(p, f);
                if (type == ValueType.STRING || type == ValueType.BOOLEAN) {
                    continue;
                }
                double v = cycle.numeric(p, f);
                if (Double.isNaN(v)) {
                    continue;
                }
                String field = cycle.fieldKey(p, f);
                Series s = f < e.fieldCount && PointCache.same(e.fieldKeys[f], field) ? e.fields[f] : null;
                if (s == null || !s.kept) {
                    s = resolve(new Key(m, e.tags(), field), c);
                    e.field(f, field, s);
                    if (s == null) {
                        continue;
                    }
                }
                MetricInfo info = cycle.info(p, f);
                write(s, c, slot, v, info.kind(), info.unit(), info.description());
            }
        }
        for (int p = points; p < cached; p++) {
            cache[p].clear(); // holds no series a smaller cycle no longer names
        }
        cached = points;
        while (oldest != null && oldest.lastCycle <= c - cycles) {
            Series s = oldest;
            unlink(s);
            s.kept = false;
            series.remove(s.key);
        }
    }

    private void histogram(Cycle cycle, int p, PointCache e, long c, int slot) {
        MetricInfo info = cycle.histogramInfo(p);
        String unit = info.unit();
        String d = info.description();
        e.count = histogramPart(e, e.count, "count", cycle.count(p), c, slot, Kind.COUNTER, "", d);
        e.sum = histogramPart(e, e.sum, "sum", cycle.sum(p), c, slot, Kind.COUNTER, unit, d);
        e.min = histogramPart(e, e.min, "min", cycle.min(p), c, slot, Kind.GAUGE, unit, d);
        e.max = histogramPart(e, e.max, "max", cycle.max(p), c, slot, Kind.GAUGE, unit, d);
        int n = cycle.buckets(p);
        e.ensureBuckets(n);
        long cumulative = 0;
        for (int b = 0; b < n; b++) {
            cumulative += cycle.bucketCount(p, b);
            double bound = cycle.bound(p, b);
            if (b >= e.bucketCount || Double.doubleToLongBits(e.bounds[b]) != Double.doubleToLongBits(bound)) {
                e.bucketFields[b] = BUCKET_PREFIX + boundText(bound);
                e.bounds[b] = bound;
                e.buckets[b] = null;
                e.bucketCount = Math.max(e.bucketCount, b + 1);
            }
            Series s = e.buckets[b];
            if (s == null || !s.kept) {
                s = resolve(new Key(e.measurement, e.tags(), e.bucketFields[b]), c);
                e.buckets[b] = s;
                if (s == null) {
                    continue;
                }
            }
            write(s, c, slot, cumulative, Kind.HISTOGRAM, unit, d);
        }
    }

    /** Writes one of a histogram's count, sum, min and max; answers the series to cache for it. */
    private Series histogramPart(PointCache e, Series cachedSeries, String field, double v, long c, int slot, Kind kind,
            String unit, String description) {
        if (Double.isNaN(v)) {
            return cachedSeries;
        }
        Series s = cachedSeries;
        if (s == null || !s.kept) {
            s = resolve(new Key(e.measurement, e.tags(), field), c);
            if (s == null) {
                return null;
            }
        }
        write(s, c, slot, v, kind, unit, description);
        return s;
    }

    /** The series of a key, created if there is room; {@code null} (and counted) if there is not. */
    private Series resolve(Key key, long c) {
        Series s = series.get(key);
        if (s == null) {
            if (series.size() >= maxSeries) {
                refused++;
                return null;
            }
            s = new Series(key, cycles);
            s.lastCycle = c - 1;
            series.put(key, s);
            link(s);
        }
        return s;
    }

    private void write(Series s, long c, int slot, double v, Kind kind, String unit, String description) {
        if (!s.meaning.same(kind, unit, description)) {
            s.meaning = new Meaning(kind, unit, description);
        }
        // the cycles this series missed since it was last written hold nothing
        for (long gap = Math.max(s.lastCycle + 1, c - cycles + 1); gap < c; gap++) {
            s.values[(int) (gap % cycles)] = Double.NaN;
        }
        s.values[slot] = v;
        if (s.lastCycle != c) {
            s.lastCycle = c;
            if (s != newest) {
                unlink(s);
                link(s);
            }
        }
    }

    /** Appends a series as the most recently written. */
    private void link(Series s) {
        s.older = newest;
        s.newer = null;
        if (newest == null) {
            oldest = s;
        } else {
            newest.newer = s;
        }
        newest = s;
    }

    private void unlink(Series s) {
        if (s.older == null) {
            oldest = s.newer;
        } else {
            s.older.newer = s.newer;
        }
        if (s.newer == null) {
            newest = s.older;
        } else {
            s.newer.older = s.older;
        }
        s.older = null;
        s.newer = null;
    }

    /**
     * A bucket's bound as its series' field names it: {@code 0.005}, {@code 1}, {@code +Inf}.
     *
     * @param bound the bound
     * @return its text
     */
    static String boundText(double bound) {
        if (bound == Double.POSITIVE_INFINITY) {
            return "+Inf";
        }
        return new java.math.BigDecimal(Double.toString(bound)).stripTrailingZeros().toPlainString();
    }

    /**
     * The bound a bucket series' field names.
     *
     * @param field e.g. {@code le=0.005}
     * @return the bound, or {@link Double#NaN} if the field names none
     */
    static double bound(String field) {
        if (!field.startsWith(BUCKET_PREFIX)) {
            return Double.NaN;
        }
        String b = field.substring(BUCKET_PREFIX.length());
        if (b.equals("+Inf")) {
            return Double.POSITIVE_INFINITY;
        }
        try {
            return Double.parseDouble(b);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * What a series means.
     *
     * @param key the series
     * @return its meaning as last written, or {@code null} if the series is unknown
     */
    synchronized Meaning meaning(Key key) {
        Series s = series.get(key);
        return s == null ? null : s.meaning;
    }

    /**
     * The points of one series over the cycles kept.
     *
     * @param key the series
     * @return its points, oldest first; empty arrays if the series is unknown
     */
    synchronized Points points(Key key) {
        Series s = series.get(key);
        long first = Math.max(0, cycleCount - cycles);
        int n = (int) (cycleCount - first);
        if (s == null) {
            return new Points(new long[0], new Double[0]);
        }
        long[] t = new long[n];
        Double[] v = new Double[n];
        for (int i = 0; i < n; i++) {
            long c = first + i;
            int slot = (int) (c % cycles);
            t[i] = times[slot];
            double x = c > s.lastCycle ? Double.NaN : s.values[slot];
            v[i] = Double.isNaN(x) ? null : x;
        }
        return new Points(t, v);
    }

    /**
     * The last value of a series if it was written in the last cycle kept for it.
     *
     * @param key the series
     * @return the value and the time of its cycle (ms), or {@code null}
     */
    synchronized double[] latest(Key key) {
        Series s = series.get(key);
        if (s == null) {
            return null;
        }
        int slot = (int) (s.lastCycle % cycles);
        return new double[] {s.values[slot], times[slot]};
    }

    /**
     * Every series kept, sorted by measurement, field and tags.
     *
     * @return the keys
     */
    synchronized List<Key> keys() {
        List<Key> out = new ArrayList<>(series.keySet());
        out.sort(Comparator.comparing(Key::measurement).thenComparing(Key::field)
                .thenComparing(k -> k.tags().toString()));
        return out;
    }

    /**
     * The times of the cycles kept, oldest first: the times every {@link #points} answer has.
     *
     * @return the times (ms)
     */
    synchronized long[] times() {
        long first = Math.max(0, cycleCount - cycles);
        long[] t = new long[(int) (cycleCount - first)];
        for (int i = 0; i < t.length; i++) {
            t[i] = times[(int) ((first + i) % cycles)];
        }
        return t;
    }

    /** @return cycles recorded since start */
    public synchronized long cycleCount() {
        return cycleCount;
    }

    /** @return series not kept because {@code maxSeries} was reached */
    synchronized long refused() {
        return refused;
    }

    /** @return the number of series kept */
    public synchronized int size() {
        return series.size();
    }

    /** @return cycles kept per series */
    int capacity() {
        return cycles;
    }
}
