package dev.osgimon.core.internal.encode;

import java.math.BigInteger;

/**
 * Writes a finite double as the shortest decimal that reads back as the same double, the closest
 * to it when several are equally short (what {@code Double.toString} does from Java 19 on; Java 17's
 * is sometimes a digit longer). Allocation-free.
 *
 * <p>The digits come from the Schubfach method (R. Giulietti, "The Schubfach way to render
 * doubles", 2020): the rounding interval of the double is scaled by a power of ten chosen so that
 * the interval holds at most one multiple of ten and at least one integer; 126-bit approximations
 * of the powers of ten, rounded up, and round-to-odd products keep every comparison exact.
 *
 * <p>Layout: plain notation when the decimal exponent lies in [-5, 15] ({@code 0.00012},
 * {@code 123456.789}, {@code 1000000}), scientific beyond ({@code 1.5e-7}, {@code 6.02214076e+23}).
 * Integral values carry no decimal point; the line protocol reads any number without a suffix as a
 * float. Negative zero is written {@code -0}.
 */
final class ShortestDouble {

    /** The most bytes one double takes: sign, 17 digits, point, 'e', exponent sign, 3 digits. */
    static final int MAX_LENGTH = 24;

    private static final int Q_MIN = -1074;
    private static final long C_MIN = 1L << 52;
    private static final int K_MIN = -324;
    private static final int K_MAX = 292;
    private static final long MASK_63 = (1L << 63) - 1;

    /** For k in [K_MIN, K_MAX]: g = floor(10^-k * 2^(125 - floor(log2 10^-k))) + 1, split in 63-bit halves. */
    private static final long[] G = new long[2 * (K_MAX - K_MIN + 1)];

    static {
        for (int k = K_MIN; k <= K_MAX; k++) {
            int e = -k;
            int shift = 125 - flog2pow10(e);
            BigInteger g;
            if (e >= 0) {
                BigInteger p = BigInteger.TEN.pow(e);
                g = shift >= 0 ? p.shiftLeft(shift) : p.shiftRight(-shift);
            } else {
                g = BigInteger.ONE.shiftLeft(shift).divide(BigInteger.TEN.pow(-e));
            }
            g = g.add(BigInteger.ONE);
            if (g.bitLength() != 126) {
                throw new AssertionError("power of ten table: " + k);
            }
            G[2 * (k - K_MIN)] = g.shiftRight(63).longValue();
            G[2 * (k - K_MIN) + 1] = g.longValue() & MASK_63;
        }
    }

    private ShortestDouble() {
    }

    /** floor(q * log10(2)) for |q| <= 5456721 (the constant is log10(2) * 2^41, rounded). */
    static int flog10pow2(int q) {
        return (int) (q * 661_971_961_083L >> 41);
    }

    /** floor(log10(3/4 * 2^q)) for |q| <= 5456721. */
    static int flog10threeQuartersPow2(int q) {
        return (int) (q * 661_971_961_083L - 274_743_187_321L >> 41);
    }

    /** floor(e * log2(10)) for |e| <= 1838394 (the constant is log2(10) * 2^38, rounded). */
    static int flog2pow10(int e) {
        return (int) (e * 913_124_641_741L >> 38);
    }

    /**
     * Writes {@code v} at {@code at}; the caller makes room for {@link #MAX_LENGTH} bytes.
     *
     * @param v a finite double
     * @param buf the buffer
     * @param at where to write
     * @return the index after the last byte written
     */
    static int write(double v, byte[] buf, int at) {
        long bits = Double.doubleToRawLongBits(v);
        if (bits < 0) {
            buf[at++] = '-';
        }
        long t = bits & ((1L << 52) - 1);
        int be = (int) (bits >>> 52) & 0x7FF;
        if (be == 0 && t == 0) {
            buf[at] = '0';
            return at + 1;
        }
        long c;
        int q;
        if (be != 0) {
            c = C_MIN | t;
            q = be - 1075;
            if (q <= 0 && q > -53 && (c & ((1L << -q) - 1)) == 0) {
                // an integer below 2^53: its digits are exact
                return layout(c >> -q, 0, buf, at);
            }
        } else {
            c = t;
            q = Q_MIN;
        }
        return digits(c, q, buf, at);
    }

