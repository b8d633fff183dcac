package dev.osgimon.otlp.internal;

import java.util.ArrayList;
import java.util.List;

import dev.osgimon.api.model.Cycle;
import dev.osgimon.api.model.Kind;
import dev.osgimon.api.model.MetricInfo;
import dev.osgimon.api.model.ValueType;

/** A {@link Cycle} built by hand: points with tags (global tags appended to each), typed fields, histograms. */
final class TestCycle implements Cycle {

    record Info(String source, String measurement, String field, Kind kind, String unit, String description,
            boolean declared) implements MetricInfo {
    }

    record Field(String key, ValueType type, Object value, MetricInfo info) {
    }

    static final class Point {
        final String source;
        final String measurement;
        final List<String[]> tags = new ArrayList<>();
        final List<Field> fields = new ArrayList<>();
        MetricInfo histogram;
        double[] bounds;
        long[] counts;
        double sum;
        double min = Double.NaN;
        double max = Double.NaN;

        Point(String source, String measurement) {
            this.source = source;
            this.measurement = measurement;
        }

        long count() {
            long n = 0;
            for (long c : counts) {
                n += c;
            }
            return n;
        }
    }

    final long timestampNanos;
    final List<Point> points = new ArrayList<>();
    final List<String[]> globalTags = new ArrayList<>();
    private Point current;

    TestCycle(long timestampNanos) {
        this.timestampNanos = timestampNanos;
    }

    TestCycle global(String key, String value) {
        globalTags.add(new String[] {key, value});
        return this;
    }

    TestCycle point(String measurement) {
        current = new Point("test", measurement);
        points.add(current);
        return this;
    }

    TestCycle tag(String key, String value) {
        current.tags.add(new String[] {key, value});
        return this;
    }

    TestCycle gauge(String key, Object value) {
        return field(key, value, Kind.GAUGE, "", "");
    }

    TestCycle counter(String key, Object value, String unit) {
        return field(key, value, Kind.COUNTER, unit, key + " counted");
    }

    TestCycle field(String key, Object value, Kind kind, String unit, String description) {
        ValueType type = value instanceof Long || value instanceof Integer ? ValueType.LONG
                : value instanceof Double ? ValueType.DOUBLE : value instanceof Boolean ? ValueType.BOOLEAN
                : ValueType.STRING;
        Object v = value instanceof Integer i ? (Object) i.longValue() : value;
        current.fields.add(new Field(key, type, v, new Info("test", current.measurement, key, kind, unit, description,
                true)));
        return this;
    }

    TestCycle unsigned(String key, long value, Kind kind) {
        String unit = key.length() % 3 == 0 ? "{ß 🙂}" : key.length() % 3 == 1 ? "By" : "";
        current.fields.add(new Field(key, ValueType.UNSIGNED, value,
                new Info("test", current.measurement, key, kind, unit, "", true)));
        return this;
    }

    /** A histogram point: per-bucket counts (bounds + 1 of them). */
    TestCycle histogram(double[] bounds, long[] counts, double sum, double min, double max, String unit) {
        current.histogram = new Info("test", current.measurement, "", Kind.HISTOGRAM, unit, "a histogram", true);
        current.bounds = bounds;
        current.counts = counts;
        current.sum = sum;
        current.min = min;
        current.max = max;
        return this;
    }

    private Point p(int point) {
        return points.get(point);
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
        return p(point).source;
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

    private String[] tag(int point, int tag) {
        List<String[]> own = p(point).tags;
        return tag < own.size() ? own.get(tag) : globalTags.get(tag - own.size());
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
        return p(point).fields.size();
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
        return switch (f.type()) {
            case LONG -> (Long) f.value();
            case UNSIGNED -> {
                long v = (Long) f.value();
                yield v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
            }
            case DOUBLE -> (Double) f.value();
            case BOOLEAN -> (Boolean) f.value() ? 1 : 0;
            case STRING -> Double.NaN;
        };
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
        return p(point).count();
    }

    @Override
    public double sum(int point) {
        return p(point).sum;
    }

    @Override
    public double min(int point) {
        return p(point).min;
    }

    @Override
    public double max(int point) {
        return p(point).max;
    }
}
