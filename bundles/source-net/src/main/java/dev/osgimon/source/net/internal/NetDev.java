package dev.osgimon.source.net.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

import dev.osgimon.procfs.internal.ProcNumbers;

/**
 * Parses {@code /proc/net/dev} and keeps one monotonic counter set per interface.
 *
 * <p>The column layout is read from the second header line ({@code face |bytes packets ...|bytes
 * packets ...}), so unknown or reordered columns are tolerated; a header that cannot be read falls
 * back to the kernel's classic layout. Interfaces that disappear are forgotten; a counter that
 * goes backwards is taken as a 32-bit wrap when that explains a small step, else as a reset (the
 * interface was re-created), and the reported value keeps growing either way. Allocates only when
 * an interface appears. Not thread-safe.
 */
final class NetDev {

    /** The reported fields, Telegraf's {@code net} names, in this order. */
    static final String[] FIELDS = {
        "bytes_recv", "packets_recv", "err_in", "drop_in", "bytes_sent", "packets_sent", "err_out", "drop_out",
    };

    private static final int MAX_COLUMNS = 64;
    private static final long WRAP_32 = 1L << 32;
    private static final byte[][] COLUMNS = {ascii("bytes"), ascii("packets"), ascii("errs"), ascii("drop")};

    /** Column (0-based, after the interface name) to field index, -1 when not reported. */
    private final int[] columnField = new int[MAX_COLUMNS];
    private final long[] raw = new long[FIELDS.length];
    private final List<Iface> ifaces = new ArrayList<>();
    private final Predicate<String> include;
    private int columns;
    private int cycle;

    /**
     * @param include which interface names to report (decided once, when an interface appears)
     */
    NetDev(Predicate<String> include) {
        this.include = include;
    }

    /**
     * Parses the file's content and updates every interface.
     *
     * @param b the bytes
     * @param len how many of them
     */
    void update(byte[] b, int len) {
        cycle++;
        int i = 0;
        boolean layout = false;
        while (i < len) {
            int end = i;
            while (end < len && b[end] != '\n') {
                end++;
            }
            int colon = indexOf(b, i, end, ':');
            int bar = indexOf(b, i, end, '|');
            if (bar < end && colon == end) {
                if (!layout) {
                    layout = header(b, i, end);
                }
            } else if (colon < end) {
                if (!layout) {
                    classicLayout();
                    layout = true;
                }
                row(b, i, colon, end);
            }
            i = end + 1;
        }
        for (int k = ifaces.size() - 1; k >= 0; k--) {
            if (ifaces.get(k).seen != cycle) {
                ifaces.remove(k);
            }
        }
    }

    /** @return the interfaces present at the last update, reported or not */
    List<Iface> interfaces() {
        return ifaces;
    }

    private boolean header(byte[] b, int from, int to) {
        int bar1 = indexOf(b, from, to, '|');
        int bar2 = indexOf(b, bar1 + 1, to, '|');
        if (bar1 == to || bar2 == to) {
            return false;
        }
        Arrays.fill(columnField, -1);
        columns = 0;
        int known = section(b, bar1 + 1, bar2, 0) + section(b, bar2 + 1, to, 4);
        return known > 0;
    }

    /** Maps one section's columns; returns how many of them are reported. */
    private int section(byte[] b, int from, int to, int fieldOffset) {
        int known = 0;
        int i = from;
        while (i < to) {
            int start = ProcNumbers.skipBlanks(b, i, to);
            i = ProcNumbers.columnEnd(b, start, to);
            if (start < i && columns < MAX_COLUMNS) {
                for (int c = 0; c < COLUMNS.length; c++) {
                    if (Arrays.equals(b, start, i, COLUMNS[c], 0, COLUMNS[c].length)) {
                        columnField[columns] = fieldOffset + c;
                        known++;
                    }
                }
                columns++;
            }
        }
        return known;
    }

    private void classicLayout() {
        Arrays.fill(columnField, -1);
        for (int c = 0; c < 4; c++) {
            columnField[c] = c;
            columnField[8 + c] = 4 + c;
        }
        columns = 16;
    }

    private void row(byte[] b, int from, int colon, int to) {
        int nameStart = from;
        while (nameStart < colon && ProcNumbers.isBlank(b[nameStart])) {
            nameStart++;
        }
        int nameEnd = colon;
        while (nameEnd > nameStart && ProcNumbers.isBlank(b[nameEnd - 1])) {
            nameEnd--;
        }
        if (nameStart == nameEnd) {
            return;
        }
        Arrays.fill(raw, -1);
        int column = 0;
        int i = colon + 1;
        while (i < to && column < columns) {
            int start = ProcNumbers.skipBlanks(b, i, to);
            if (start == to) {
                break;
            }
            i = ProcNumbers.columnEnd(b, start, to);
            long v = ProcNumbers.decimal(b, start, i);
            int field = columnField[column++];
            if (v >= 0 && field >= 0) {
                raw[field] = v;
            }
        }
        Iface iface = find(b, nameStart, nameEnd);
        if (iface == null) {
            String name = new String(b, nameStart, nameEnd - nameStart, StandardCharsets.ISO_8859_1);
            iface = new Iface(name, include.test(name));
            ifaces.add(iface);
        }
        iface.seen = cycle;
        iface.update(raw);
    }

    private Iface find(byte[] b, int from, int to) {
        for (int k = 0; k < ifaces.size(); k++) {
            Iface f = ifaces.get(k);
            if (Arrays.equals(b, from, to, f.nameBytes, 0, f.nameBytes.length)) {
                return f;
            }
        }
        return null;
    }

    private static int indexOf(byte[] b, int from, int to, char c) {
        int i = from;
        while (i < to && b[i] != c) {
            i++;
        }
        return i;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** One interface: its name and its monotonic counters. */
    static final class Iface {
        final String name;
        final boolean included;
        private final byte[] nameBytes;
        private final long[] last = new long[FIELDS.length];
        private final long[] total = new long[FIELDS.length];
        private int seen;

        Iface(String name, boolean included) {
            this.name = name;
            this.included = included;
            this.nameBytes = name.getBytes(StandardCharsets.ISO_8859_1);
            Arrays.fill(last, -1);
            Arrays.fill(total, -1);
        }

        private void update(long[] raw) {
            for (int f = 0; f < raw.length; f++) {
                long now = raw[f];
                if (now < 0) {
                    continue;
                }
                long before = last[f];
                if (before < 0) {
                    total[f] = now;
                } else if (now >= before) {
                    total[f] += now - before;
                } else if (before < WRAP_32 && WRAP_32 - before + now < (WRAP_32 >>> 1)) {
                    total[f] += WRAP_32 - before + now;
                } else {
                    total[f] += now;
                }
                last[f] = now;
            }
        }

        /**
         * @param field index into {@link NetDev#FIELDS}
         * @return the monotonic value, or -1 if the column was never present
         */
        long get(int field) {
            return total[field];
        }
    }
}