    /** Finds the shortest, closest decimal f * 10^k in the rounding interval of c * 2^q. */
    private static int digits(long c, int q, byte[] buf, int at) {
        long out = c & 1;
        long cb = c << 2;
        long cbr = cb + 2;
        long cbl;
        int k;
        if (c != C_MIN || q == Q_MIN) {
            cbl = cb - 2;
            k = flog10pow2(q);
        } else {
            // the lower neighbour is only half as far away: the interval is lopsided
            cbl = cb - 1;
            k = flog10threeQuartersPow2(q);
        }
        int h = q + flog2pow10(-k) + 2;
        long g1 = G[2 * (k - K_MIN)];
        long g0 = G[2 * (k - K_MIN) + 1];
        long vb = roundToOdd(g1, g0, cb << h);
        long vbl = roundToOdd(g1, g0, cbl << h);
        long vbr = roundToOdd(g1, g0, cbr << h);
        long s = vb >> 2;
        if (s >= 10) {
            // is exactly one multiple of ten in the interval? then it is the shortest
            long sp10 = s / 10 * 10;
            long tp10 = sp10 + 10;
            boolean upin = vbl + out <= sp10 << 2;
            boolean wpin = (tp10 << 2) + out <= vbr;
            if (upin != wpin) {
                return layout(upin ? sp10 : tp10, k, buf, at);
            }
        }
        long tt = s + 1;
        boolean uin = vbl + out <= s << 2;
        boolean win = (tt << 2) + out <= vbr;
        if (uin != win) {
            return layout(uin ? s : tt, k, buf, at);
        }
        // both s and s + 1 are in: take the closer, the even one on a tie
        long cmp = vb - ((s + tt) << 1);
        return layout(cmp < 0 || cmp == 0 && (s & 1) == 0 ? s : tt, k, buf, at);
    }

    /** The 64 high bits of (g1 * 2^63 + g0) * cp / 2^127, with the lowest bit set when bits were lost. */
    private static long roundToOdd(long g1, long g0, long cp) {
        long x1 = Math.multiplyHigh(g0, cp);
        long y0 = g1 * cp;
        long y1 = Math.multiplyHigh(g1, cp);
        long z = (y0 >>> 1) + x1;
        long vbp = y1 + (z >>> 63);
        return vbp | ((z & MASK_63) + MASK_63) >>> 63;
    }

    /** Writes f * 10^e (f > 0) without trailing zeros in f. */
    private static int layout(long f, int e, byte[] buf, int at) {
        if (f % 10 == 0) {
            // trailing zeros (0.5 is 5000000000000000e-16): eight, four, two, one at a time
            f /= 10;
            e++;
            while (f % 100_000_000 == 0) {
                f /= 100_000_000;
                e += 8;
            }
            if (f % 10_000 == 0) {
                f /= 10_000;
                e += 4;
            }
            if (f % 100 == 0) {
                f /= 100;
                e += 2;
            }
            if (f % 10 == 0) {
                f /= 10;
                e++;
            }
        }
        int n = Digits.length(f);
        int x = e + n - 1; // the exponent of the first digit
        if (x < -5 || x > 15) {
            // d.ddd e±x
            Digits.write(f, n, buf, at + 1);
            buf[at] = buf[at + 1];
            if (n > 1) {
                buf[at + 1] = '.';
                at += n + 1;
            } else {
                at += 1;
            }
            buf[at++] = 'e';
            int ax = x;
            if (x < 0) {
                buf[at++] = '-';
                ax = -x;
            } else {
                buf[at++] = '+';
            }
            if (ax >= 100) {
                buf[at++] = (byte) ('0' + ax / 100);
                ax %= 100;
                buf[at++] = (byte) ('0' + ax / 10);
            } else if (ax >= 10) {
                buf[at++] = (byte) ('0' + ax / 10);
            }
            buf[at++] = (byte) ('0' + ax % 10);
            return at;
        }
        if (e >= 0) {
            Digits.write(f, n, buf, at);
            at += n;
            for (int z = 0; z < e; z++) {
                buf[at++] = '0';
            }
            return at;
        }
        if (x >= 0) {
            // ddd.ddd: write the digits one place right, then pull the integer part left
            Digits.write(f, n, buf, at + 1);
            System.arraycopy(buf, at + 1, buf, at, x + 1);
            buf[at + x + 1] = '.';
            return at + n + 1;
        }
        buf[at++] = '0';
        buf[at++] = '.';
        for (int z = -1; z > x; z--) {
            buf[at++] = '0';
        }
        Digits.write(f, n, buf, at);
        return at + n;
    }
}
