package dev.osgimon.prometheus.internal;

import java.util.Arrays;

import dev.osgimon.api.model.Cycle;
import dev.osgimon.api.model.Kind;
import dev.osgimon.api.model.MetricInfo;
import dev.osgimon.api.model.ValueType;

/**
 * A copy of one {@link Cycle} in arrays this object keeps, to be read after the cycle's call has
 * returned: what {@link SnapshotBuilder} needs, and the rest of the cycle for the {@link Cycle} view
 * it offers. {@link #copy} copies values and references the cycle's Strings (immutable), its enums
 * and the parts of each field's {@link MetricInfo} (kind, unit, description, declared) — never the
 * cycle or its {@code MetricInfo} objects. The arrays are reused: copying a cycle no larger than one
 * copied before allocates nothing.
 *
 * <p>Not thread-safe: {@link LatestCycle} hands a copy to one thread at a time.
 */
final class CycleCopy implements Cycle {

    /** A field's or histogram's meaning, made only when {@link #info} or {@link #histogramInfo} is asked. */
    private record Info(String source, String measurement, String field, Kind kind, String unit, String description,
            boolean declared) implements MetricInfo {
    }

    private long sequence;
    private long timestampNanos;
    private int points;
    private int globalTags;
    /** How many entries of the point, tag and field arrays may hold references. */
    private int pointsHeld;
    private int tagsHeld;
    private int fieldsHeld;
    /** While copying: the tags, fields and buckets written so far. */
    private int tagTop;
    private int fieldTop;
    private int bucketTop;

    // per point; the *Start arrays hold points + 1 entries, the last being the end
    private String[] sources = new String[64];
    private String[] measurements = new String[64];
    private int[] tagStart = new int[65];
    private int[] fieldStart = new int[65];
    private int[] bucketStart = new int[65];
    private boolean[] histogram = new boolean[64];
    /** A histogram's meaning, count, sum, min and max, by point. */
    private String[] histUnits = new String[64];
    private String[] histDescriptions = new String[64];
    private boolean[] histDeclared = new boolean[64];
    private long[] counts = new long[64];
    private double[] sums = new double[64];
    private double[] mins = new double[64];
    private double[] maxs = new double[64];

    // per tag
    private String[] tagKeys = new String[256];
    private String[] tagValues = new String[256];

    // per field
    private String[] fieldKeys = new String[256];
    private ValueType[] types = new ValueType[256];
    /** A long or unsigned value, a double's raw bits, a boolean as 1 or 0. */
    private long[] bits = new long[256];
    private String[] strings = new String[256];
    private Kind[] kinds = new Kind[256];
    private String[] units = new String[256];
    private String[] descriptions = new String[256];
    private boolean[] declared = new boolean[256];

    // per bucket
    private double[] bounds = new double[64];
    private long[] bucketCounts = new long[64];

    /**
     * @param cycle a cycle
     * @return a new copy of it (for callers that copy once, such as tests)
     */
    static CycleCopy of(Cycle cycle) {
        CycleCopy c = new CycleCopy();
        c.copy(cycle, 0);
        return c;
    }

    /**
     * Replaces what this copy holds with a cycle. Should the cycle throw midway, the copy holds
     * a part of it: its owner publishes a copy only once this returned.
     *
     * @param cycle the cycle, read during this call only
     * @param sequence the cycle's number, told by {@link #sequence()}
     */
    void copy(Cycle cycle, long sequence) {
        int n = cycle.points();
        if (n + 1 > tagStart.length) {
            growPoints(n + 1);
        }
        tagTop = 0;
        fieldTop = 0;
        bucketTop = 0;
        int p = 0;
        try {
            for (; p < n; p++) {
                copyPoint(cycle, p);
            }
        } finally {
            // references beyond what this cycle wrote would keep an older cycle's Strings alive
            release(p, tagTop, fieldTop);
        }
        tagStart[n] = tagTop;
        fieldStart[n] = fieldTop;
        bucketStart[n] = bucketTop;
        this.timestampNanos = cycle.timestampNanos();
        this.points = n;
        this.globalTags = cycle.globalTags();
        this.sequence = sequence;
    }

