package dev.osgimon.core.internal.delivery;

/** A reusable byte area the outbox fills with the batches it sends. Sender thread only. */
final class Chunk {

    byte[] bytes;
    int length;
    long lines;
    int batches;

    Chunk(int size) {
        this.bytes = new byte[size];
    }

    void clear() {
        length = 0;
        lines = 0;
        batches = 0;
    }

    /** Makes room for {@code more} bytes after {@link #length}. */
    void ensure(int more) {
        if (length + more > bytes.length) {
            byte[] bigger = new byte[Math.max(bytes.length * 2, length + more)];
            System.arraycopy(bytes, 0, bigger, 0, length);
            bytes = bigger;
        }
    }

    void add(byte[] buf, int off, int len, int lines) {
        ensure(len);
        System.arraycopy(buf, off, bytes, length, len);
        length += len;
        this.lines += lines;
        batches++;
    }
}
