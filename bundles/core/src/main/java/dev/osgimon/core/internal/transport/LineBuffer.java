package dev.osgimon.core.internal.transport;

import java.util.Arrays;

import dev.osgimon.api.transport.LineSink;

/**
 * A bounded FIFO of complete lines in one growable byte ring. When it holds {@code capacity}
 * lines, adding one drops the oldest (counted). The ring grows to the largest backlog seen and is
 * then reused, so steady operation allocates nothing. Not thread-safe: callers lock.
 */
final class LineBuffer {

    private final int capacity;
    private final int[] lengths;
    private int firstLine;
    private int lineCount;

    private byte[] ring;
    private int head;
    private int byteCount;

    private long dropped;
    private long front;

    LineBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("bufferLines must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.lengths = new int[capacity];
        this.ring = new byte[Math.min(1 << 16, Math.max(1024, capacity * 128))];
    }

    int capacity() {
        return capacity;
    }

    int lines() {
        return lineCount;
    }

    int bytes() {
        return byteCount;
    }

    long dropped() {
        return dropped;
    }

    boolean isEmpty() {
        return lineCount == 0;
    }

    /** Adds {@code lines} complete lines from {@code buf}, dropping the oldest lines beyond capacity. */
    void add(byte[] buf, int off, int len, int lines) {
        int end = off + len;
        int start = off;
        for (int i = off; i < end; i++) {
            if (buf[i] == '\n') {
                addLine(buf, start, i + 1 - start);
                start = i + 1;
            }
        }
        if (start < end) {
            // a last line without its terminator: keep it whole
            addLine(buf, start, end - start);
        }
    }

    private void addLine(byte[] buf, int off, int len) {
        if (lineCount == capacity) {
            dropOldest();
            dropped++;
        }
        ensureRoom(len);
        int tail = (head + byteCount) % ring.length;
        int first = Math.min(len, ring.length - tail);
        System.arraycopy(buf, off, ring, tail, first);
        System.arraycopy(buf, off + first, ring, 0, len - first);
        byteCount += len;
        lengths[(firstLine + lineCount) % capacity] = len;
        lineCount++;
    }

    private void ensureRoom(int len) {
        if (byteCount + len <= ring.length) {
            return;
        }
        byte[] bigger = new byte[Math.max(ring.length * 2, byteCount + len)];
        copyOut(0, byteCount, bigger, 0);
        ring = bigger;
        head = 0;
    }

    private void dropOldest() {
        int len = lengths[firstLine];
        head = (head + len) % ring.length;
        byteCount -= len;
        firstLine = (firstLine + 1) % capacity;
        lineCount--;
        front++;
    }

    /** How many lines ever left the front (sent or dropped): a line's sequence number base. */
    long front() {
        return front;
    }

    /**
     * Copies whole lines from the front, at most {@code maxBytes} bytes (but at least one line),
     * into {@code into} without removing them.
     *
     * @return how many lines were copied; their byte count is {@link #bytesOf(int)}
     */
    int peek(byte[] into, int maxBytes) {
        int n = 0;
        int bytes = 0;
        while (n < lineCount) {
            int len = lengths[(firstLine + n) % capacity];
            if (n > 0 && bytes + len > maxBytes) {
                break;
            }
            if (bytes + len > into.length) {
                break;
            }
            bytes += len;
            n++;
        }
        copyOut(0, bytes, into, 0);
        return n;
    }

    /** The byte length of the first {@code n} lines. */
    int bytesOf(int n) {
        int bytes = 0;
        for (int i = 0; i < n; i++) {
            bytes += lengths[(firstLine + i) % capacity];
        }
        return bytes;
    }

    /** Length of the first line, or 0. */
    int firstLineLength() {
        return lineCount == 0 ? 0 : lengths[firstLine];
    }

    /** Removes the first {@code n} lines (they were sent). */
    void remove(int n) {
        for (int i = 0; i < n && lineCount > 0; i++) {
            dropOldest();
        }
    }

    /** Hands every line to {@code sink} in order and empties the buffer. */
    void drainTo(LineSink sink) {
        if (lineCount == 0) {
            return;
        }
        byte[] all = new byte[byteCount];
        copyOut(0, byteCount, all, 0);
        int lines = lineCount;
        remove(lineCount);
        sink.send(all, 0, all.length, lines);
    }

    private void copyOut(int from, int len, byte[] into, int at) {
        int start = (head + from) % ring.length;
        int first = Math.min(len, ring.length - start);
        System.arraycopy(ring, start, into, at, first);
        System.arraycopy(ring, 0, into, at + first, len - first);
    }

    @Override
    public String toString() {
        return "LineBuffer[lines=" + lineCount + "/" + capacity + ", bytes=" + byteCount + ", dropped=" + dropped
                + ", ring=" + ring.length + "]";
    }

    static byte[] grow(byte[] b, int min) {
        return b.length >= min ? b : Arrays.copyOf(b, Math.max(min, b.length * 2));
    }
}
