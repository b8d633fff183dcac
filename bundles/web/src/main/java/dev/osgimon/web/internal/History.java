package dev.osgimon.web.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
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
 * 4096 series ≈ 11.8 MB), plus the keys. A new cycle overwrites the oldest; a series that has not
 * been written for {@code cycles} cycles has no value left and is evicted; a new series beyond
 * {@code maxSeries} is not kept (and counted). Thread-safe: one writer (the collector thread),
 * many readers.
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

    private static final class Series {
        final double[] values;
        long lastCycle;
        Meaning meaning = Meaning.UNDECLARED;

        Series(int cycles) {
            values = new double[cycles];
            Arrays.fill(values, Double.NaN);
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
     * Records one cycle: copies its numeric values and their meaning (the cycle is not kept).
     *
     * @param cycle the cycle, valid during this call
     */
    public synchronized void add(Cycle cycle) {
        long c = cycleCount++;
        int slot = (int) (c % cycles);
        times[slot] = cycle.timestampNanos() / 1_000_000L;
        for (int p = 0; p < cycle.points(); p++) {
            Map<String, String> tags = tags(cycle, p);
            String m = cycle.measurement(p);
            if (cycle.isHistogram(p)) {
                MetricInfo info = cycle.histogramInfo(p);
                String unit = info.unit();
                put(new Key(m, tags, "count"), c, slot, cycle.count(p), Kind.COUNTER, "", info.description());
                put(new Key(m, tags, "sum"), c, slot, cycle.sum(p), Kind.COUNTER, unit, info.description());
                put(new Key(m, tags, "min"), c, slot, cycle.min(p), Kind.GAUGE, unit, info.description());
                put(new Key(m, tags, "max"), c, slot, cycle.max(p), Kind.GAUGE, unit, info.description());
                long cumulative = 0;
                for (int b = 0; b < cycle.buckets(p); b++) {
                    cumulative += cycle.bucketCount(p, b);
                    put(new Key(m, tags, BUCKET_PREFIX + boundText(cycle.bound(p, b))), c, slot, cumulative,
                            Kind.HISTOGRAM, unit, info.description());
                }
                continue;
            }
            for (int f = 0; f < cycle.fields(p); f++) {
                ValueType type = cycle.type(p, f);
                if (type == ValueType.STRING || type == ValueType.BOOLEAN) {
                    continue;
                }
                MetricInfo info = cycle.info(p, f);
                put(new Key(m, tags, cycle.fieldKey(p, f)), c, slot, cycle.numeric(p, f), info.kind(), info.unit(),
                        info.description());
            }
        }
        for (Iterator<Series> it = series.values().iterator(); it.hasNext();) {
            Series s = it.next();
            if (s.lastCycle <= c - cycles) {
                it.remove();
            }
        }
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

    private static Map<String, String> tags(Cycle cycle, int p) {
        int n = cycle.tags(p);
        if (n == 0) {
            return Map.of();
        }
        Map<String, String> tags = new TreeMap<>();
        for (int t = 0; t < n; t++) {
            tags.put(cycle.tagKey(p, t), cycle.tagValue(p, t));
        }
        return Collections.unmodifiableMap(tags);
    }

    private void put(Key key, long c, int slot, double v, Kind kind, String unit, String description) {
        if (Double.isNaN(v)) {
            return;
        }
        Series s = series.get(key);
        if (s == null) {
            if (series.size() >= maxSeries) {
                refused++;
                return;
            }
            s = new Series(cycles);
            s.lastCycle = c - 1;
            series.put(key, s);
        }
        if (!s.meaning.same(kind, unit, description)) {
            s.meaning = new Meaning(kind, unit, description);
        }
        // the cycles this series missed since it was last written hold nothing
        for (long gap = Math.max(s.lastCycle + 1, c - cycles + 1); gap < c; gap++) {
            s.values[(int) (gap % cycles)] = Double.NaN;
        }
        s.values[slot] = v;
        s.lastCycle = c;
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
