package dev.osgimon.core.internal.delivery;

/**
 * A reusable byte area the outbox fills with the batches it sends, all of one {@link #format}.
 * Sender thread only.
 */
final class Chunk {

    byte[] bytes;
    /** The format of every batch held, null when empty. */
    String format;
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
        format = null;
    }

    /** @return whether a batch of {@code f} may join the batches held (one format per chunk) */
    boolean takes(String f) {
        return batches == 0 || format.equals(f);
    }

    /** Makes room for {@code more} bytes after {@link #length}. */
    void ensure(int more) {
        if (length + more > bytes.length) {
            byte[] bigger = new byte[Math.max(bytes.length * 2, length + more)];
            System.arraycopy(bytes, 0, bigger, 0, length);
            bytes = bigger;
        }
    }

    void add(String format, byte[] buf, int off, int len, int lines) {
        ensure(len);
        this.format = format;
        System.arraycopy(buf, off, bytes, length, len);
        length += len;
        this.lines += lines;
        batches++;
    }
}
