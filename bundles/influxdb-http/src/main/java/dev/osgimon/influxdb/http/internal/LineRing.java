package dev.osgimon.influxdb.http.internal;

/**
 * A bounded FIFO of complete lines kept in one byte ring plus a ring of line lengths. Adding a
 * line when {@code capacity} lines are held drops the oldest. The byte ring grows to the largest
 * backlog seen and is reused afterwards, so steady operation allocates nothing. Not thread-safe.
 */
final class LineRing {

    private final int capacity;
    private final int[] lengths;
    private int firstLine;
    private int lines;

    private byte[] ring;
    private int head;
    private int bytes;

    LineRing(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("bufferLines must be at least 1: " + capacity);
        }
        this.capacity = capacity;
        this.lengths = new int[capacity];
        this.ring = new byte[(int) Math.min(1 << 16, Math.max(1024L, capacity * 64L))];
    }

    int size() {
        return lines;
    }

    int capacity() {
        return capacity;
    }

    /**
     * Appends the complete lines (each ending in {@code \n}) of {@code buf[off, off + len)}; bytes
     * after the last newline are ignored.
     *
     * @return how many old lines were dropped to make room
     */
    int add(byte[] buf, int off, int len) {
        int dropped = 0;
        int start = off;
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (buf[i] == '\n') {
                if (lines == capacity) {
                    removeFirst(1);
                    dropped++;
                }
                append(buf, start, i + 1 - start);
                start = i + 1;
            }
        }
        return dropped;
    }

    private void append(byte[] buf, int off, int len) {
        if (bytes + len > ring.length) {
            grow(bytes + len);
        }
        int tail = (head + bytes) % ring.length;
        int first = Math.min(len, ring.length - tail);
        System.arraycopy(buf, off, ring, tail, first);
        System.arraycopy(buf, off + first, ring, 0, len - first);
        bytes += len;
        lengths[(firstLine + lines) % capacity] = len;
        lines++;
    }

    private void grow(int needed) {
        byte[] bigger = new byte[Math.max(needed, ring.length * 2)];
        copyOut(bytes, bigger, 0);
        ring = bigger;
        head = 0;
    }

    /** The number of bytes of the first {@code count} lines. */
    int bytesOf(int count) {
        int sum = 0;
        for (int i = 0; i < count; i++) {
            sum += lengths[(firstLine + i) % capacity];
        }
        return sum;
    }

    /** Copies the first {@code n} bytes (whole lines, see {@link #bytesOf}) to {@code dst[at…]}. */
    void copyOut(int n, byte[] dst, int at) {
        int first = Math.min(n, ring.length - head);
        System.arraycopy(ring, head, dst, at, first);
        System.arraycopy(ring, 0, dst, at + first, n - first);
    }

    /** Forgets the first {@code count} lines (at most all). */
    void removeFirst(int count) {
        int n = Math.min(count, lines);
        int len = bytesOf(n);
        head = (head + len) % ring.length;
        bytes -= len;
        firstLine = (firstLine + n) % capacity;
        lines -= n;
        if (lines == 0) {
            head = 0;
        }
    }

    /** Forgets every line. */
    void clear() {
        removeFirst(lines);
    }

    /** A copy of every line's bytes, in order. */
    byte[] toBytes() {
        byte[] out = new byte[bytes];
        copyOut(bytes, out, 0);
        return out;
    }

    @Override
    public String toString() {
        return "LineRing[" + lines + "/" + capacity + " lines, " + bytes + " bytes]";
    }
}
