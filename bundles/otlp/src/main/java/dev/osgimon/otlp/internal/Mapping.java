package dev.osgimon.otlp.internal;

/**
 * What one osgimon field (or histogram) becomes in OTLP: the metric's name, unit and shape, a factor
 * for the values, and how its tags become attributes. Immutable; shared by every point of the field.
 *
 * @param name the OTLP metric name; fields with equal names (and shapes) of one measurement share a metric
 * @param unit the unit, or {@code null} for the declared one
 * @param description the description, or {@code null} for the declared one
 * @param shape the OTLP data type
 * @param scale the factor every value is multiplied by (1, or 0.001 for milliseconds to seconds)
 * @param renames tag keys renamed: {@code from, to, from, to, …}
 * @param values tag values replaced: {@code key, from, to, …} (the key before renaming)
 * @param extra constant attributes added after the tags: {@code key, value, …}
 * @param countField for {@link Shape#COUNT_SUM_HISTOGRAM}: the field of the same point holding the count
 */
record Mapping(String name, String unit, String description, Shape shape, double scale, String[] renames,
        String[] values, String[] extra, String countField) {

    private static final String[] NONE = {};

    /** The OTLP data type of a mapped field. */
    enum Shape {
        /** As the source declared it: gauge → Gauge, counter → monotonic cumulative Sum, histogram → Histogram. */
        DECLARED,
        /** A Gauge, whatever the declaration (a convention that asks for a gauge). */
        GAUGE,
        /** A non-monotonic cumulative Sum (OpenTelemetry's UpDownCounter), as a convention asks for. */
        UP_DOWN,
        /**
         * A Histogram without bounds (one bucket): count from {@code countField}, sum from this field;
         * cumulative. For a collector's count and accumulated time ({@code jvm.gc.duration}).
         */
        COUNT_SUM_HISTOGRAM,
        /** Not sent by itself (a field another mapping consumed). */
        SKIP
    }

    static Mapping declared(String name) {
        return new Mapping(name, null, null, Shape.DECLARED, 1, NONE, NONE, NONE, null);
    }

    static final Mapping SKIPPED = new Mapping("", null, null, Shape.SKIP, 1, NONE, NONE, NONE, null);

    /** A builder-style copy with another unit. */
    Mapping unit(String u) {
        return new Mapping(name, u, description, shape, scale, renames, values, extra, countField);
    }

    Mapping shape(Shape s) {
        return new Mapping(name, unit, description, s, scale, renames, values, extra, countField);
    }

    Mapping scale(double factor) {
        return new Mapping(name, unit, description, shape, factor, renames, values, extra, countField);
    }

    Mapping rename(String... fromTo) {
        return new Mapping(name, unit, description, shape, scale, fromTo, values, extra, countField);
    }

    Mapping values(String... keyFromTo) {
        return new Mapping(name, unit, description, shape, scale, renames, keyFromTo, extra, countField);
    }

    Mapping extra(String... keyValue) {
        return new Mapping(name, unit, description, shape, scale, renames, values, keyValue, countField);
    }

    Mapping description(String d) {
        return new Mapping(name, unit, d, shape, scale, renames, values, extra, countField);
    }

    Mapping countFrom(String field) {
        return new Mapping(name, unit, description, Shape.COUNT_SUM_HISTOGRAM, scale, renames, values, extra, field);
    }

    /** @return the attribute key a tag key becomes */
    String attributeKey(String tagKey) {
        for (int i = 0; i < renames.length; i += 2) {
            if (renames[i].equals(tagKey)) {
                return renames[i + 1];
            }
        }
        return tagKey;
    }

    /** @return the attribute value a tag's value becomes */
    String attributeValue(String tagKey, String value) {
        for (int i = 0; i < values.length; i += 3) {
            if (values[i].equals(tagKey) && values[i + 1].equals(value)) {
                return values[i + 2];
            }
        }
        return value;
    }
}