    /*
     * One method per point and per field, not one loop: the collector calls copy() once a cycle, so
     * its loop would long run in the interpreter (issue of code run every 10 s), while these are
     * called tens or hundreds of times a cycle and compiled within the first cycles.
     */

    private void copyPoint(Cycle cycle, int p) {
        put(sources, p, cycle.source(p));
        put(measurements, p, cycle.measurement(p));
        int t = tagTop;
        tagStart[p] = t;
        fieldStart[p] = fieldTop;
        bucketStart[p] = bucketTop;
        int tags = cycle.tags(p);
        if (t + tags > tagKeys.length) {
            growTags(t + tags);
        }
        String[] keys = tagKeys;
        String[] values = tagValues;
        for (int i = 0; i < tags; i++, t++) {
            put(keys, t, cycle.tagKey(p, i));
            put(values, t, cycle.tagValue(p, i));
            tagTop = t + 1;
        }
        if (cycle.isHistogram(p)) {
            copyHistogram(cycle, p);
            return;
        }
        histogram[p] = false;
        put(histUnits, p, null);
        put(histDescriptions, p, null);
        int fields = cycle.fields(p);
        if (fieldTop + fields > fieldKeys.length) {
            growFields(fieldTop + fields);
        }
        for (int i = 0; i < fields; i++) {
            copyField(cycle, p, i, fieldTop);
            fieldTop++;
        }
    }

    private void copyField(Cycle cycle, int p, int i, int f) {
        put(fieldKeys, f, cycle.fieldKey(p, i));
        ValueType type = cycle.type(p, i);
        put(types, f, type);
        switch (type) {
            case DOUBLE:
                bits[f] = Double.doubleToRawLongBits(cycle.doubleValue(p, i));
                put(strings, f, null);
                break;
            case BOOLEAN:
                bits[f] = cycle.booleanValue(p, i) ? 1 : 0;
                put(strings, f, null);
                break;
            case STRING:
                bits[f] = 0;
                put(strings, f, cycle.stringValue(p, i));
                break;
            default:
                bits[f] = cycle.longValue(p, i);
                put(strings, f, null);
        }
        MetricInfo info = cycle.info(p, i);
        if (info == null) {
            put(kinds, f, Kind.GAUGE);
            put(units, f, "");
            put(descriptions, f, "");
            declared[f] = false;
        } else {
            Kind kind = info.kind();
            String unit = info.unit();
            put(kinds, f, kind == null ? Kind.GAUGE : kind);
            put(units, f, unit == null ? "" : unit);
            put(descriptions, f, info.description());
            declared[f] = info.declared();
        }
    }

    private void copyHistogram(Cycle cycle, int p) {
        histogram[p] = true;
        MetricInfo info = cycle.histogramInfo(p);
        String unit = info == null ? null : info.unit();
        put(histUnits, p, unit == null ? "" : unit);
        put(histDescriptions, p, info == null ? "" : info.description());
        histDeclared[p] = info != null && info.declared();
        counts[p] = cycle.count(p);
        sums[p] = cycle.sum(p);
        mins[p] = cycle.min(p);
        maxs[p] = cycle.max(p);
        int b = bucketTop;
        int buckets = cycle.buckets(p);
        if (b + buckets > bounds.length) {
            growBuckets(b + buckets);
        }
        for (int i = 0; i < buckets; i++, b++) {
            bounds[b] = cycle.bound(p, i);
            bucketCounts[b] = cycle.bucketCount(p, i);
        }
        bucketTop = b;
    }

    /*
     * A reference is stored only when it differs from the one the slot holds: most of a cycle's
     * Strings are the very ones of the cycle before, and a store, even of the same reference, pays
     * the garbage collector's write barrier (in G1, a fence for an array in the old generation).
     */

    private static void put(String[] a, int i, String v) {
        if (a[i] != v) {
            a[i] = v;
        }
    }

    private static void put(Kind[] a, int i, Kind v) {
        if (a[i] != v) {
            a[i] = v;
        }
    }

