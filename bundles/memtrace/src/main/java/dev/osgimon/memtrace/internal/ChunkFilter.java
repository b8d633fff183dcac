package dev.osgimon.memtrace.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Walks a stream of concatenated JFR chunks and passes on, whole, every chunk that started after the last one
 * passed on before. A JFR chunk starts with a fixed header: magic {@code FLR\0} (offset 0), version (4), chunk
 * size in bytes including the header (8), constant pool and metadata offsets (16, 24) and the start time in
 * epoch nanoseconds (32).
 */
final class ChunkFilter {

    /** Size of the JFR 2.x chunk header. */
    static final int HEADER_SIZE = 68;
    private static final int MAGIC = 0x464c5200; // "FLR\0"
    private static final int SIZE_OFFSET = 8;
    private static final int START_NANOS_OFFSET = 32;
    private static final int DURATION_NANOS_OFFSET = 40;

    /** Receives the bytes of chunks that are passed on; may block, must consume the buffer fully. */
    @FunctionalInterface
    interface Sink {
        void write(ByteBuffer bytes) throws IOException;
    }

    private final byte[] buffer;
    private long lastStartNanos;
    private long lastEndNanos;

    /** @param bufferSize bytes read from the stream at once; the only memory this filter holds */
    ChunkFilter(int bufferSize) {
        this.buffer = new byte[Math.max(bufferSize, HEADER_SIZE)];
        this.lastStartNanos = Long.MIN_VALUE;
    }

    /** Start (epoch nanos) of the newest chunk passed on or skipped as seen; {@link Long#MIN_VALUE} at first. */
    long lastStartNanos() {
        return lastStartNanos;
    }

    /** End (epoch nanos) of the newest chunk seen, 0 before any. */
    long lastEndNanos() {
        return lastEndNanos;
    }

    /**
     * Reads all chunks of {@code in}; those newer than every chunk seen before go to {@code sink} (when it is not
     * null), the others are skipped. Marks every chunk read as seen.
     *
     * @return the number of bytes passed on
     */
    long forward(InputStream in, Sink sink) throws IOException {
        long forwarded = 0;
        long newest = lastStartNanos;
        while (true) {
            int headerRead = in.readNBytes(buffer, 0, HEADER_SIZE);
            if (headerRead == 0) {
                break;
            }
            if (headerRead < HEADER_SIZE) {
                throw new EOFException("truncated JFR chunk header");
            }
            ByteBuffer header = ByteBuffer.wrap(buffer, 0, HEADER_SIZE);
            if (header.getInt(0) != MAGIC) {
                throw new IOException("not a JFR chunk (bad magic)");
            }
            long size = header.getLong(SIZE_OFFSET);
            long start = header.getLong(START_NANOS_OFFSET);
            long duration = header.getLong(DURATION_NANOS_OFFSET);
            if (size < HEADER_SIZE) {
                throw new IOException("JFR chunk not finished (size " + size + ")");
            }
            boolean pass = start > lastStartNanos && sink != null;
            if (pass) {
                sink.write(ByteBuffer.wrap(buffer, 0, HEADER_SIZE));
            }
            long remaining = size - HEADER_SIZE;
            while (remaining > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (n < 0) {
                    throw new EOFException("truncated JFR chunk");
                }
                if (pass) {
                    sink.write(ByteBuffer.wrap(buffer, 0, n));
                }
                remaining -= n;
            }
            if (pass) {
                forwarded += size;
            }
            if (start > newest) {
                newest = start;
                lastEndNanos = Math.max(lastEndNanos, start + duration);
            }
        }
        lastStartNanos = newest;
        return forwarded;
    }
}
