package dev.osgimon.testing;

import java.util.ArrayList;
import java.util.List;

import dev.osgimon.api.model.Cycle;
import dev.osgimon.api.model.Kind;
import dev.osgimon.api.model.MetricInfo;
import dev.osgimon.api.model.ValueType;

/**
 * A {@link Cycle} built by hand, for the tests of what reads one (encoders, renderers, the page's
 * history): points with tags, typed fields with a declared meaning, and histograms. Every point's
 * source is {@code test}; the {@link #global global} tags are appended to every point, after its own,
 * and counted by {@link #globalTags()}.
 *
 * <pre>{@code
 * Cycle c = new TestCycle(1_000_000_000L).global("vm", "host-1")
 *         .point("jvm_memory").tag("area", "heap").field("used", 42L, Kind.GAUGE, "By", "heap in use")
 *         .point("http_latency", "route", "/").histogram(bounds, counts, 0.42, 0.001, 0.3, "s");
 * }</pre>
 *
 * <p>Which {@link ValueType} a field has: given explicitly to
 * {@link #field(String, ValueType, Object, Kind, String, String)}, {@link ValueType#UNSIGNED} for
 * {@link #unsigned}, otherwise inferred from the value: a {@code Long} or {@code Integer} is
 * {@code LONG} (an Integer is stored as a long), a {@code Double} {@code DOUBLE}, a {@code Boolean}
 * {@code BOOLEAN}, anything else {@code STRING}.
 *
 * <p>Reading allocates nothing: every value, its {@link #numeric} (an unsigned value converted exactly,
 * as the nearest double to its unsigned decimal value) and each histogram's count are computed when the
 * field or histogram is added, so a test may measure what its reader allocates.
 *
 * <p>Choices where the builders this class replaces differed: {@link #gauge} is undeclared
 * ({@link MetricInfo#declared()} false; only {@link #field(String, Object, Kind, String, String)},
 * {@link #counter}, {@link #unsigned} and the histograms declare); the histogram with min and max has
 * the description {@code latency}; a histogram point has no fields.
 */
public final class TestCycle implements Cycle {

    /** The source name of every point. */
    public static final String SOURCE = "test";

    private record Info(String source, String measurement, String field, Kind kind, String unit, String description,
            boolean declared) implements MetricInfo {
    }

    private static final class Field {
        final String key;
        final ValueType type;
        final long longValue;
        final double doubleValue;
        final boolean booleanValue;
        final String stringValue;
        final double numeric;
        final MetricInfo info;

        Field(String key, ValueType type, Object value, MetricInfo info) {
            this.key = key;
            this.type = type;
            this.info = info;
            long l = 0;
            double d = 0;
            boolean b = false;
            String s = null;
            double n;
            switch (type) {
                case LONG, UNSIGNED -> {
                    if (!(value instanceof Long || value instanceof Integer)) {
                        throw mismatch(key, type, value);
                    }
                    l = ((Number) value).longValue();
                    n = type == ValueType.LONG ? l : Double.parseDouble(Long.toUnsignedString(l));
                }
                case DOUBLE -> {
                    if (!(value instanceof Double v)) {
                        throw mismatch(key, type, value);
                    }
                    d = v;
                    n = d;
                }
                case BOOLEAN -> {
                    if (!(value instanceof Boolean v)) {
                        throw mismatch(key, type, value);
                    }
                    b = v;
                    n = b ? 1 : 0;
                }
                default -> {
                    if (!(value instanceof String v)) {
                        throw mismatch(key, type, value);
                    }
                    s = v;
                    n = Double.NaN;
                }
            }
            this.longValue = l;
            this.doubleValue = d;
            this.booleanValue = b;
            this.stringValue = s;
            this.numeric = n;
        }

        private static IllegalArgumentException mismatch(String key, ValueType type, Object value) {
            return new IllegalArgumentException("field " + key + ": " + value + " is not a " + type + " value");
        }

        void expect(ValueType expected) {
            boolean ok = expected == ValueType.LONG ? type == ValueType.LONG || type == ValueType.UNSIGNED
                    : type == expected;
            if (!ok) {
                throw new IllegalStateException("field " + key + " is " + type + ", not " + expected);
            }
        }
    }

