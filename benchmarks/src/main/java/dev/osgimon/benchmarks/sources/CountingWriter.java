package dev.osgimon.benchmarks.sources;

import dev.osgimon.api.PointWriter;

/** A {@link PointWriter} that only counts and folds the values, so nothing is optimised away. */
final class CountingWriter implements PointWriter {

    long points;
    long fields;
    long fold;

    @Override
    public PointWriter point(String measurement) {
        points++;
        fold += measurement.length();
        return this;
    }

    @Override
    public PointWriter tag(String key, CharSequence value) {
        fold += value == null ? 0 : value.length();
        return this;
    }

    @Override
    public PointWriter histogram(double[] bounds, long[] bucketCounts, double sum, double min, double max) {
        fields += bucketCounts.length;
        fold += bucketCounts[bucketCounts.length - 1];
        return this;
    }

    @Override
    public PointWriter field(String key, long value) {
        fields++;
        fold ^= value;
        return this;
    }

    @Override
    public PointWriter fieldUnsigned(String key, long value) {
        fields++;
        fold ^= value;
        return this;
    }

    @Override
    public PointWriter field(String key, double value) {
        fields++;
        fold ^= Double.doubleToRawLongBits(value);
        return this;
    }

    @Override
    public PointWriter field(String key, boolean value) {
        fields++;
        fold ^= value ? 1 : 0;
        return this;
    }

    @Override
    public PointWriter field(String key, CharSequence value) {
        fields++;
        fold += value == null ? 0 : value.length();
        return this;
    }
}
