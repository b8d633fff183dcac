package dev.osgimon.core.internal.delivery;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.admin.DeliveryStatus;
import dev.osgimon.api.transport.LineWriter;
import dev.osgimon.api.transport.WriteResult;

/**
 * The one ordered outbox of the core. Each cycle {@link #append appends} its batch; one sender
 * thread hands the oldest batches to the current {@link LineWriter} and removes them only once the
 * writer answered delivered (or rejected them for good). One backoff with jitter, one set of
 * counters.
 *
 * <p>Reconfiguration is serial: {@link #useWriter} and {@link #useStore} only leave a request and
 * return at once; the sender applies it between two writes, so every line reaches a new target
 * after all older lines. The outbox is the one owner of its writers: it opens, uses and closes them
 * on the sender thread, never on the caller's; a caller that must know the old writer is closed
 * (a transport factory going away) waits for it with {@link #awaitWriter}.
 *
 * <p>Formats: every batch carries its format ({@link Formats}). A writer is only handed batches of
 * its target's format, and one write holds batches of one format only. When the target changes to
 * another format, the batches of other formats still waiting are dropped and counted in
 * {@code dropped} (one log line per switch); they are never sent. While the target's format is not
 * known (its transport factory is not there yet) nothing is sent and nothing is dropped.
 *
 * <p>Caps: above {@code maxBytes} (and, when the buffer is in memory, {@code maxLines}) the oldest
 * whole batches are dropped and counted. Batches being written are never dropped: while a write is
 * in progress the cap may be passed by the batches appended meanwhile, and is enforced again once
 * the write answered.
 */
