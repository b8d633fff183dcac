package dev.osgimon.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.osgimon.api.PointWriter;

/** A {@link PointWriter} that keeps what it was given, for assertions. */
public final class RecordingWriter implements PointWriter {

    /** One written point. */
    public record Point(String measurement, Map<String, String> tags, Map<String, Object> fields) {
    }

    private final List<Point> points = new ArrayList<>();
    private Point current;

    @Override
    public PointWriter point(String measurement) {
        current = new Point(measurement, new LinkedHashMap<>(), new LinkedHashMap<>());
        points.add(current);
        return this;
    }

    @Override
    public PointWriter tag(String key, CharSequence value) {
        if (!current.fields().isEmpty()) {
            throw new IllegalStateException("tag after field");
        }
        if (value != null && value.length() > 0) {
            current.tags().put(key, value.toString());
        }
        return this;
    }

    @Override
    public PointWriter field(String key, long value) {
        current.fields().put(key, value);
        return this;
    }

    @Override
    public PointWriter fieldUnsigned(String key, long value) {
        current.fields().put(key, value);
        return this;
    }

    @Override
    public PointWriter field(String key, double value) {
        current.fields().put(key, value);
        return this;
    }

    @Override
    public PointWriter field(String key, boolean value) {
        current.fields().put(key, value);
        return this;
    }

    @Override
    public PointWriter field(String key, CharSequence value) {
        current.fields().put(key, value.toString());
        return this;
    }

    /**
     * Records a histogram as fields: {@code count}, {@code sum}, {@code min}, {@code max} (left out
     * while empty) and the cumulative count of each bound as {@code le=<bound>} ({@code le=+Inf} last).
     */
    @Override
    public PointWriter histogram(double[] bounds, long[] bucketCounts, double sum, double min, double max) {
        if (!current.fields().isEmpty()) {
            throw new IllegalStateException("histogram after field");
        }
        long cumulative = 0;
        for (int i = 0; i < bucketCounts.length; i++) {
            cumulative += bucketCounts[i];
            current.fields().put("le=" + (i < bounds.length ? Double.toString(bounds[i]) : "+Inf"), cumulative);
        }
        current.fields().put("count", cumulative);
        current.fields().put("sum", sum);
        if (cumulative > 0) {
            current.fields().put("min", min);
            current.fields().put("max", max);
        }
        return this;
    }

    /** @return every point written, in order */
    public List<Point> points() {
        return points;
    }

    /**
     * @param measurement a measurement
     * @return the points with this measurement
     */
    public List<Point> named(String measurement) {
        return points.stream().filter(p -> p.measurement().equals(measurement)).collect(Collectors.toList());
    }

    /** @return the only point with this measurement and tag */
    public Point one(String measurement, String tagKey, String tagValue) {
        List<Point> found = points.stream()
                .filter(p -> p.measurement().equals(measurement) && tagValue.equals(p.tags().get(tagKey)))
                .collect(Collectors.toList());
        if (found.size() != 1) {
            throw new AssertionError("expected one " + measurement + "," + tagKey + "=" + tagValue + " in " + points);
        }
        return found.get(0);
    }
}
