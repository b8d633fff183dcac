package dev.osgimon.prometheus.internal;

import java.util.ArrayList;
import java.util.List;

import dev.osgimon.api.model.Cycle;
import dev.osgimon.api.model.Kind;
import dev.osgimon.api.model.MetricInfo;
import dev.osgimon.api.model.ValueType;

/** A {@link Cycle} built by hand for the renderer's tests: points with tags, typed fields and declarations. */
final class FakeCycle implements Cycle {

    record Info(String source, String measurement, String field, Kind kind, String unit, String description,
            boolean declared) implements MetricInfo {
    }

    private record Field(String key, ValueType type, Object value, MetricInfo info) {
    }

    private static final class Point {
        final String measurement;
        final List<String[]> tags = new ArrayList<>();
        final List<Field> fields = new ArrayList<>();
        MetricInfo histogram;
        double[] bounds;
        long[] counts;
        double sum;

        Point(String measurement) {
            this.measurement = measurement;
        }
    }

    private final long timestampNanos;
    private final List<Point> points = new ArrayList<>();
    private final List<String[]> globalTags = new ArrayList<>();
    private Point current;

    FakeCycle(long timestampNanos) {
        this.timestampNanos = timestampNanos;
    }

    /** A tag added to every point after its own (like {@code vm}). */
    FakeCycle global(String key, String value) {
        globalTags.add(new String[] {key, value});
        return this;
    }

    FakeCycle point(String measurement) {
        current = new Point(measurement);
        points.add(current);
        return this;
    }

    FakeCycle tag(String key, String value) {
        current.tags.add(new String[] {key, value});
        return this;
    }

    FakeCycle gauge(String key, Object value) {
        return field(key, value, Kind.GAUGE, "", "", false);
    }

    FakeCycle field(String key, Object value, Kind kind, String unit, String description) {
        return field(key, value, kind, unit, description, true);
    }

    FakeCycle unsigned(String key, long value, Kind kind, String description) {
        current.fields.add(new Field(key, ValueType.UNSIGNED, value,
                new Info("test", current.measurement, key, kind, "", description, true)));
        return this;
    }

    private FakeCycle field(String key, Object value, Kind kind, String unit, String description, boolean declared) {
        ValueType type = value instanceof Long || value instanceof Integer ? ValueType.LONG
                : value instanceof Double ? ValueType.DOUBLE : value instanceof Boolean ? ValueType.BOOLEAN : ValueType.STRING;
        Object v = value instanceof Integer i ? (Object) i.longValue() : value;
        current.fields.add(new Field(key, type, v, new Info("test", current.measurement, key, kind, unit, description, declared)));
        return this;
    }

    /** Makes the current point a histogram: per-bucket counts, one more than bounds. */
    FakeCycle histogram(String unit, String description, double[] bounds, long[] counts, double sum) {
        current.histogram = new Info("test", current.measurement, "", Kind.HISTOGRAM, unit, description, true);
        current.bounds = bounds;
        current.counts = counts;
        current.sum = sum;
        return this;
    }

    private Point p(int point) {
        return points.get(point);
    }

    private String[] tag(int point, int tag) {
        Point p = p(point);
        return tag < p.tags.size() ? p.tags.get(tag) : globalTags.get(tag - p.tags.size());
    }

    @Override
    public long timestampNanos() {
        return timestampNanos;
    }

    @Override
    public int points() {
        return points.size();
    }

    @Override
    public String source(int point) {
        return "test";
    }

    @Override
    public String measurement(int point) {
        return p(point).measurement;
    }

    @Override
    public int tags(int point) {
        return p(point).tags.size() + globalTags.size();
    }

    @Override
    public int globalTags() {
        return globalTags.size();
    }

    @Override
    public String tagKey(int point, int tag) {
        return tag(point, tag)[0];
    }

    @Override
    public String tagValue(int point, int tag) {
        return tag(point, tag)[1];
    }

    @Override
    public int fields(int point) {
        return p(point).histogram != null ? 0 : p(point).fields.size();
    }

    @Override
    public String fieldKey(int point, int field) {
        return p(point).fields.get(field).key();
    }

    @Override
    public ValueType type(int point, int field) {
        return p(point).fields.get(field).type();
    }

    @Override
    public long longValue(int point, int field) {
        return (Long) p(point).fields.get(field).value();
    }

    @Override
    public double doubleValue(int point, int field) {
        return (Double) p(point).fields.get(field).value();
    }

    @Override
    public boolean booleanValue(int point, int field) {
        return (Boolean) p(point).fields.get(field).value();
    }

    @Override
    public String stringValue(int point, int field) {
        return (String) p(point).fields.get(field).value();
    }

    @Override
    public double numeric(int point, int field) {
        Field f = p(point).fields.get(field);
        switch (f.type()) {
            case LONG:
                return (Long) f.value();
            case UNSIGNED:
                return Double.parseDouble(Long.toUnsignedString((Long) f.value()));
            case DOUBLE:
                return (Double) f.value();
            case BOOLEAN:
                return (Boolean) f.value() ? 1 : 0;
            default:
                return Double.NaN;
        }
    }

    @Override
    public MetricInfo info(int point, int field) {
        return p(point).fields.get(field).info();
    }

    @Override
    public boolean isHistogram(int point) {
        return p(point).histogram != null;
    }

    @Override
    public MetricInfo histogramInfo(int point) {
        return p(point).histogram;
    }

    @Override
    public int buckets(int point) {
        return p(point).counts.length;
    }

    @Override
    public double bound(int point, int bucket) {
        double[] b = p(point).bounds;
        return bucket < b.length ? b[bucket] : Double.POSITIVE_INFINITY;
    }

    @Override
    public long bucketCount(int point, int bucket) {
        return p(point).counts[bucket];
    }

    @Override
    public long count(int point) {
        long n = 0;
        for (long c : p(point).counts) {
            n += c;
        }
        return n;
    }

    @Override
    public double sum(int point) {
        return p(point).sum;
    }

    @Override
    public double min(int point) {
        return Double.NaN;
    }

    @Override
    public double max(int point) {
        return Double.NaN;
    }
}
