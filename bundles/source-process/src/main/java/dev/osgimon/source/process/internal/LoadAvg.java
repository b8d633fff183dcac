package dev.osgimon.source.process.internal;

/**
 * Reads the three load averages from {@code /proc/loadavg} ({@code 0.52 0.58 0.59 1/889 12345})
 * without allocating. A value that is not a decimal number reads as NaN, which the writer leaves out.
 */
final class LoadAvg {

    private final double[] load = new double[3];

    /**
     * Parses the content of the file.
     *
     * @param b the bytes
     * @param len how many of them
     */
    void parse(byte[] b, int len) {
        int i = 0;
        for (int k = 0; k < 3; k++) {
            while (i < len && b[i] == ' ') {
                i++;
            }
            int start = i;
            while (i < len && b[i] != ' ' && b[i] != '\n') {
                i++;
            }
            load[k] = decimal(b, start, i);
        }
    }

    /**
     * @param k 0, 1 or 2 for the 1, 5 and 15 minute average
     * @return that average from the last {@link #parse}, NaN if it could not be read
     */
    double get(int k) {
        return load[k];
    }

    private static double decimal(byte[] b, int from, int to) {
        long whole = 0;
        long frac = 0;
        long scale = 1;
        boolean dot = false;
        int digits = 0;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c == '.' && !dot) {
                dot = true;
            } else if (c >= '0' && c <= '9' && ++digits <= 15) {
                if (dot) {
                    frac = frac * 10 + (c - '0');
                    scale *= 10;
                } else {
                    whole = whole * 10 + (c - '0');
                }
            } else {
                return Double.NaN;
            }
        }
        return digits == 0 ? Double.NaN : whole + (double) frac / scale;
    }
}