    private static final class Point {
        final String measurement;
        final List<String[]> tags = new ArrayList<>();
        final List<Field> fields = new ArrayList<>();
        MetricInfo histogram;
        double[] bounds;
        long[] counts;
        long count;
        double sum;
        double min;
        double max;

        Point(String measurement) {
            this.measurement = measurement;
        }
    }

    private final long timestampNanos;
    private final List<Point> points = new ArrayList<>();
    private final List<String[]> globalTags = new ArrayList<>();

    /** @param timestampNanos the cycle's timestamp, nanoseconds since the epoch */
    public TestCycle(long timestampNanos) {
        this.timestampNanos = timestampNanos;
    }

    /**
     * A global tag (like {@code vm}): appended to every point, after its own tags.
     *
     * @return this
     */
    public TestCycle global(String key, String value) {
        globalTags.add(new String[] {key, value});
        return this;
    }

    /**
     * Starts a point; the following tags, fields or histogram are its.
     *
     * @param measurement its measurement
     * @param tagPairs its first tags: key, value, key, value …
     * @return this
     */
    public TestCycle point(String measurement, String... tagPairs) {
        if (tagPairs.length % 2 != 0) {
            throw new IllegalArgumentException("tags come in key, value pairs: " + List.of(tagPairs));
        }
        points.add(new Point(measurement));
        for (int i = 0; i < tagPairs.length; i += 2) {
            tag(tagPairs[i], tagPairs[i + 1]);
        }
        return this;
    }

    /** A tag of the current point. @return this */
    public TestCycle tag(String key, String value) {
        current().tags.add(new String[] {key, value});
        return this;
    }

    /** An undeclared field (a gauge without unit or description), its type inferred. @return this */
    public TestCycle gauge(String key, Object value) {
        return add(key, infer(value), value, Kind.GAUGE, "", "", false);
    }

    /** An undeclared long field; the same as {@link #gauge} with a long. @return this */
    public TestCycle field(String key, long value) {
        return gauge(key, value);
    }

    /** A declared counter, described as {@code "<key> counted"}, its type inferred. @return this */
    public TestCycle counter(String key, Object value, String unit) {
        return add(key, infer(value), value, Kind.COUNTER, unit, key + " counted", true);
    }

    /** A declared field, its type inferred from the value. @return this */
    public TestCycle field(String key, Object value, Kind kind, String unit, String description) {
        return add(key, infer(value), value, kind, unit, description, true);
    }

    /**
     * A field of the given type.
     *
     * @param value a Long (or Integer), Double, Boolean or String, matching the type
     * @param kind its declared kind; {@code null} for an undeclared field (a gauge)
     * @return this
     */
    public TestCycle field(String key, ValueType type, Object value, Kind kind, String unit, String description) {
        return add(key, type, value, kind == null ? Kind.GAUGE : kind, unit, description, kind != null);
    }

    /** A declared unsigned field without unit. @return this */
    public TestCycle unsigned(String key, long value, Kind kind, String description) {
        return unsigned(key, value, kind, "", description);
    }

    /** A declared unsigned field: the long is read as unsigned. @return this */
    public TestCycle unsigned(String key, long value, Kind kind, String unit, String description) {
        return add(key, ValueType.UNSIGNED, value, kind, unit, description, true);
    }

    /**
     * Makes the current point a histogram, described as {@code latency}.
     *
     * @param bounds the buckets' upper bounds, without {@code +Inf}
     * @param counts each bucket's own count, one more than the bounds
     * @param min the least value recorded, NaN when none was
     * @param max the greatest value recorded, NaN when none was
     * @return this
     */
    public TestCycle histogram(double[] bounds, long[] counts, double sum, double min, double max, String unit) {
        return histogram(unit, "latency", bounds, counts, sum, min, max);
    }

    /**
     * Makes the current point a histogram whose min and max are unknown (NaN).
     *
     * @param bounds the buckets' upper bounds, without {@code +Inf}
     * @param counts each bucket's own count, one more than the bounds
     * @return this
     */
    public TestCycle histogram(String unit, String description, double[] bounds, long[] counts, double sum) {
        return histogram(unit, description, bounds, counts, sum, Double.NaN, Double.NaN);
    }

