package dev.osgimon.source.net.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

import dev.osgimon.procfs.internal.ProcNumbers;

/**
 * Parses the TCP and UDP counters of {@code /proc/net/snmp}: per protocol a header line
 * ({@code Tcp: RtoAlgorithm RtoMin ...}) followed by a value line ({@code Tcp: 1 200 ...}).
 *
 * <p>Field names are Telegraf's: {@code tcp_} or {@code udp_} plus the lower-cased column name.
 * They are built from the header and kept while the header stays the same, so a steady file
 * is parsed without allocating. Unknown columns are simply more fields; a value line shorter than
 * its header reports only the columns it has; a value that is not a number is left out.
 * Not thread-safe.
 */
final class NetSnmp {

    private static final int MAX_COLUMNS = 128;

    private final Protocol[] protocols = {new Protocol("Tcp", "tcp_"), new Protocol("Udp", "udp_")};

    /**
     * Parses the file's content; protocols not found report nothing.
     *
     * @param b the bytes
     * @param len how many of them
     */
    void update(byte[] b, int len) {
        for (Protocol p : protocols) {
            p.count = 0;
            p.headerSeen = false;
        }
        int i = 0;
        while (i < len) {
            int end = i;
            while (end < len && b[end] != '\n') {
                end++;
            }
            for (Protocol p : protocols) {
                int prefix = p.prefix.length;
                if (end - i > prefix && Arrays.equals(b, i, i + prefix, p.prefix, 0, prefix)) {
                    if (!p.headerSeen) {
                        p.header(b, i + prefix, end);
                        p.headerSeen = true;
                    } else {
                        p.values(b, i + prefix, end);
                    }
                }
            }
            i = end + 1;
        }
    }

    /** @return the number of fields of the last update (TCP first, then UDP) */
    int size() {
        int n = 0;
        for (Protocol p : protocols) {
            n += p.count;
        }
        return n;
    }

    /**
     * @param index 0 ≤ index &lt; {@link #size()}
     * @return the field name, e.g. {@code tcp_activeopens}
     */
    String name(int index) {
        for (Protocol p : protocols) {
            if (index < p.count) {
                return p.names[index];
            }
            index -= p.count;
        }
        throw new IndexOutOfBoundsException(index);
    }

    /**
     * @param index 0 ≤ index &lt; {@link #size()}
     * @return whether the value line had a number for this field
     */
    boolean present(int index) {
        for (Protocol p : protocols) {
            if (index < p.count) {
                return p.present[index];
            }
            index -= p.count;
        }
        throw new IndexOutOfBoundsException(index);
    }

    /**
     * @param index 0 ≤ index &lt; {@link #size()}
     * @return the field value
     */
    long value(int index) {
        for (Protocol p : protocols) {
            if (index < p.count) {
                return p.values[index];
            }
            index -= p.count;
        }
        throw new IndexOutOfBoundsException(index);
    }

    private static final class Protocol {
        final byte[] prefix;
        final String fieldPrefix;
        byte[] header = new byte[0];
        String[] names = new String[0];
        final long[] values = new long[MAX_COLUMNS];
        final boolean[] present = new boolean[MAX_COLUMNS];
        int headerColumns;
        int count;
        boolean headerSeen;

        Protocol(String name, String fieldPrefix) {
            this.prefix = (name + ":").getBytes(StandardCharsets.US_ASCII);
            this.fieldPrefix = fieldPrefix;
        }

        void header(byte[] b, int from, int to) {
            if (Arrays.equals(b, from, to, header, 0, header.length)) {
                return;
            }
            header = Arrays.copyOfRange(b, from, to);
            String[] parsed = new String[MAX_COLUMNS];
            int n = 0;
            int i = from;
            while (i < to && n < MAX_COLUMNS) {
                int start = ProcNumbers.skipBlanks(b, i, to);
                i = ProcNumbers.columnEnd(b, start, to);
                if (start < i) {
                    parsed[n++] = fieldPrefix
                            + new String(b, start, i - start, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
                }
            }
            names = Arrays.copyOf(parsed, n);
            headerColumns = n;
        }

        void values(byte[] b, int from, int to) {
            int n = 0;
            int i = from;
            while (i < to && n < headerColumns) {
                int start = ProcNumbers.skipBlanks(b, i, to);
                if (start == to) {
                    break;
                }
                i = ProcNumbers.columnEnd(b, start, to);
                long v = ProcNumbers.decimal(b, start, i);
                present[n] = v != ProcNumbers.NOT_A_NUMBER;
                values[n] = present[n] ? v : 0;
                n++;
            }
            count = n;
        }
    }
}
