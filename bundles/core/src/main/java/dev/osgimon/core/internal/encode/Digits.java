package dev.osgimon.core.internal.encode;

/**
 * Writes integers as ASCII decimal digits into a byte array, two digits per step from a table of
 * digit pairs; the one digit writer of the line renderer and of {@link ShortestDouble}.
 * Allocation-free.
 */
final class Digits {

    /** The most bytes one signed long takes: sign and 19 digits; an unsigned one takes 20 digits. */
    static final int MAX_LONG_LENGTH = 20;

    private static final byte[] PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    private static final long[] POW10 = new long[19];

    static {
        long p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private static final byte[] MIN_VALUE = {'-', '9', '2', '2', '3', '3', '7', '2', '0', '3', '6', '8', '5', '4', '7',
        '7', '5', '8', '0', '8'};

    private Digits() {
    }

    /**
     * Decimal digits of a non-negative long: log10 from the bit length (1233/4096 ~ log10(2)), then
     * one comparison.
     *
     * @param v a value {@code >= 0}
     * @return how many digits it has (1 for 0)
     */
    static int length(long v) {
        int d = (64 - Long.numberOfLeadingZeros(v)) * 1233 >>> 12;
        return d < 19 && v >= POW10[d] ? d + 1 : Math.max(d, 1);
    }

    /**
     * Writes a signed long; the caller makes room for {@link #MAX_LONG_LENGTH} bytes.
     *
     * @return the index after the last byte written
     */
    static int writeLong(long v, byte[] into, int at) {
        if (v == Long.MIN_VALUE) {
            System.arraycopy(MIN_VALUE, 0, into, at, MIN_VALUE.length);
            return at + MIN_VALUE.length;
        }
        if (v < 0) {
            into[at++] = '-';
            v = -v;
        }
        int n = length(v);
        write(v, n, into, at);
        return at + n;
    }

    /**
     * Writes a long read as unsigned; the caller makes room for {@link #MAX_LONG_LENGTH} bytes.
     *
     * @return the index after the last byte written
     */
    static int writeUnsigned(long v, byte[] into, int at) {
        if (v >= 0) {
            return writeLong(v, into, at);
        }
        // above 2^63-1 as unsigned: split off the last digit
        long quotient = (v >>> 1) / 5;
        int last = (int) (v - quotient * 10);
        at = writeLong(quotient, into, at);
        into[at] = (byte) ('0' + last);
        return at + 1;
    }

    /**
     * Writes the {@code n} digits of {@code 0 <= v}, {@code n == length(v)}, from the right.
     *
     * @param v the value
     * @param n its number of digits
     * @param into the buffer
     * @param at where the first digit goes
     */
    static void write(long v, int n, byte[] into, int at) {
        int i = at + n;
        while (v >= 100_000_000L) {
            // peel off 8 digits with one long division, then write them in pairs with int arithmetic
            long q = v / 100_000_000L;
            int r = (int) (v - q * 100_000_000L);
            // split into two halves of 4 digits first: two short chains of divisions instead of one long one
            int hi = r / 10_000;
            int lo = r - hi * 10_000;
            int hi1 = hi / 100;
            int lo1 = lo / 100;
            int pair = (lo - lo1 * 100) << 1;
            into[--i] = PAIRS[pair + 1];
            into[--i] = PAIRS[pair];
            pair = lo1 << 1;
            into[--i] = PAIRS[pair + 1];
            into[--i] = PAIRS[pair];
            pair = (hi - hi1 * 100) << 1;
            into[--i] = PAIRS[pair + 1];
            into[--i] = PAIRS[pair];
            pair = hi1 << 1;
            into[--i] = PAIRS[pair + 1];
            into[--i] = PAIRS[pair];
            v = q;
        }
        int r = (int) v;
        while (r >= 100) {
            int q2 = r / 100;
            int pair = (r - q2 * 100) << 1;
            into[--i] = PAIRS[pair + 1];
            into[--i] = PAIRS[pair];
            r = q2;
        }
        if (r >= 10) {
            into[--i] = PAIRS[(r << 1) + 1];
            into[--i] = PAIRS[r << 1];
        } else {
            into[--i] = (byte) ('0' + r);
        }
    }
}