    private static void put(ValueType[] a, int i, ValueType v) {
        if (a[i] != v) {
            a[i] = v;
        }
    }

    /** Drops the references past the points, tags and fields written, up to those an earlier copy left. */
    private void release(int points, int tags, int fields) {
        if (pointsHeld > points) {
            Arrays.fill(sources, points, pointsHeld, null);
            Arrays.fill(measurements, points, pointsHeld, null);
            Arrays.fill(histUnits, points, pointsHeld, null);
            Arrays.fill(histDescriptions, points, pointsHeld, null);
        }
        if (tagsHeld > tags) {
            Arrays.fill(tagKeys, tags, tagsHeld, null);
            Arrays.fill(tagValues, tags, tagsHeld, null);
        }
        if (fieldsHeld > fields) {
            Arrays.fill(fieldKeys, fields, fieldsHeld, null);
            Arrays.fill(strings, fields, fieldsHeld, null);
            Arrays.fill(units, fields, fieldsHeld, null);
            Arrays.fill(descriptions, fields, fieldsHeld, null);
        }
        // one more: the point, tag or field being written should the cycle have thrown
        pointsHeld = Math.min(points + 1, sources.length);
        tagsHeld = Math.min(tags + 1, tagKeys.length);
        fieldsHeld = Math.min(fields + 1, fieldKeys.length);
    }

    /** @return the number the cycle was copied with */
    long sequence() {
        return sequence;
    }

    // ---- what the snapshot builder reads, without a MetricInfo -----------------------------------

    /** @return the declared kind of a field (a gauge when undeclared) */
    Kind kind(int point, int field) {
        return kinds[field(point, field)];
    }

    /** @return the declared unit of a field, or empty */
    String unit(int point, int field) {
        return units[field(point, field)];
    }

    /** @return the description of a field, or empty (null when the cycle gave none) */
    String description(int point, int field) {
        return descriptions[field(point, field)];
    }

    /** @return the declared unit of a histogram, or empty */
    String histogramUnit(int point) {
        return histUnits[check(point)];
    }

    /** @return the description of a histogram, or empty (null when the cycle gave none) */
    String histogramDescription(int point) {
        return histDescriptions[check(point)];
    }

    // ---- Cycle -----------------------------------------------------------------------------------

    @Override
    public long timestampNanos() {
        return timestampNanos;
    }

    @Override
    public int points() {
        return points;
    }

    @Override
    public String source(int point) {
        return sources[check(point)];
    }

    @Override
    public String measurement(int point) {
        return measurements[check(point)];
    }

    @Override
    public int globalTags() {
        return globalTags;
    }

    @Override
    public int tags(int point) {
        return tagStart[check(point) + 1] - tagStart[point];
    }

    @Override
    public String tagKey(int point, int tag) {
        return tagKeys[tag(point, tag)];
    }

    @Override
    public String tagValue(int point, int tag) {
        return tagValues[tag(point, tag)];
    }

    @Override
    public int fields(int point) {
        return fieldStart[check(point) + 1] - fieldStart[point];
    }

    @Override
    public String fieldKey(int point, int field) {
        return fieldKeys[field(point, field)];
    }

    @Override
    public ValueType type(int point, int field) {
        return types[field(point, field)];
    }

    @Override
    public long longValue(int point, int field) {
        return bits[field(point, field)];
    }

    @Override
    public double doubleValue(int point, int field) {
        return Double.longBitsToDouble(bits[field(point, field)]);
    }

    @Override
    public boolean booleanValue(int point, int field) {
        return bits[field(point, field)] != 0;
    }

    @Override
    public String stringValue(int point, int field) {
        return strings[field(point, field)];
    }

    @Override
    public double numeric(int point, int field) {
        int f = field(point, field);
        long v = bits[f];
        switch (types[f]) {
            case LONG:
            case BOOLEAN:
                return v;
            case UNSIGNED:
                return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
            case DOUBLE:
                return Double.longBitsToDouble(v);
            default:
                return Double.NaN;
        }
    }

