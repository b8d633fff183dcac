package dev.osgimon.core.internal.encode;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShortestDoubleTest {

    private static final int COUNT = 10_000_000;

    /** 1e-323 to 1e308, each the double nearest to its power of ten. */
    private static final double[] POWERS_OF_TEN = new double[632];

    static {
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = Double.parseDouble("1e" + (i - 323));
        }
    }

    private final byte[] buf = new byte[64];

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0.1, 0.1", "-2.5, -2.5", "3.0, 3", "0.0, 0", "-0.0, -0", "1e-7, 1e-7", "6.02214076e23, 6.02214076e+23",
        "123456.789, 123456.789", "308719.45533265977, 308719.45533265977", "0.3, 0.3", "2e-5, 0.00002",
        "1.0e-5, 0.00001", "9.99e-6, 9.99e-6", "1e15, 1000000000000000", "1e16, 1e+16", "1.5e300, 1.5e+300",
        "4.9e-324, 5e-324", "1.7976931348623157e308, 1.7976931348623157e+308", "2.2250738585072014E-308, 2.2250738585072014e-308",
        "9007199254740993, 9007199254740992", "0.1234567890123456789, 0.12345678901234568", "100, 100",
        "1.0E23, 1e+23", "2.0E-3, 0.002", "5.0E-324, 5e-324", "1.2345e-100, 1.2345e-100"})
    void writesTheShortestForm(double v, String expected) {
        assertThat(write(v)).isEqualTo(expected);
    }

    @Test
    void theLogarithmApproximationsAreExactOverTheRangeUsed() {
        for (int q = -1100; q <= 1100; q++) {
            assertThat(ShortestDouble.flog10pow2(q)).as("floor(log10(2^%d))", q).isEqualTo(floorLog10(q, BigInteger.ONE));
            assertThat(ShortestDouble.flog10threeQuartersPow2(q)).as("floor(log10(3/4 * 2^%d))", q)
                    .isEqualTo(floorLog10(q - 2, BigInteger.valueOf(3)));
        }
        for (int e = -400; e <= 400; e++) {
            BigInteger p = BigInteger.TEN.pow(Math.abs(e));
            int exact = e >= 0 ? p.bitLength() - 1 : -p.bitLength();
            assertThat(ShortestDouble.flog2pow10(e)).as("floor(log2(10^%d))", e).isEqualTo(exact);
        }
    }

    /** floor(log10(m * 2^q)) computed exactly: m * 2^q = m * 5^-q / 10^-q when q < 0. */
    private static int floorLog10(int q, BigInteger m) {
        if (q >= 0) {
            return m.shiftLeft(q).toString().length() - 1;
        }
        return m.multiply(BigInteger.valueOf(5).pow(-q)).toString().length() - 1 + q;
    }

    /**
     * Ten million doubles: random bit patterns, random subnormals, powers of two and ten and their
     * neighbours, decimals of few digits, the boundaries. Each must read back as the identical
     * double, and no decimal with one digit fewer may read back as it.
     */
    @Test
    void tenMillionDoublesReadBackIdenticalFromTheShortestDecimal() {
        SplittableRandom random = new SplittableRandom(20_261_130L);
        double[] boundaries = {Double.MIN_VALUE, Double.MAX_VALUE, Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL),
            Math.nextUp(Double.MIN_VALUE), Math.nextDown(Double.MAX_VALUE), 9007199254740992.0, 9007199254740993.0,
            Math.nextDown(9007199254740992.0), 1e16, Math.nextDown(1e16), 1e-5, Math.nextDown(1e-5), 1e23, 5e-324,
            Math.ulp(1.0), 1 - Math.ulp(1.0) / 2, 1 + Math.ulp(1.0), Long.MAX_VALUE, Long.MIN_VALUE};
        for (int i = 0; i < COUNT; i++) {
            double v;
            if (i < boundaries.length) {
                v = boundaries[i];
            } else {
                v = switch (i % 6) {
                    case 0, 1 -> Double.longBitsToDouble(random.nextLong());
                    case 2 -> Double.longBitsToDouble(random.nextLong(1L << 52)); // subnormal
                    case 3 -> neighbour(random, POWERS_OF_TEN[random.nextInt(POWERS_OF_TEN.length)]);
                    case 4 -> neighbour(random, Math.scalb(1.0, random.nextInt(-1074, 1024)));
                    default -> random.nextInt(1_000_000) / Math.pow(10, random.nextInt(0, 12));
                };
            }
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                continue;
            }
            v = random.nextBoolean() ? v : -v;
            String s = write(v);
            double back = Double.parseDouble(s);
            if (Double.doubleToRawLongBits(back) != Double.doubleToRawLongBits(v)) {
                throw new AssertionError(Double.toString(v) + " (bits " + Long.toHexString(Double.doubleToRawLongBits(v))
                        + ") written as " + s + " reads back as " + back);
            }
            assertNoShorterDecimalReadsBack(v, s);
        }
    }

    private static double neighbour(SplittableRandom random, double v) {
        return switch (random.nextInt(3)) {
            case 0 -> Math.nextDown(v);
            case 1 -> Math.nextUp(v);
            default -> v;
        };
    }

    /**
     * The doubles that read back as v form an interval. If a decimal with fewer digits lay in it, so
     * would one with exactly one digit fewer, and the nearest of those lie just below and above the
     * written decimal: its digits without the last one, and that plus one.
     */
    private static void assertNoShorterDecimalReadsBack(double v, String s) {
        long digits = 0;
        int count = 0;
        int exponent = 0;
        boolean point = false;
        int i = s.charAt(0) == '-' ? 1 : 0;
        for (; i < s.length() && s.charAt(i) != 'e'; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                point = true;
            } else {
                if (count > 0 || c != '0') {
                    digits = digits * 10 + (c - '0');
                    count++;
                }
                if (point) {
                    exponent--;
                }
            }
        }
        if (i < s.length()) {
            exponent += Integer.parseInt(s.substring(s.charAt(i + 1) == '+' ? i + 2 : i + 1));
        }
        while (count > 1 && digits % 10 == 0) {
            digits /= 10;
            count--;
            exponent++;
        }
        if (count <= 1) {
            return;
        }
        double abs = Math.abs(v);
        for (long candidate = digits / 10; candidate <= digits / 10 + 1; candidate++) {
            if (candidate != 0 && Double.parseDouble(candidate + "e" + (exponent + 1)) == abs) {
                throw new AssertionError(v + " written as " + s + " but " + candidate + "e" + (exponent + 1) + " is shorter");
            }
        }
    }

    private String write(double v) {
        int end = ShortestDouble.write(v, buf, 3);
        if (end - 3 > ShortestDouble.MAX_LENGTH) {
            throw new AssertionError(v + " took " + (end - 3) + " bytes");
        }
        return new String(buf, 3, end - 3, StandardCharsets.US_ASCII);
    }
}
