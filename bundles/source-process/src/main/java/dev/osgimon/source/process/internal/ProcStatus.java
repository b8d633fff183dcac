package dev.osgimon.source.process.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.osgimon.procfs.internal.ProcNumbers;

/**
 * Parses {@code /proc/self/status} ({@code Key:\tvalue [kB]} lines) without allocating.
 *
 * <p>Defensive: unknown keys, lines without a colon, values that are not numbers, a missing unit
 * and a last line without a line break are all tolerated; a key that is absent reads as
 * {@link #MISSING}. Values in {@code kB} are converted to bytes.
 */
final class ProcStatus {

    /** The value of a key the file did not have (or not as a number). */
    static final long MISSING = -1;

    static final int VM_SIZE = 0;
    static final int VM_RSS = 1;
    static final int VM_HWM = 2;
    static final int VM_SWAP = 3;
    static final int THREADS = 4;
    static final int CTX_VOLUNTARY = 5;
    static final int CTX_INVOLUNTARY = 6;

    private static final byte[][] KEYS = {
        ascii("VmSize"), ascii("VmRSS"), ascii("VmHWM"), ascii("VmSwap"), ascii("Threads"),
        ascii("voluntary_ctxt_switches"), ascii("nonvoluntary_ctxt_switches"),
    };

    private final long[] values = new long[KEYS.length];

    ProcStatus() {
        Arrays.fill(values, MISSING);
    }

    /**
     * Parses the content of the file; keys not found become {@link #MISSING}.
     *
     * @param b the bytes
     * @param len how many of them
     */
    void parse(byte[] b, int len) {
        Arrays.fill(values, MISSING);
        int i = 0;
        while (i < len) {
            int end = i;
            while (end < len && b[end] != '\n') {
                end++;
            }
            int colon = i;
            while (colon < end && b[colon] != ':') {
                colon++;
            }
            if (colon < end) {
                int key = key(b, i, colon);
                if (key >= 0) {
                    values[key] = number(b, colon + 1, end);
                }
            }
            i = end + 1;
        }
    }

    /**
     * @param key one of the key constants
     * @return its value from the last {@link #parse}, in bytes for sizes, or {@link #MISSING}
     */
    long get(int key) {
        return values[key];
    }

    private static int key(byte[] b, int from, int to) {
        for (int k = 0; k < KEYS.length; k++) {
            byte[] name = KEYS[k];
            if (name.length == to - from && Arrays.equals(b, from, to, name, 0, name.length)) {
                return k;
            }
        }
        return -1;
    }

    /** A decimal number after blanks, optionally followed by a unit (kB, mB, gB, B). */
    private static long number(byte[] b, int from, int to) {
        int i = from;
        while (i < to && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        int end = ProcNumbers.digitsEnd(b, i, to);
        long v = ProcNumbers.decimal(b, i, end);
        if (v == ProcNumbers.NOT_A_NUMBER) {
            return MISSING;
        }
        i = end;
        while (i < to && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        if (i + 1 < to && (b[i + 1] == 'B' || b[i + 1] == 'b')) {
            switch (b[i] | 0x20) {
                case 'k':
                    return v << 10;
                case 'm':
                    return v << 20;
                case 'g':
                    return v << 30;
                default:
                    return v;
            }
        }
        return v;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