    @Override
    public MetricInfo info(int point, int field) {
        int f = field(point, field);
        return new Info(sources[point], measurements[point], fieldKeys[f], kinds[f], units[f], descriptions[f],
                declared[f]);
    }

    @Override
    public boolean isHistogram(int point) {
        return histogram[check(point)];
    }

    @Override
    public MetricInfo histogramInfo(int point) {
        hist(point);
        return new Info(sources[point], measurements[point], "", Kind.HISTOGRAM, histUnits[point],
                histDescriptions[point], histDeclared[point]);
    }

    @Override
    public int buckets(int point) {
        return bucketStart[check(point) + 1] - bucketStart[point];
    }

    @Override
    public double bound(int point, int bucket) {
        return bounds[bucket(point, bucket)];
    }

    @Override
    public long bucketCount(int point, int bucket) {
        return bucketCounts[bucket(point, bucket)];
    }

    @Override
    public long count(int point) {
        return counts[hist(point)];
    }

    @Override
    public double sum(int point) {
        return sums[hist(point)];
    }

    @Override
    public double min(int point) {
        return mins[hist(point)];
    }

    @Override
    public double max(int point) {
        return maxs[hist(point)];
    }

    // ---- indices ---------------------------------------------------------------------------------

    private int check(int point) {
        if (point < 0 || point >= points) {
            throw new IndexOutOfBoundsException("point " + point + " of " + points);
        }
        return point;
    }

    private int hist(int point) {
        if (!histogram[check(point)]) {
            throw new IllegalArgumentException("point " + point + " is not a histogram");
        }
        return point;
    }

    private int tag(int point, int tag) {
        return index(tagStart, point, tag, "tag");
    }

    private int field(int point, int field) {
        return index(fieldStart, point, field, "field");
    }

    private int bucket(int point, int bucket) {
        return index(bucketStart, point, bucket, "bucket");
    }

    private int index(int[] start, int point, int i, String what) {
        int from = start[check(point)];
        if (i < 0 || i >= start[point + 1] - from) {
            throw new IndexOutOfBoundsException(what + " " + i + " of point " + point);
        }
        return from + i;
    }

    // ---- growth (only while warming up, or when a cycle outgrows every one before) ---------------

    private void growPoints(int n) {
        int size = Math.max(n, 2 * tagStart.length);
        tagStart = Arrays.copyOf(tagStart, size);
        fieldStart = Arrays.copyOf(fieldStart, size);
        bucketStart = Arrays.copyOf(bucketStart, size);
        sources = Arrays.copyOf(sources, size);
        measurements = Arrays.copyOf(measurements, size);
        histogram = Arrays.copyOf(histogram, size);
        histUnits = Arrays.copyOf(histUnits, size);
        histDescriptions = Arrays.copyOf(histDescriptions, size);
        histDeclared = Arrays.copyOf(histDeclared, size);
        counts = Arrays.copyOf(counts, size);
        sums = Arrays.copyOf(sums, size);
        mins = Arrays.copyOf(mins, size);
        maxs = Arrays.copyOf(maxs, size);
    }

    private void growTags(int n) {
        int size = Math.max(n, 2 * tagKeys.length);
        tagKeys = Arrays.copyOf(tagKeys, size);
        tagValues = Arrays.copyOf(tagValues, size);
    }

    private void growFields(int n) {
        int size = Math.max(n, 2 * fieldKeys.length);
        fieldKeys = Arrays.copyOf(fieldKeys, size);
        types = Arrays.copyOf(types, size);
        bits = Arrays.copyOf(bits, size);
        strings = Arrays.copyOf(strings, size);
        kinds = Arrays.copyOf(kinds, size);
        units = Arrays.copyOf(units, size);
        descriptions = Arrays.copyOf(descriptions, size);
        declared = Arrays.copyOf(declared, size);
    }

    private void growBuckets(int n) {
        int size = Math.max(n, 2 * bounds.length);
        bounds = Arrays.copyOf(bounds, size);
        bucketCounts = Arrays.copyOf(bucketCounts, size);
    }
}
