package dev.osgimon.core.internal.delivery;

import java.util.ArrayDeque;
import java.util.Arrays;

/** Batches in memory: lost when the process stops. */
final class MemoryStore implements BatchStore {

    private record Batch(String format, byte[] bytes, int lines, long timeMillis) {
    }

    private final ArrayDeque<Batch> batches = new ArrayDeque<>();
    private long lines;
    private long bytes;

    @Override
    public void append(String format, byte[] buf, int off, int len, int lines, long timeMillis) {
        batches.addLast(new Batch(format, Arrays.copyOfRange(buf, off, off + len), lines, timeMillis));
        this.lines += lines;
        this.bytes += len;
    }

    @Override
    public void peek(Chunk into, int maxBytes, int maxBatches) {
        into.clear();
        peekMore(into, maxBytes, maxBatches);
    }

    /** Like {@link #peek} but adds to what {@code into} holds already. */
    void peekMore(Chunk into, int maxBytes, int maxBatches) {
        for (Batch b : batches) {
            if (into.batches >= maxBatches || (into.batches > 0 && into.length + b.bytes.length > maxBytes)
                    || !into.takes(b.format)) {
                break;
            }
            into.add(b.format, b.bytes, 0, b.bytes.length, b.lines);
        }
    }

    @Override
    public long removeFirst(int n) {
        long removed = 0;
        for (int i = 0; i < n && !batches.isEmpty(); i++) {
            Batch b = batches.removeFirst();
            lines -= b.lines;
            bytes -= b.bytes.length;
            removed += b.lines;
        }
        return removed;
    }

    @Override
    public int batches() {
        return batches.size();
    }

    @Override
    public long lines() {
        return lines;
    }

    @Override
    public long bytes() {
        return bytes;
    }

    @Override
    public String firstFormat() {
        Batch b = batches.peekFirst();
        return b == null ? null : b.format;
    }

    @Override
    public int firstLines() {
        Batch b = batches.peekFirst();
        return b == null ? 0 : b.lines;
    }

    @Override
    public long firstBytes() {
        Batch b = batches.peekFirst();
        return b == null ? 0 : b.bytes.length;
    }

    @Override
    public long oldestMillis() {
        Batch b = batches.peekFirst();
        return b == null ? 0 : b.timeMillis;
    }

    @Override
    public String mode() {
        return "memory";
    }

    @Override
    public void close() {
        // nothing to release
    }
}
