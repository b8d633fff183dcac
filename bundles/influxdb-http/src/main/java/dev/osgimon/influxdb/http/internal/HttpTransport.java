package dev.osgimon.influxdb.http.internal;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.transport.LineBuffer;
import dev.osgimon.api.transport.LineSink;
import dev.osgimon.api.transport.Transport;
import dev.osgimon.api.transport.TransportStats;

/**
 * Sends lines to one HTTP target from a bounded buffer with one sender thread: requests of up to
 * {@code batchSize} lines, retried with exponential backoff and jitter while the target fails; when
 * the buffer is full the oldest lines are dropped and counted. {@link #send} only copies.
 *
 * <p>A batch stays in the buffer until the target accepted it, so a line counts once: as sent, as
 * dropped (buffer overflow, rejected by the target, sent after close), or it is still buffered and
 * handed on by {@link #drainTo}.
 */
final class HttpTransport implements Transport {

    private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);
    private static final long CLOSE_GRACE_MILLIS = 2000;
    private static final int DRAIN_CHUNK_LINES = 1000;

    private final Settings settings;
    private final String target;
    private final BatchWriter writer;
    private final int capacity;
    private final Runnable onClose;
    private final Thread sender;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // guarded by lock
    private final LineBuffer lines;
    private long headSeq;
    private long sent;
    private long dropped;
    private long writeErrors;
    private long recoveries;
    private boolean accepting = true;
    private boolean closing;
    private boolean stopping;
    private boolean closed;
    private boolean senderAwaitsLines;

    // sender thread only
    private byte[] body = new byte[8192];
    private int failures;

    private HttpTransport(Settings settings, String target, BatchWriter writer, int capacity, Runnable onClose) {
        this.settings = settings;
        this.target = target;
        this.writer = writer;
        this.capacity = capacity;
        this.onClose = onClose;
        this.lines = new LineBuffer(capacity);
        this.sender = new Thread(this::run, "osgimon-influxdb-http " + target);
        sender.setDaemon(true);
    }

    /**
     * Creates the transport and starts its sender thread.
     *
     * @param settings resolved settings
     * @param target the target without user info, for logs and the thread name
     * @param writer sends the request bodies; closed with the transport
     * @param capacity the most lines kept
     * @param onClose run once when the transport closes
     */
    static HttpTransport open(Settings settings, String target, BatchWriter writer, int capacity, Runnable onClose) {
        if (capacity < 1) {
            throw new IllegalArgumentException("bufferLines must be at least 1: " + capacity);
        }
        HttpTransport t = new HttpTransport(settings, target, writer, capacity, onClose);
        t.sender.start();
        LOG.info("Sending to {} ({}, buffer {} lines)", target, settings.describe(), capacity);
        return t;
    }

    @Override
    public void send(byte[] buf, int off, int len, int count) {
        lock.lock();
        try {
            if (!accepting) {
                dropped += count;
                return;
            }
            int lost = lines.add(buf, off, len);
            headSeq += lost;
            dropped += lost;
            if (senderAwaitsLines) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public TransportStats stats() {
        lock.lock();
        try {
            return new TransportStats(sent, dropped, writeErrors, recoveries, lines.lines(), capacity);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the sender (a request in progress is cancelled; if the target got it anyway its lines are
     * sent twice, which InfluxDB stores once) and hands every line not yet accepted to {@code next}.
     * Lines sent to this transport afterwards are dropped and counted.
     */
    @Override
    public void drainTo(LineSink next) {
        stopSender(0);
        byte[] waiting;
        int count;
        lock.lock();
        try {
            accepting = false;
            count = lines.lines();
            waiting = lines.toBytes();
            headSeq += count;
            lines.clear();
        } finally {
            lock.unlock();
        }
        int from = 0;
        int inChunk = 0;
        for (int i = 0; i < waiting.length; i++) {
            if (waiting[i] == '\n' && ++inChunk == DRAIN_CHUNK_LINES) {
                next.send(waiting, from, i + 1 - from, inChunk);
                from = i + 1;
                inChunk = 0;
            }
        }
        if (inChunk > 0) {
            next.send(waiting, from, waiting.length - from, inChunk);
        }
        if (count > 0) {
            LOG.info("Handed {} unsent lines for {} to the next transport", count, target);
        }
    }

    /**
     * Sends what is buffered if the target is healthy (for at most a couple of seconds), then stops
     * the sender thread and closes the HTTP client. Lines still unsent stay for {@link #drainTo}
     * (the core closes the old transport, then drains it into the new one); lines sent after
     * closing are dropped and counted.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lock.unlock();
        }
        stopSender(CLOSE_GRACE_MILLIS);
        writer.close();
        int left;
        lock.lock();
        try {
            accepting = false;
            left = lines.lines();
        } finally {
            lock.unlock();
        }
        LOG.debug("Closed {} ({} unsent lines kept for the next transport)", target, left);
        onClose.run();
    }

    /** Lets the sender finish within {@code graceMillis}, then cancels its request and waits for it. */
    private void stopSender(long graceMillis) {
        lock.lock();
        try {
            closing = true;
            if (graceMillis == 0) {
                stopping = true;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        join(graceMillis);
        if (sender.isAlive()) {
            lock.lock();
            try {
                stopping = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            writer.abort();
            join(settings.timeoutMillis() * 2L + 1000);
            if (sender.isAlive()) {
                sender.interrupt();
                join(1000);
            }
        }
    }

    private void join(long millis) {
        if (Thread.currentThread() == sender || millis <= 0) {
            return;
        }
        try {
            sender.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        int batchLimit = settings.batchSize();
        try {
            while (true) {
                long startSeq;
                int count;
                int len;
                lock.lock();
                try {
                    if (!awaitBatch(batchLimit)) {
                        return;
                    }
                    startSeq = headSeq;
                    count = Math.min(lines.lines(), batchLimit);
                    len = fillBody(count);
                } finally {
                    lock.unlock();
                }
                WriteFailure failure = null;
                try {
                    writer.write(body, len);
                } catch (WriteFailure f) {
                    failure = f;
                }
                lock.lock();
                try {
                    if (failure == null) {
                        commit(startSeq, count, true);
                        if (failures > 0) {
                            recoveries++;
                            LOG.info("{} accepts lines again after {} failed attempts", target, failures);
                            failures = 0;
                        }
                    } else if (failure.status() == 413 && count > 1) {
                        writeErrors++;
                        batchLimit = Math.max(1, count / 2); // kept: the target has a size limit
                        LOG.warn("{} found a request of {} lines too large; trying {}", target, count, batchLimit);
                    } else if (!failure.retryable()) {
                        writeErrors++;
                        long lost = commit(startSeq, count, false);
                        LOG.warn("{} rejected {} lines, dropped: {}", target, lost, failure.getMessage());
                    } else {
                        writeErrors++;
                        failures++;
                        if (stopping || closing) {
                            return;
                        }
                        long delay = backoffMillis(failures, failure.retryAfterMillis());
                        if (failures == 1) {
                            LOG.warn("Cannot write to {}: {}; keeping up to {} lines and retrying with backoff",
                                    target, failure.getMessage(), capacity);
                        } else {
                            LOG.debug("Cannot write to {} (attempt {}): {}; next try in {} ms", target, failures,
                                    failure.getMessage(), delay);
                        }
                        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
                        long left;
                        while (!stopping && !closing && (left = deadline - System.nanoTime()) > 0) {
                            changed.awaitNanos(left);
                        }
                    }
                } finally {
                    lock.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.error("Sender for {} stopped", target, e);
        }
    }

    /**
     * Waits (holding the lock) until a batch should be sent: lines are waiting and either the batch
     * is full, the flush interval passed, or the transport is closing.
     *
     * @return false if the sender must stop
     */
    private boolean awaitBatch(int batchLimit) throws InterruptedException {
        senderAwaitsLines = true;
        try {
            return awaitLines(batchLimit);
        } finally {
            senderAwaitsLines = false;
        }
    }

    private boolean awaitLines(int batchLimit) throws InterruptedException {
        while (!stopping && lines.lines() == 0) {
            if (closing) {
                return false;
            }
            changed.await();
        }
        if (stopping || (closing && failures > 0)) {
            return false;
        }
        if (!closing && failures == 0 && lines.lines() < batchLimit && settings.flushMillis() > 0) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.flushMillis());
            long left;
            while (!stopping && !closing && lines.lines() < batchLimit && (left = deadline - System.nanoTime()) > 0) {
                changed.awaitNanos(left);
            }
        }
        return !stopping && lines.lines() > 0;
    }

    /** Copies the first {@code count} lines into {@link #body}; returns the length. */
    private int fillBody(int count) {
        int len = lines.bytesOf(count);
        if (len > body.length) {
            body = new byte[Math.max(len, body.length * 2)];
        }
        lines.copyOut(len, body, 0);
        return len;
    }

    /**
     * Removes the batch [startSeq, startSeq + count) from the buffer (lines of it may already have
     * been dropped by an overflow while it was in flight) and counts it.
     *
     * @return how many lines were newly counted as dropped (0 when delivered)
     */
    private long commit(long startSeq, int count, boolean delivered) {
        long end = startSeq + count;
        long goneBefore = Math.min(count, Math.max(0, headSeq - startSeq));
        if (headSeq < end) {
            lines.remove((int) (end - headSeq));
            headSeq = end;
        }
        if (delivered) {
            sent += count;
            dropped -= goneBefore;
            return 0;
        }
        dropped += count - goneBefore;
        return count - goneBefore;
    }

    /** Exponential backoff with jitter: half the delay is fixed, half random; at least Retry-After. */
    private long backoffMillis(int attempt, long retryAfterMillis) {
        long base = settings.retryMillis();
        long max = settings.maxRetryMillis();
        long exp = attempt >= 31 ? max : Math.min(max, base << Math.min(attempt - 1, 30));
        long half = Math.max(1, exp / 2);
        long delay = half + ThreadLocalRandom.current().nextLong(half + 1);
        return Math.max(delay, retryAfterMillis);
    }

    @Override
    public String toString() {
        return "HttpTransport[" + target + ", " + settings + "]";
    }
}
