package dev.osgimon.api.transport;

/**
 * A bounded FIFO of complete line-protocol lines in one growable byte ring, for {@link Transport}
 * implementations that keep lines while their target is unreachable.
 *
 * <p>It holds at most {@code capacity} lines; adding one more drops the oldest, which is counted
 * ({@link #dropped()}). The ring grows to the largest backlog seen and is then reused, so steady
 * operation allocates nothing. Every line that ever left the front (sent and removed, or dropped)
 * advances {@link #front()}, which lets a sender tell whether the lines it copied out were dropped
 * meanwhile. Not thread-safe: callers lock.
 */
public final class LineBuffer {

    private final int capacity;
    private final int[] lengths;
    private int firstLine;
    private int lineCount;

    private byte[] ring;
    private int head;
    private int byteCount;

    private long dropped;
    private long front;

    /**
     * Creates an empty buffer.
     *
     * @param capacity the most lines kept, at least 1
     * @throws IllegalArgumentException if {@code capacity} is below 1
     */
    public LineBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("bufferLines must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.lengths = new int[capacity];
        this.ring = new byte[Math.min(1 << 16, Math.max(1024, capacity * 128))];
    }

    /** @return the most lines kept */
    public int capacity() {
        return capacity;
    }

    /** @return the lines held now */
    public int lines() {
        return lineCount;
    }

    /** @return the bytes held now */
    public int bytes() {
        return byteCount;
    }

    /** @return whether no line is held */
    public boolean isEmpty() {
        return lineCount == 0;
    }

    /** @return the lines dropped so far because the buffer was full */
    public long dropped() {
        return dropped;
    }

    /** @return how many lines ever left the front, sent or dropped */
    public long front() {
        return front;
    }

    /**
     * Adds the lines of {@code buf[off, off + len)}, each ending in {@code \n}; trailing bytes
     * without a terminator become a line of their own (a {@code \n} is added). Drops the oldest
     * lines beyond the capacity.
     *
     * @param buf the bytes
     * @param off where they start
     * @param len how many
     * @return how many old lines this call dropped
     */
    public int add(byte[] buf, int off, int len) {
        long droppedBefore = dropped;
        int end = off + len;
        int start = off;
        for (int i = off; i < end; i++) {
            if (buf[i] == '\n') {
                addLine(buf, start, i + 1 - start, false);
                start = i + 1;
            }
        }
        if (start < end) {
            addLine(buf, start, end - start, true);
        }
        return (int) (dropped - droppedBefore);
    }

    private void addLine(byte[] buf, int off, int len, boolean terminate) {
        if (lineCount == capacity) {
            removeFirstLine();
            dropped++;
        }
        int total = terminate ? len + 1 : len;
        ensureRoom(total);
        int tail = (head + byteCount) % ring.length;
        int first = Math.min(len, ring.length - tail);
        System.arraycopy(buf, off, ring, tail, first);
        System.arraycopy(buf, off + first, ring, 0, len - first);
        if (terminate) {
            ring[(tail + len) % ring.length] = '\n';
        }
        byteCount += total;
        lengths[(firstLine + lineCount) % capacity] = total;
        lineCount++;
    }

    private void ensureRoom(int len) {
        if (byteCount + len <= ring.length) {
            return;
        }
        byte[] bigger = new byte[Math.max(ring.length * 2, byteCount + len)];
        copyOut(byteCount, bigger, 0);
        ring = bigger;
        head = 0;
    }

    private void removeFirstLine() {
        int len = lengths[firstLine];
        head = (head + len) % ring.length;
        byteCount -= len;
        firstLine = (firstLine + 1) % capacity;
        lineCount--;
        front++;
        if (lineCount == 0) {
            head = 0;
        }
    }

    /**
     * The byte length of the first {@code n} lines.
     *
     * @param n how many lines, at most {@link #lines()}
     * @return their bytes
     */
    public int bytesOf(int n) {
        int bytes = 0;
        for (int i = 0; i < n; i++) {
            bytes += lengths[(firstLine + i) % capacity];
        }
        return bytes;
    }

    /** @return the length of the first line, or 0 when empty */
    public int firstLineLength() {
        return lineCount == 0 ? 0 : lengths[firstLine];
    }

    /**
     * Copies whole lines from the front, at most {@code maxBytes} bytes (but at least one line if it
     * fits {@code into}), into {@code into} without removing them.
     *
     * @param into where to copy
     * @param maxBytes the most bytes wanted
     * @return how many lines were copied; their byte count is {@link #bytesOf(int)}
     */
    public int peek(byte[] into, int maxBytes) {
        int n = 0;
        int bytes = 0;
        while (n < lineCount) {
            int len = lengths[(firstLine + n) % capacity];
            if ((n > 0 && bytes + len > maxBytes) || bytes + len > into.length) {
                break;
            }
            bytes += len;
            n++;
        }
        copyOut(bytes, into, 0);
        return n;
    }

    /**
     * Copies the first {@code n} bytes (whole lines: see {@link #bytesOf(int)}) to {@code dst}.
     *
     * @param n how many bytes
     * @param dst where to copy
     * @param at where in {@code dst}
     */
    public void copyOut(int n, byte[] dst, int at) {
        int first = Math.min(n, ring.length - head);
        System.arraycopy(ring, head, dst, at, first);
        System.arraycopy(ring, 0, dst, at + first, n - first);
    }

    /**
     * Removes the first {@code n} lines (at most all), e.g. once they were sent.
     *
     * @param n how many
     */
    public void remove(int n) {
        for (int i = Math.min(n, lineCount); i > 0; i--) {
            removeFirstLine();
        }
    }

    /** Removes every line. */
    public void clear() {
        remove(lineCount);
    }

    /** @return a copy of every line's bytes, in order */
    public byte[] toBytes() {
        byte[] out = new byte[byteCount];
        copyOut(byteCount, out, 0);
        return out;
    }

    /**
     * Hands every line to {@code sink} in order and empties the buffer.
     *
     * @param sink where the lines go
     */
    public void drainTo(LineSink sink) {
        if (lineCount == 0) {
            return;
        }
        byte[] all = toBytes();
        int lines = lineCount;
        clear();
        sink.send(all, 0, all.length, lines);
    }

    @Override
    public String toString() {
        return "LineBuffer[lines=" + lineCount + "/" + capacity + ", bytes=" + byteCount + ", dropped=" + dropped
                + ", ring=" + ring.length + "]";
    }
}