    private TestCycle histogram(String unit, String description, double[] bounds, long[] counts, double sum,
            double min, double max) {
        if (counts.length != bounds.length + 1) {
            throw new IllegalArgumentException(counts.length + " counts for " + bounds.length + " bounds, not one more");
        }
        Point p = current();
        p.histogram = new Info(SOURCE, p.measurement, "", Kind.HISTOGRAM, unit, description, true);
        p.bounds = bounds.clone();
        p.counts = counts.clone();
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        p.count = n;
        p.sum = sum;
        p.min = min;
        p.max = max;
        return this;
    }

    private static ValueType infer(Object value) {
        return value instanceof Long || value instanceof Integer ? ValueType.LONG
                : value instanceof Double ? ValueType.DOUBLE
                : value instanceof Boolean ? ValueType.BOOLEAN : ValueType.STRING;
    }

    private TestCycle add(String key, ValueType type, Object value, Kind kind, String unit, String description,
            boolean declared) {
        Point p = current();
        p.fields.add(new Field(key, type, type == ValueType.STRING ? String.valueOf(value) : value,
                new Info(SOURCE, p.measurement, key, kind, unit, description, declared)));
        return this;
    }

    private Point current() {
        if (points.isEmpty()) {
            throw new IllegalStateException("no point yet: call point(…) first");
        }
        return points.get(points.size() - 1);
    }

    private Point p(int point) {
        return points.get(point);
    }

    private Field f(int point, int field) {
        return points.get(point).fields.get(field);
    }

    /** The field, which must have been written as the expected type (or UNSIGNED for LONG). */
    private Field f(int point, int field, ValueType expected) {
        Field f = f(point, field);
        f.expect(expected);
        return f;
    }

    private Point h(int point) {
        Point p = points.get(point);
        if (p.histogram == null) {
            throw new IllegalStateException("point " + point + " is not a histogram");
        }
        return p;
    }

    private String[] tag(int point, int tag) {
        List<String[]> own = p(point).tags;
        return tag < own.size() ? own.get(tag) : globalTags.get(tag - own.size());
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
        p(point);
        return SOURCE;
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
        Point p = p(point);
        return p.histogram != null ? 0 : p.fields.size();
    }

    @Override
    public String fieldKey(int point, int field) {
        return f(point, field).key;
    }

    @Override
    public ValueType type(int point, int field) {
        return f(point, field).type;
    }

    @Override
    public long longValue(int point, int field) {
        return f(point, field, ValueType.LONG).longValue;
    }

    @Override
    public double doubleValue(int point, int field) {
        return f(point, field, ValueType.DOUBLE).doubleValue;
    }

    @Override
    public boolean booleanValue(int point, int field) {
        return f(point, field, ValueType.BOOLEAN).booleanValue;
    }

    @Override
    public String stringValue(int point, int field) {
        return f(point, field, ValueType.STRING).stringValue;
    }

    @Override
    public double numeric(int point, int field) {
        return f(point, field).numeric;
    }

    @Override
    public MetricInfo info(int point, int field) {
        return f(point, field).info;
    }

    @Override
    public boolean isHistogram(int point) {
        return p(point).histogram != null;
    }

    @Override
    public MetricInfo histogramInfo(int point) {
        return p(point).histogram; // null for a point that is not a histogram
    }

    @Override
    public int buckets(int point) {
        return h(point).counts.length;
    }

    @Override
    public double bound(int point, int bucket) {
        double[] b = h(point).bounds;
        return bucket < b.length ? b[bucket] : Double.POSITIVE_INFINITY;
    }

    @Override
    public long bucketCount(int point, int bucket) {
        return h(point).counts[bucket];
    }

    @Override
    public long count(int point) {
        return h(point).count;
    }

    @Override
    public double sum(int point) {
        return h(point).sum;
    }

    @Override
    public double min(int point) {
        return h(point).min;
    }

    @Override
    public double max(int point) {
        return h(point).max;
    }
}
