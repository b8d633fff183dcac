package dev.osgimon.prometheus.internal;

/**
 * One series of a family: its labels (names already mapped, values as written) and its value, or
 * for a histogram its cumulative buckets, sum and count. Immutable once built; the label arrays are
 * shared by the series of one point.
 */
final class Series {

    /** How {@link #bits} holds the value. */
    static final byte LONG = 0;
    static final byte UNSIGNED = 1;
    static final byte DOUBLE = 2;

    final String[] labelNames;
    final String[] labelValues;
    /** {@link #LONG}, {@link #UNSIGNED} or {@link #DOUBLE}; unused for a histogram. */
    final byte type;
    /** The value: a long, an unsigned long, or a double's raw bits. */
    final long bits;

    /** A histogram's {@code le} label values (the last is {@code +Inf}); {@code null} otherwise. */
    final String[] le;
    /** A histogram's cumulative bucket counts, one per {@link #le}. */
    final long[] cumulative;
    final double sum;
    final long count;

    private Series(String[] labelNames, String[] labelValues, byte type, long bits, String[] le, long[] cumulative,
            double sum, long count) {
        this.labelNames = labelNames;
        this.labelValues = labelValues;
        this.type = type;
        this.bits = bits;
        this.le = le;
        this.cumulative = cumulative;
        this.sum = sum;
        this.count = count;
    }

    static Series value(String[] labelNames, String[] labelValues, byte type, long bits) {
        return new Series(labelNames, labelValues, type, bits, null, null, 0, 0);
    }

    static Series histogram(String[] labelNames, String[] labelValues, String[] le, long[] cumulative, double sum,
            long count) {
        return new Series(labelNames, labelValues, (byte) 0, 0, le, cumulative, sum, count);
    }
}
