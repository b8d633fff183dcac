package dev.osgimon.core.internal.delivery;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code buffer=disk}: a {@link DiskSpool}, and memory while the spool cannot be used (directory
 * in use by another process, unwritable, disk full). A failure logs one error and is counted;
 * every {@value #RETRY_SECONDS} s the spool is tried again, and once it takes writes the batches
 * kept in memory meanwhile are moved onto it. Order holds throughout: the batches on disk are
 * always older than those in memory.
 */
final class SpoolStore implements BatchStore {

    private static final Logger LOG = LoggerFactory.getLogger(SpoolStore.class);
    static final long RETRY_SECONDS = 10;

    private final Path dir;
    private final DiskSpool.Sync sync;
    private final long segmentBytes;
    private final DiskSpool.Opener opener;
    private final LongSupplier nanoClock;
    private final MemoryStore memory = new MemoryStore();
    private final Chunk moving = new Chunk(4096);

    private DiskSpool disk;
    private boolean writable;
    private long nextTry;
    private long errors;
    private long replayed;
    private String lastError = "";

    /**
     * Opens the spool, or falls back to memory if it cannot be used.
     *
     * @param dir the directory
     * @param sync when appends are forced to the device
     * @param segmentBytes segment size
     * @param opener opens files
     * @param nanoClock {@link System#nanoTime()} or a test clock, for the retry period
     */
    SpoolStore(Path dir, DiskSpool.Sync sync, long segmentBytes, DiskSpool.Opener opener, LongSupplier nanoClock) {
        this.dir = dir;
        this.sync = sync;
        this.segmentBytes = segmentBytes;
        this.opener = opener;
        this.nanoClock = nanoClock;
        tryDisk();
    }

    /** @return spool failures so far: open or write failures, torn or corrupt records cut */
    long errors() {
        return errors;
    }

    /** @return lines found in the spool at open, sent again */
    long replayed() {
        return replayed;
    }

    /** @return the last spool failure, or empty */
    String lastError() {
        return lastError;
    }

    /** @return the directory */
    Path dir() {
        return dir;
    }

    /** Takes the batches kept in memory (the spool failed), oldest first; they are no longer held here. */
    MemoryStore takeMemory() {
        MemoryStore out = new MemoryStore();
        moveAll(memory, out);
        return out;
    }

    private void tryDisk() {
        nextTry = nanoClock.getAsLong() + TimeUnit.SECONDS.toNanos(RETRY_SECONDS);
        if (disk == null) {
            try {
                disk = DiskSpool.open(dir, sync, segmentBytes, opener);
                replayed += disk.recoveredLines();
                errors += disk.cuts();
            } catch (IOException | RuntimeException e) {
                fail("cannot use the spool directory", e);
                return;
            }
        }
        // the disk works (again): move what memory holds onto it, oldest first
        while (memory.batches() > 0) {
            try {
                memory.peek(moving, Integer.MAX_VALUE, 1);
                disk.append(moving.format, moving.bytes, 0, moving.length, (int) moving.lines, memory.oldestMillis());
            } catch (IOException | RuntimeException e) {
                fail("cannot write to the spool", e);
                return;
            }
            memory.removeFirst(1);
        }
        if (!writable && errors > 0) {
            LOG.info("Spool {} works again; batches are kept on disk", dir);
        }
        writable = true;
    }

    private void fail(String what, Exception e) {
        errors++;
        lastError = what + " " + dir + ": " + e;
        if (writable || errors == 1 || e instanceof DiskSpool.LockedException) {
            LOG.error("{}; keeping batches in memory and trying the spool again every {} s", lastError,
                    RETRY_SECONDS);
        } else {
            LOG.debug("{}", lastError);
        }
        writable = false;
    }

    @Override
    public void append(String format, byte[] buf, int off, int len, int lines, long timeMillis) {
        if (!writable && nanoClock.getAsLong() - nextTry >= 0) {
            tryDisk();
        }
        if (writable) {
            try {
                disk.append(format, buf, off, len, lines, timeMillis);
                return;
            } catch (IOException | RuntimeException e) {
                fail("cannot write to the spool", e);
                nextTry = nanoClock.getAsLong() + TimeUnit.SECONDS.toNanos(RETRY_SECONDS);
            }
        }
        memory.append(format, buf, off, len, lines, timeMillis);
    }

    @Override
    public boolean hasUnforced() {
        return disk != null && disk.hasUnforced();
    }

    @Override
    public List<FileChannel> takeUnforced() {
        return disk == null ? List.of() : disk.takeUnforced();
    }

    @Override
    public void peek(Chunk into, int maxBytes, int maxBatches) throws IOException {
        into.clear();
        if (disk != null && disk.batches() > 0) {
            disk.peek(into, maxBytes, maxBatches);
        }
        memory.peekMore(into, maxBytes, maxBatches);
    }

    @Override
    public long removeFirst(int n) {
        int fromDisk = disk == null ? 0 : Math.min(n, disk.batches());
        long removed = fromDisk == 0 ? 0 : disk.removeFirst(fromDisk);
        return removed + memory.removeFirst(n - fromDisk);
    }

    @Override
    public int batches() {
        return (disk == null ? 0 : disk.batches()) + memory.batches();
    }

    @Override
    public long lines() {
        return (disk == null ? 0 : disk.lines()) + memory.lines();
    }

    @Override
    public long bytes() {
        return (disk == null ? 0 : disk.bytes()) + memory.bytes();
    }

    private BatchStore front() {
        return disk != null && disk.batches() > 0 ? disk : memory;
    }

    @Override
    public String firstFormat() {
        return front().firstFormat();
    }

    @Override
    public int firstLines() {
        return front().firstLines();
    }

    @Override
    public long firstBytes() {
        return front().firstBytes();
    }

    @Override
    public long oldestMillis() {
        return front().oldestMillis();
    }

    @Override
    public String mode() {
        return writable ? "disk" : "memory";
    }

    @Override
    public void close() {
        if (disk != null) {
            disk.close();
            disk = null;
        }
        writable = false;
        if (memory.lines() > 0) {
            LOG.warn("Stopping with {} lines kept in memory (the spool {} failed) not sent", memory.lines(), dir);
        }
    }

    /** Moves every batch of {@code from} to the end of {@code to}, oldest first. */
    static void moveAll(BatchStore from, BatchStore to) {
        Chunk c = new Chunk(4096);
        while (from.batches() > 0) {
            try {
                long time = from.oldestMillis();
                from.peek(c, Integer.MAX_VALUE, 1);
                to.append(c.format, c.bytes, 0, c.length, (int) c.lines, time);
            } catch (IOException e) {
                LOG.error("Lost a batch of {} lines while moving the buffer: {}", from.firstLines(), e.toString());
            }
            from.removeFirst(1);
        }
    }

    @Override
    public String toString() {
        return "SpoolStore[" + dir + ", " + mode() + "]";
    }
}
