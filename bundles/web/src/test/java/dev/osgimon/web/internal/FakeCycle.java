package dev.osgimon.web.internal;

import java.util.ArrayList;
import java.util.List;

import dev.osgimon.api.model.Cycle;
import dev.osgimon.api.model.Kind;
import dev.osgimon.api.model.MetricInfo;
import dev.osgimon.api.model.ValueType;

/** A small {@link Cycle} for the page's unit tests: points with tags, typed fields with a meaning, histograms. */
final class FakeCycle implements Cycle {

    record Info(String source, String measurement, String field, Kind kind, String unit, String description,
            boolean declared) implements MetricInfo {
    }

    private record Field(String key, ValueType type, Object value, MetricInfo info, double numeric) {
    }

    private record Hist(double[] bounds, long[] counts, double sum, double min, double max, MetricInfo info) {
    }

    private record Point(String measurement, List<String[]> tags, List<Field> fields, Hist histogram) {
    }

    private final long timestampNanos;
    private final List<Point> points = new ArrayList<>();

    FakeCycle(long timestampNanos) {
        this.timestampNanos = timestampNanos;
    }

    /**
     * Starts a point.
     *
     * @param measurement its measurement
     * @param tags key, value, key, value …
     * @return this
     */
    FakeCycle point(String measurement, String... tags) {
        List<String[]> t = new ArrayList<>();
        for (int i = 0; i < tags.length; i += 2) {
            t.add(new String[] {tags[i], tags[i + 1]});
        }
        points.add(new Point(measurement, t, new ArrayList<>(), null));
        return this;
    }

    /** An undeclared long field of the last point. */
    FakeCycle field(String key, long value) {
        return field(key, ValueType.LONG, value, null, "", "");
    }

    /**
     * A field of the last point.
     *
     * @param key its key
     * @param type its type
     * @param value a Long, Double, Boolean or String
     * @param kind its declared kind, {@code null} for undeclared
     * @param unit its unit
     * @param description its description
     * @return this
     */
    FakeCycle field(String key, ValueType type, Object value, Kind kind, String unit, String description) {
        Point p = points.get(points.size() - 1);
        MetricInfo info = new Info("test", p.measurement(), key, kind == null ? Kind.GAUGE : kind, unit, description,
                kind != null);
        p.fields().add(new Field(key, type, value, info, numeric(type, value)));
        return this;
    }

    /** Makes the last point a histogram. */
    FakeCycle histogram(double[] bounds, long[] counts, double sum, double min, double max, String unit) {
        Point p = points.remove(points.size() - 1);
        MetricInfo info = new Info("test", p.measurement(), "", Kind.HISTOGRAM, unit, "latency", true);
        points.add(new Point(p.measurement(), p.tags(), List.of(), new Hist(bounds, counts, sum, min, max, info)));
        return this;
    }

    private Field f(int point, int field) {
        return points.get(point).fields().get(field);
    }

    private Hist h(int point) {
        return points.get(point).histogram();
    }

    @Override public long timestampNanos() { return timestampNanos; }
    @Override public int points() { return points.size(); }
    @Override public String source(int point) { return "test"; }
    @Override public String measurement(int point) { return points.get(point).measurement(); }
    @Override public int tags(int point) { return points.get(point).tags().size(); }
    @Override public int globalTags() { return 0; }
    @Override public String tagKey(int point, int tag) { return points.get(point).tags().get(tag)[0]; }
    @Override public String tagValue(int point, int tag) { return points.get(point).tags().get(tag)[1]; }
    @Override public int fields(int point) { return points.get(point).fields().size(); }
    @Override public String fieldKey(int point, int field) { return f(point, field).key(); }
    @Override public ValueType type(int point, int field) { return f(point, field).type(); }
    @Override public long longValue(int point, int field) { return (Long) f(point, field).value(); }
    @Override public double doubleValue(int point, int field) { return (Double) f(point, field).value(); }
    @Override public boolean booleanValue(int point, int field) { return (Boolean) f(point, field).value(); }
    @Override public String stringValue(int point, int field) { return (String) f(point, field).value(); }

    @Override
    public double numeric(int point, int field) {
        return f(point, field).numeric();
    }

    /** Computed once per field: reading it allocates nothing. */
    private static double numeric(ValueType type, Object v) {
        if (type == ValueType.UNSIGNED) {
            return Double.parseDouble(Long.toUnsignedString((Long) v));
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    @Override public MetricInfo info(int point, int field) { return f(point, field).info(); }
    @Override public boolean isHistogram(int point) { return h(point) != null; }
    @Override public MetricInfo histogramInfo(int point) { return h(point).info(); }
    @Override public int buckets(int point) { return h(point).counts().length; }

    @Override
    public double bound(int point, int bucket) {
        double[] b = h(point).bounds();
        return bucket < b.length ? b[bucket] : Double.POSITIVE_INFINITY;
    }

    @Override public long bucketCount(int point, int bucket) { return h(point).counts()[bucket]; }

    @Override
    public long count(int point) {
        long n = 0;
        for (long c : h(point).counts()) {
            n += c;
        }
        return n;
    }

    @Override public double sum(int point) { return h(point).sum(); }
    @Override public double min(int point) { return h(point).min(); }
    @Override public double max(int point) { return h(point).max(); }
}