public final class Outbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    /** Most bytes handed to a writer at once when a backlog is sent. */
    static final int SEND_BYTES = 1 << 20;
    private static final int SEND_BATCHES = 10_000;
    private static final long CLOSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private record StoreRequest(java.nio.file.Path dir, Callable<BatchStore> opener) {
    }

    /** How the outbox gets its next writer; null while none is available (lines wait). */
    @FunctionalInterface
    public interface WriterOpener {
        LineWriter open() throws Exception;
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Thread sender;
    private final long minBackoffMillis;
    private final long maxBackoffMillis;

    // guarded by lock
    private BatchStore store;
    private LineWriter writer;
    private String target = "none";
    /** The target asked for last: what {@link #target()} reports while a switch is pending. */
    private String latestTarget = "none";
    private WriterOpener pendingWriter;
    private String pendingTarget;
    private String pendingFormat;
    /** The format the target reads, null while not known (nothing is sent or dropped then). */
    private String format;
    /** Whether the batches dropped for their format since the last switch were logged. */
    private boolean formatDropLogged;
    private StoreRequest pendingStore;
    /** Writer switches asked for, and applied (the writer before closed, the next one opened). */
    private long writerRequests;
    private long writerSwitches;
    private boolean finished;
    private boolean closing;
    private int inFlight;
    private boolean oneAtATime;
    private long nextAttemptNanos;
    private int failures;
    private boolean connected;
    private long sent;
    private long dropped;
    private long rejected;
    private long writeErrors;
    private long reconnects;
    private long replayedBefore;
    private long spoolErrorsBefore;
    private String lastError = "";
    private volatile int maxLines;
    private volatile long maxBytes;

    // sender thread only
    private final Chunk chunk = new Chunk(64 * 1024);
    /** Whether the last force of the spool failed (logged once until one works again). */
    private boolean forceFailing;

    /**
     * Starts the sender thread with a memory buffer and no writer.
     *
     * @param name for the thread
     * @param maxLines the most lines kept in memory
     * @param maxBytes the most bytes kept
     * @param minBackoffMillis first retry delay
     * @param maxBackoffMillis longest retry delay
     */
    public Outbox(String name, int maxLines, long maxBytes, long minBackoffMillis, long maxBackoffMillis) {
        this.store = new MemoryStore();
        this.maxLines = maxLines;
        this.maxBytes = maxBytes;
        this.minBackoffMillis = minBackoffMillis;
        this.maxBackoffMillis = maxBackoffMillis;
        this.sender = new Thread(this::run, name);
        sender.setDaemon(true);
        sender.start();
    }

    /**
     * Appends one cycle's lines ({@link Formats#LINE}). Never blocks on the network (only, in disk
     * mode, on the spool).
     *
     * @param buf the bytes, complete lines
     * @param off where they start
     * @param len how many bytes
     * @param lines how many lines
     */
    public void append(byte[] buf, int off, int len, int lines) {
        append(Formats.LINE, buf, off, len, lines);
    }

    /**
     * Appends one cycle's batch in {@code format}. Never blocks on the network (only, in disk mode,
     * on the spool).
     *
     * @param format the batch's format, {@link Formats#valid valid}
     * @param buf the bytes, whole lines or records
     * @param off where they start
     * @param len how many bytes
     * @param lines how many lines (records)
     */
    public void append(String format, byte[] buf, int off, int len, int lines) {
        append(format, buf, off, len, lines, true);
    }

    /**
     * Appends one cycle's batch like {@link #append(String, byte[], int, int, int)} but leaves the
     * sender asleep until {@link #wakeSender()}. The collector appends in the middle of its cycle and
     * wakes the sender once the cycle's work is done: a thread woken from the collector thread tends
     * to run first on the collector's CPU, which made the rest of the cycle wait for the send.
     *
     * @param format the batch's format, {@link Formats#valid valid}
     * @param buf the bytes, whole lines or records
     * @param off where they start
     * @param len how many bytes
     * @param lines how many lines (records)
     */
    public void appendQuietly(String format, byte[] buf, int off, int len, int lines) {
        append(format, buf, off, len, lines, false);
    }

    /** Wakes the sender for what {@link #appendQuietly} appended. */
    public void wakeSender() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void append(String format, byte[] buf, int off, int len, int lines, boolean wake) {
        if (len == 0 || lines == 0) {
            return;
        }
        long now = System.currentTimeMillis();
        lock.lock();
        try {
            if (closing) {
                dropped += lines;
                return;
            }
            try {
                store.append(format, buf, off, len, lines, now);
            } catch (IOException e) {
                dropped += lines; // a memory store never fails; a spool store falls back itself
                lastError = e.toString();
            }
            enforceCaps();
            if (wake) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sets the caps; the oldest batches beyond them are dropped at the next append or answer. Returns
     * at once (takes no lock).
     *
     * @param lines the most lines kept in memory
     * @param bytes the most bytes kept
     */
    public void caps(int lines, long bytes) {
        maxLines = lines;
        maxBytes = bytes;
    }

    /**
     * Switches to another line-protocol target between two writes; returns at once.
     *
     * @param target the target, for logs and the status (no credentials)
     * @param opener opens the writer on the sender thread; may return null (lines wait)
     * @return the number of this request, for {@link #awaitWriter}
     * @see #useWriter(String, String, WriterOpener)
     */
    public long useWriter(String target, WriterOpener opener) {
        return useWriter(target, Formats.LINE, opener);
    }

    /**
     * Switches to another target between two writes; returns at once. A write in progress to the
     * current writer is aborted; the sender closes that writer and opens the next. Once it is
     * applied, batches of another format than {@code format} are dropped and counted.
     *
     * @param target the target, for logs and the status (no credentials)
     * @param format the format the target reads, or null if not known yet (nothing is sent or dropped)
     * @param opener opens the writer on the sender thread; may return null (lines wait)
     * @return the number of this request, for {@link #awaitWriter}
     */
    public long useWriter(String target, String format, WriterOpener opener) {
        LineWriter current;
        long request;
        lock.lock();
        try {
            pendingWriter = opener;
            pendingTarget = target;
            pendingFormat = format;
            latestTarget = target;
            request = ++writerRequests;
            current = writer;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (current != null) {
            current.abort();
        }
        return request;
    }

    /**
     * Waits until the sender applied a {@link #useWriter} request (or a later one): the writer used
     * before it is closed. Returns at once once the outbox is stopped.
     *
     * @param request what {@link #useWriter} returned
     * @param timeoutMillis the longest wait
     * @return whether the request was applied in time
     */
    public boolean awaitWriter(long request, long timeoutMillis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.lock();
        try {
            long left;
            while (writerSwitches < request && !finished && (left = end - System.nanoTime()) > 0) {
                changed.awaitNanos(left);
            }
            return writerSwitches >= request || finished;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Switches the buffer between two writes; returns at once. Every batch held moves to the new
     * buffer, in order.
     *
     * @param dir the spool directory of the new store, or null for memory
     * @param opener opens the new store on the sender thread
     */
    void useStore(java.nio.file.Path dir, Callable<BatchStore> opener) {
        lock.lock();
        try {
            pendingStore = new StoreRequest(dir, opener);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** @return the target in force */
    public String target() {
        lock.lock();
        try {
            return latestTarget;
        } finally {
            lock.unlock();
        }
    }

    /** @return a snapshot of the state and the counters */
    public DeliveryStatus status() {
        lock.lock();
        try {
            long oldest = store.oldestMillis();
            double age = oldest == 0 ? 0 : Math.max(0, System.currentTimeMillis() - oldest) / 1000.0;
            long replayed = replayedBefore;
            long spoolErrors = spoolErrorsBefore;
            String error = lastError;
            if (store instanceof SpoolStore) {
                SpoolStore s = (SpoolStore) store;
                replayed += s.replayed();
                spoolErrors += s.errors();
                if (error.isEmpty()) {
                    error = s.lastError();
                }
            }
            return new DeliverySnapshot(latestTarget, store.mode(), connected,
                    store.lines(), store.bytes(), sent, dropped, rejected, replayed, writeErrors, reconnects,
                    spoolErrors, error, age);
        } finally {
            lock.unlock();
        }
    }

    /** @return the most lines kept in memory */
    public int maxLines() {
        return maxLines;
    }

    /** @return the most bytes kept */
    public long maxBytes() {
        return maxBytes;
    }

    /**
     * Stops the sender thread: in memory mode, lines waiting get up to 2 s to go out while the
     * target takes them; a write in progress is aborted; the writer and the buffer are closed (a
     * disk spool keeps its batches for the next start).
     */
    @Override
    public void close() {
        LineWriter current;
        lock.lock();
        try {
            long end = System.nanoTime() + CLOSE_GRACE_NANOS;
            long left;
            while (!closing && connected && store.batches() > 0 && "memory".equals(store.mode())
                    && (left = end - System.nanoTime()) > 0) {
                changed.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closing = true;
            current = writer;
            changed.signalAll();
            lock.unlock();
        }
        if (current != null) {
            current.abort();
        }
        join(10_000);
        if (sender.isAlive()) {
            sender.interrupt();
            join(2_000);
        }
    }

    /** @return whether the sender thread has ended */
    public boolean isStopped() {
        return !sender.isAlive();
    }

    private void join(long millis) {
        try {
            sender.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- sender thread --------------------------------------------------------------------------

    private void run() {
        try {
            while (true) {
                WriterOpener nextWriter;
                long nextRequest;
                String nextTarget;
                String nextFormat;
                StoreRequest nextStore;
                LineWriter w;
                List<FileChannel> unforced;
                boolean send = false;
                lock.lock();
                try {
                    while (!closing && pendingWriter == null && pendingStore == null && !readyToSend()
                            && !store.hasUnforced()) {
                        long wait = nextAttemptNanos - System.nanoTime();
                        if (store.batches() > 0 && writer != null && wait > 0) {
                            changed.awaitNanos(wait);
                        } else {
                            changed.await();
                        }
                    }
                    if (closing) {
                        return;
                    }
                    nextWriter = pendingWriter;
                    nextRequest = writerRequests;
                    nextTarget = pendingTarget;
                    nextFormat = pendingFormat;
                    nextStore = pendingStore;
                    pendingWriter = null;
                    pendingTarget = null;
                    pendingFormat = null;
                    pendingStore = null;
                    unforced = store.takeUnforced();
                    if (nextWriter == null && nextStore == null && readyToSend()) {
                        send = peek();
                    }
                    w = writer;
                } finally {
                    lock.unlock();
                }
                if (!unforced.isEmpty()) {
                    force(unforced); // outside the lock: the collector's next append never waits for it
                }
                if (nextStore != null) {
                    switchStore(nextStore);
                }
                if (nextWriter != null) {
                    switchWriter(nextTarget, nextFormat, nextWriter, nextRequest);
                }
                if (!send) {
                    continue;
                }
                WriteResult r;
                try {
                    r = w.write(chunk.bytes, 0, chunk.length, (int) chunk.lines);
                    if (r == null) {
                        r = WriteResult.retry("the writer gave no answer", 0);
                    }
                } catch (RuntimeException e) {
                    r = WriteResult.retry(e.toString(), 0);
                }
                answered(w, r);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.error("The outbox sender stopped", e);
        } finally {
            finish();
        }
    }

    /**
     * Forces spool files to the storage device, on the sender thread, without the lock. A file closed
     * meanwhile (its batches were delivered and it was deleted) needs nothing more.
     */
    private void force(List<FileChannel> channels) {
        IOException failure = null;
        for (FileChannel ch : channels) {
            try {
                ch.force(false);
            } catch (ClosedChannelException e) {
                if (Thread.currentThread().isInterrupted()) {
                    return; // stopping: the interrupt closed the files, nothing more can be forced
                }
            } catch (IOException e) {
                failure = e;
            }
        }
        if (failure == null) {
            if (forceFailing) {
                forceFailing = false;
                LOG.info("The spool is forced to the storage device again");
            }
            return;
        }
        if (!forceFailing) {
            LOG.warn("Cannot force the spool to the storage device: {}; its batches stay in the page cache",
                    failure.toString());
        } else {
            LOG.debug("Still cannot force the spool: {}", failure.toString());
        }
        forceFailing = true;
        lock.lock();
        try {
            lastError = "cannot force the spool: " + failure;
        } finally {
            lock.unlock();
        }
    }

    private boolean readyToSend() {
        return writer != null && store.batches() > 0 && System.nanoTime() - nextAttemptNanos >= 0;
    }

    /** Copies the oldest batches into {@link #chunk}; false if none could be read (one was dropped). */
    private boolean peek() {
        if (dropOtherFormats() > 0 && store.batches() == 0) {
            return false;
        }
        try {
            store.peek(chunk, SEND_BYTES, oneAtATime ? 1 : SEND_BATCHES);
            inFlight = chunk.batches;
            return chunk.batches > 0;
        } catch (IOException e) {
            long lost = store.removeFirst(1);
            dropped += lost;
            lastError = "cannot read the spool: " + e;
            LOG.error("Cannot read a batch of {} lines from the spool; dropped it: {}", lost, e.toString());
            return false;
        }
    }

    private void answered(LineWriter w, WriteResult r) {
        lock.lock();
        try {
            inFlight = 0;
            switch (r.outcome()) {
                case DELIVERED:
                    store.removeFirst(chunk.batches);
                    long bad = r.rejectedLines() < 0 ? chunk.lines : Math.min(chunk.lines, r.rejectedLines());
                    sent += chunk.lines - bad;
                    if (bad > 0) {
                        rejected += bad;
                        LOG.warn("{} refused {} lines for good: {}", target, bad, r.reason());
                    }
                    if (failures > 0) {
                        reconnects++;
                        LOG.info("{} takes lines again after {} failed attempts", target, failures);
                    }
                    failures = 0;
                    connected = true;
                    oneAtATime = false;
                    break;
                case REJECTED:
                    if (chunk.batches > 1) {
                        oneAtATime = true; // find the batch it refuses; deliver the others
                    } else {
                        store.removeFirst(1);
                        rejected += chunk.lines;
                        LOG.warn("{} refused a batch of {} lines for good, dropped: {}; first line: {}", target,
                                chunk.lines, r.reason(), firstLine());
                        oneAtATime = false;
                    }
                    connected = true;
                    break;
                case RETRY:
                default:
                    if (closing || pendingWriter != null || w != writer) {
                        break; // aborted by a switch or close: not the target's failure
                    }
                    writeErrors++;
                    failures++;
                    connected = false;
                    lastError = r.reason();
                    long delay = backoffMillis(failures, r.retryAfterMillis());
                    nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
                    if (failures == 1) {
                        LOG.warn("Cannot send to {}: {}; keeping the lines ({}) and retrying", target, r.reason(),
                                store.mode());
                    } else {
                        LOG.debug("Still cannot deliver to {} (attempt {}): {}; next try in {} ms", target, failures,
                                r.reason(), delay);
                    }
                    break;
            }
            enforceCaps();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private String firstLine() {
        if (!Formats.LINE.equals(chunk.format)) {
            return "(" + chunk.length + " bytes of " + chunk.format + ")";
        }
        int end = 0;
        while (end < chunk.length && end < 300 && chunk.bytes[end] != '\n') {
            end++;
        }
        return new String(chunk.bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** Exponential backoff with jitter (half fixed, half random), at least what the target asked. */
    private long backoffMillis(int attempt, long retryAfterMillis) {
        long exp = Math.min(maxBackoffMillis, minBackoffMillis << Math.min(attempt - 1, 30));
        long half = Math.max(1, exp / 2);
        return Math.max(half + ThreadLocalRandom.current().nextLong(half + 1), retryAfterMillis);
    }

    private void enforceCaps() {
        while (inFlight == 0 && store.batches() > 0 && overCap()) {
            long lost = store.removeFirst(1);
            dropped += lost;
            if (dropped == lost) {
                LOG.warn("The buffer for {} is full ({} lines, {} bytes at most); dropping the oldest batches",
                        target, maxLines, maxBytes);
            }
        }
    }

    private boolean overCap() {
        return store.bytes() > maxBytes || ("memory".equals(store.mode()) && store.lines() > maxLines);
    }

    /**
     * Drops the batches at the front that are not of the target's {@link #format} (none while it is
     * not known). The sender's lock is held and no write is in progress.
     *
     * @return the lines dropped
     */
    private long dropOtherFormats() {
        if (format == null) {
            return 0;
        }
        long lost = 0;
        String other = null;
        while (store.batches() > 0 && !format.equals(store.firstFormat())) {
            other = store.firstFormat();
            lost += store.removeFirst(1);
        }
        if (lost > 0) {
            dropped += lost;
            if (!formatDropLogged) {
                formatDropLogged = true;
                LOG.warn("Dropped {} waiting lines of format {}: the target {} reads {}", lost, other, target,
                        format);
            } else {
                LOG.debug("Dropped {} more lines of format {}, collected before the switch to {} ({})", lost, other,
                        target, format);
            }
        }
        return lost;
    }

    private void switchWriter(String nextTarget, String nextFormat, WriterOpener opener, long request) {
        LineWriter old;
        lock.lock();
        try {
            old = writer;
            writer = null;
        } finally {
            lock.unlock();
        }
        closeQuietly(old);
        LineWriter fresh = null;
        try {
            fresh = opener.open();
        } catch (Exception e) {
            LOG.error("Cannot open a writer for {}: {}; keeping the lines", nextTarget, e.getMessage());
        }
        lock.lock();
        try {
            if (closing || pendingWriter != null) {
                closeQuietly(fresh); // superseded before it was used
                fresh = null;
            }
            writer = fresh;
            target = nextTarget;
            if (nextFormat != null && !nextFormat.equals(format)) {
                formatDropLogged = false;
            }
            format = nextFormat;
            if (!closing && pendingWriter == null) {
                dropOtherFormats();
            }
            writerSwitches = Math.max(writerSwitches, request);
            failures = 0;
            connected = false;
            nextAttemptNanos = System.nanoTime();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (fresh != null) {
            LOG.info("Delivering to {}", nextTarget);
        }
    }

    private void switchStore(StoreRequest request) {
        BatchStore old;
        MemoryStore meanwhile = new MemoryStore();
        lock.lock();
        try {
            old = store;
            store = meanwhile; // cycles append here while the new store opens
        } finally {
            lock.unlock();
        }
        if (old instanceof SpoolStore) {
            SpoolStore s = (SpoolStore) old;
            replayedBefore += s.replayed();
            spoolErrorsBefore += s.errors();
        }
        BatchStore fresh;
        if (old instanceof SpoolStore && ((SpoolStore) old).dir().equals(request.dir())) {
            // the same directory: release it, reopen it (it recovers what it held), then add what
            // the old store kept in memory
            MemoryStore kept = ((SpoolStore) old).takeMemory();
            old.close();
            fresh = open(request);
            SpoolStore.moveAll(kept, fresh);
        } else {
            fresh = open(request);
            SpoolStore.moveAll(old, fresh);
            old.close();
        }
        lock.lock();
        try {
            SpoolStore.moveAll(meanwhile, fresh);
            store = fresh;
            enforceCaps();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static BatchStore open(StoreRequest request) {
        try {
            return request.opener().call();
        } catch (Exception e) {
            LOG.error("Cannot open the buffer: {}; keeping batches in memory", e.toString());
            return new MemoryStore();
        }
    }

    private void finish() {
        LineWriter w;
        BatchStore s;
        lock.lock();
        try {
            closing = true;
            w = writer;
            writer = null;
            s = store;
        } finally {
            lock.unlock();
        }
        closeQuietly(w);
        lock.lock();
        try {
            finished = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        long left = s.lines();
        if (left > 0) {
            if ("disk".equals(s.mode())) {
                LOG.info("Stopping with {} lines kept in the spool for the next start", left);
            } else {
                LOG.warn("Stopping with {} lines not sent to {}", left, target);
            }
        }
        s.close();
    }

    private static void closeQuietly(LineWriter w) {
        if (w == null) {
            return;
        }
        try {
            w.close();
        } catch (RuntimeException e) {
            LOG.debug("Closing a writer failed: {}", e.toString());
        }
    }

    @Override
    public String toString() {
        return "Outbox[" + target() + "]";
    }
}
