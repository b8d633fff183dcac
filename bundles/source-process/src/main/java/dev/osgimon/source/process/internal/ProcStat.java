package dev.osgimon.source.process.internal;

import dev.osgimon.procfs.internal.ProcNumbers;

/**
 * Reads the user and system CPU time (fields 14 and 15, in clock ticks) from {@code /proc/self/stat}
 * without allocating. The command name (field 2) is in parentheses and may itself hold spaces and
 * parentheses, so counting starts after the <em>last</em> {@code ')'}.
 */
final class ProcStat {

    /** A value the file did not have. */
    static final long MISSING = -1;

    private long userTicks = MISSING;
    private long systemTicks = MISSING;

    /**
     * Parses the content of the file.
     *
     * @param b the bytes
     * @param len how many of them
     */
    void parse(byte[] b, int len) {
        userTicks = MISSING;
        systemTicks = MISSING;
        int i = len - 1;
        while (i >= 0 && b[i] != ')') {
            i--;
        }
        if (i < 0) {
            return;
        }
        // after ')' comes field 3 (state); utime is field 14, stime field 15
        int field = 2;
        i++;
        while (i < len && field < 15) {
            while (i < len && b[i] == ' ') {
                i++;
            }
            field++;
            int start = i;
            while (i < len && b[i] != ' ' && b[i] != '\n') {
                i++;
            }
            if (field == 14) {
                userTicks = number(b, start, i);
            } else if (field == 15) {
                systemTicks = number(b, start, i);
            }
        }
    }

    /** @return user CPU time in clock ticks, or {@link #MISSING} */
    long userTicks() {
        return userTicks;
    }

    /** @return system CPU time in clock ticks, or {@link #MISSING} */
    long systemTicks() {
        return systemTicks;
    }

    private static long number(byte[] b, int from, int to) {
        long v = ProcNumbers.decimal(b, from, to);
        return v < 0 ? MISSING : v;
    }
}
