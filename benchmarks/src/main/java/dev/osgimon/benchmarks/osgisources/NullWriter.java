package dev.osgimon.benchmarks.osgisources;

import org.openjdk.jmh.infra.Blackhole;

import dev.osgimon.api.PointWriter;

/** A {@link PointWriter} that hands every value to a JMH {@link Blackhole}, so nothing is optimised away. */
final class NullWriter implements PointWriter {

    private final Blackhole bh;

    NullWriter(Blackhole bh) {
        this.bh = bh;
    }

    @Override
    public PointWriter point(String measurement) {
        bh.consume(measurement);
        return this;
    }

    @Override
    public PointWriter tag(String key, CharSequence value) {
        bh.consume(value);
        return this;
    }

    @Override
    public PointWriter field(String key, long value) {
        bh.consume(value);
        return this;
    }

    @Override
    public PointWriter fieldUnsigned(String key, long value) {
        bh.consume(value);
        return this;
    }

    @Override
    public PointWriter field(String key, double value) {
        bh.consume(value);
        return this;
    }

    @Override
    public PointWriter field(String key, boolean value) {
        bh.consume(value);
        return this;
    }

    @Override
    public PointWriter field(String key, CharSequence value) {
        bh.consume(value);
        return this;
    }

    @Override
    public PointWriter histogram(double[] bounds, long[] bucketCounts, double sum, double min, double max) {
        bh.consume(bucketCounts);
        bh.consume(sum);
        return this;
    }
}
