package dev.osgimon.core.internal.delivery;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.List;

/**
 * The batches waiting for delivery, oldest first, each with its format ({@link Formats}). Not
 * thread-safe: the {@link Outbox} locks. A store never drops on its own; the outbox decides what goes
 * (delivered, rejected, over the cap, of a format the target cannot read).
 */
interface BatchStore extends AutoCloseable {

    /**
     * Appends one line-protocol batch at the end.
     *
     * @param buf the bytes, complete lines
     * @param off where they start
     * @param len how many bytes
     * @param lines how many lines
     * @param timeMillis when the batch was made
     * @throws IOException if it could not be kept (nothing was appended then)
     */
    default void append(byte[] buf, int off, int len, int lines, long timeMillis) throws IOException {
        append(Formats.LINE, buf, off, len, lines, timeMillis);
    }

    /**
     * Appends one batch at the end.
     *
     * @param format its format, {@link Formats#valid valid}
     * @param buf the bytes, complete lines or records
     * @param off where they start
     * @param len how many bytes
     * @param lines how many lines
     * @param timeMillis when the batch was made
     * @throws IOException if it could not be kept (nothing was appended then)
     */
    void append(String format, byte[] buf, int off, int len, int lines, long timeMillis) throws IOException;

    /**
     * Copies whole batches from the front into {@code into}: at most {@code maxBatches}, at most
     * {@code maxBytes} bytes, all of the first batch's format, but always the first batch (growing
     * {@code into} if needed).
     *
     * @param into where to copy; {@link Chunk#lines}, {@link Chunk#batches}, {@link Chunk#length} say what
     * @param maxBytes the most bytes wanted
     * @param maxBatches the most batches wanted
     * @throws IOException if the batches could not be read
     */
    void peek(Chunk into, int maxBytes, int maxBatches) throws IOException;

    /**
     * Removes the first {@code n} batches.
     *
     * @param n how many, at most {@link #batches()}
     * @return the lines they held
     */
    long removeFirst(int n);

    /** @return the batches held */
    int batches();

    /** @return the lines held */
    long lines();

    /** @return the bytes held (payload and, on disk, record headers) */
    long bytes();

    /** @return the format of the first batch, null when empty */
    String firstFormat();

    /** @return the lines of the first batch, 0 when empty */
    int firstLines();

    /** @return the bytes {@link #bytes()} loses when the first batch goes, 0 when empty */
    long firstBytes();

    /** @return when the first batch was made, or 0 when empty */
    long oldestMillis();

    /**
     * Whether files written by {@link #append} are due to be forced to the storage device; the outbox
     * wakes its sender thread for them.
     *
     * @return true if {@link #takeUnforced()} has something
     */
    default boolean hasUnforced() {
        return false;
    }

    /**
     * Takes the files due to be forced to the storage device: the caller (the outbox's sender thread)
     * forces them after releasing the outbox lock, so that appends never wait for the device. A file
     * may be closed by then (its batches were delivered and it was deleted).
     *
     * @return the files, each once; empty if none (always for memory)
     */
    default List<FileChannel> takeUnforced() {
        return List.of();
    }

    /** @return {@code memory} or {@code disk} */
    String mode();

    /** Releases files; what is held stays on disk for the next start. */
    @Override
    void close();
}
