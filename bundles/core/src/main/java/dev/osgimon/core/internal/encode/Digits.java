package dev.osgimon.core.internal.encode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Writes integers as ASCII decimal digits into a byte array: eight digits at a time in one 8-byte
 * store ({@link #eightDigits}), up to two leading ones from a table of digit pairs; the one digit
 * writer of the line renderer and of {@link ShortestDouble}.
 * Allocation-free.
 */
final class Digits {

    /** The most bytes one signed long takes: sign and 19 digits; an unsigned one takes 20 digits. */
    static final int MAX_LONG_LENGTH = 20;

    private static final byte[] PAIRS = new byte[200];
    /** A byte array written 8 bytes at a time, the first byte lowest. */
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

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
     * Writes a signed long; the caller makes room for {@link #MAX_LONG_LENGTH} bytes (the bytes of
     * that room after the returned index may have changed: see {@link #write}).
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
     * Writes a long read as unsigned; the caller makes room for {@link #MAX_LONG_LENGTH} bytes (the
     * bytes of that room after the returned index may have changed).
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
     * Writes the {@code n} digits of {@code 0 <= v}, {@code n == length(v)}: the 1 to 8 leading
     * ones, then the rest eight at a time, each group in one 8-byte store. The caller makes room for
     * {@code max(n, 8)} bytes from {@code at}: 3 to 7 leading digits are stored as a word whose bytes
     * after them the next group overwrites, or, when they are all the digits, what the caller writes
     * next (the bytes after the last digit are not the caller's yet).
     *
     * @param v the value
     * @param n its number of digits
     * @param into the buffer
     * @param at where the first digit goes
     */
    static void write(long v, int n, byte[] into, int at) {
        int groups = (n - 1) >>> 3; // whole groups of eight after the leading digits: 0, 1 or 2
        long last = 0;
        long middle = 0;
        if (groups > 0) {
            long q = v / 100_000_000L;
            last = v - q * 100_000_000L;
            v = q;
            if (groups > 1) {
                q = v / 100_000_000L;
                middle = v - q * 100_000_000L;
                v = q;
            }
        }
        int r = (int) v;
        int k = n - (groups << 3);
        if (k > 2) {
            // eight digits with leading zeros, shifted so that the first of the k is the lowest byte
            WORDS.set(into, at, eightDigits(r) >>> ((8 - k) << 3));
        } else if (k == 2) {
            into[at] = PAIRS[r << 1];
            into[at + 1] = PAIRS[(r << 1) + 1];
        } else {
            into[at] = (byte) ('0' + r);
        }
        if (groups > 1) {
            WORDS.set(into, at + k, eightDigits((int) middle));
            k += 8;
        }
        if (groups > 0) {
            WORDS.set(into, at + k, eightDigits((int) last));
        }
    }

    /**
     * The 8 ASCII digits of {@code 0 <= r < 10^8}, leading zeros included, as the bytes of a long
     * (first digit lowest): the value split into lanes of 4, then 2, then 1 digit, each lane
     * divided at once by a multiply and shift exact for its range ({@code x * 10486 >>> 20 == x / 100}
     * for {@code x < 10^4}, {@code x * 103 >>> 10 == x / 10} for {@code x < 100}).
     */
    static long eightDigits(int r) {
        int hi = r / 10_000;
        long fours = hi | (long) (r - hi * 10_000) << 32; // abcd | efgh << 32
        long hundreds = (fours * 10_486 >>> 20) & 0x0000_007F_0000_007FL; // ab, ef
        long twos = hundreds | (fours - hundreds * 100) << 16; // ab | cd << 16 | ef << 32 | gh << 48
        long tens = (twos * 103 >>> 10) & 0x000F_000F_000F_000FL; // a, c, e, g
        long ones = tens | (twos - tens * 10) << 8; // a | b << 8 | ...
        return ones + 0x3030_3030_3030_3030L;
    }
}
