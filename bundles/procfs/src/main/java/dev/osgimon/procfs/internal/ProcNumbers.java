package dev.osgimon.procfs.internal;

/**
 * The one parser of the decimal numbers in {@code /proc} files: reads straight from the bytes of a
 * {@link ProcFile}, without allocating. Every number has at most {@value #MAX_DIGITS} digits, so
 * that it fits a {@code long} without overflow; longer ones are not numbers.
 */
public final class ProcNumbers {

    /** What {@link #decimal} returns for bytes that are not a number. */
    public static final long NOT_A_NUMBER = Long.MIN_VALUE;

    /** The most digits of a number. */
    public static final int MAX_DIGITS = 18;

    private ProcNumbers() {
    }

    /**
     * Parses {@code b[from, to)} as an optional {@code -} followed by 1 to {@value #MAX_DIGITS}
     * decimal digits, and nothing else.
     *
     * @param b the bytes
     * @param from the first byte of the number
     * @param to the end of the number (exclusive)
     * @return the number, or {@link #NOT_A_NUMBER}
     */
    public static long decimal(byte[] b, int from, int to) {
        int i = from;
        boolean negative = i < to && b[i] == '-';
        if (negative) {
            i++;
        }
        int digits = to - i;
        if (digits < 1 || digits > MAX_DIGITS) {
            return NOT_A_NUMBER;
        }
        long v = 0;
        for (; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return NOT_A_NUMBER;
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }

    /**
     * @param b the bytes
     * @param from where to start
     * @param to where to stop (exclusive)
     * @return the index of the first byte in {@code [from, to)} that is not a decimal digit, or {@code to}
     */
    public static int digitsEnd(byte[] b, int from, int to) {
        int i = from;
        while (i < to && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        return i;
    }

    /**
     * @param c a byte
     * @return whether it separates the columns of a {@code /proc} table: space, tab or carriage return
     */
    public static boolean isBlank(byte c) {
        return c == ' ' || c == '\t' || c == '\r';
    }

    /**
     * @param b the bytes
     * @param from where to start
     * @param to where to stop (exclusive)
     * @return the index of the first byte in {@code [from, to)} that is not {@link #isBlank blank}, or {@code to}
     */
    public static int skipBlanks(byte[] b, int from, int to) {
        int i = from;
        while (i < to && isBlank(b[i])) {
            i++;
        }
        return i;
    }

    /**
     * @param b the bytes
     * @param from where to start
     * @param to where to stop (exclusive)
     * @return the index of the first {@link #isBlank blank} byte in {@code [from, to)}, or {@code to}
     */
    public static int columnEnd(byte[] b, int from, int to) {
        int i = from;
        while (i < to && !isBlank(b[i])) {
            i++;
        }
        return i;
    }
}
