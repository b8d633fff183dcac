package dev.osgimon.core.internal.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
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
 * Sends lines over one persistent TCP connection (Telegraf {@code socket_listener}, QuestDB ILP).
 *
 * <p>{@link #send} only copies into a bounded {@link LineBuffer}; a sender thread writes in order
 * and removes lines once written. While the target is unreachable the thread reconnects with capped
 * exponential backoff and the buffer keeps the newest {@code bufferLines} lines. Before every write
 * it checks whether the peer has closed its side, so a receiver restart loses no line.
 */
public final class TcpTransport implements Transport {

    private static final Logger LOG = LoggerFactory.getLogger(TcpTransport.class);
    private static final int BATCH_BYTES = 64 * 1024;

    private final String host;
    private final int port;
    private final long minBackoffMillis;
    private final long maxBackoffMillis;
    private final int connectTimeoutMillis;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final LineBuffer buffer;
    private final Thread sender;
    private volatile boolean closed;
    private volatile boolean connectedNow;

    private SocketChannel channel;
    private boolean everConnected;
    private int failures;
    private byte[] batch = new byte[BATCH_BYTES];
    private final ByteBuffer probe = ByteBuffer.allocate(256);

    private volatile long sent;
    private volatile long writeErrors;
    private volatile long reconnects;

    /**
     * Creates the transport and starts its sender thread.
     *
     * @param host the target host
     * @param port the target port
     * @param bufferLines the most lines kept while the target is unreachable
     * @param minBackoffMillis the first reconnect delay
     * @param maxBackoffMillis the largest reconnect delay
     */
    public TcpTransport(String host, int port, int bufferLines, long minBackoffMillis, long maxBackoffMillis) {
        this.host = host;
        this.port = port;
        this.buffer = new LineBuffer(bufferLines);
        this.minBackoffMillis = minBackoffMillis;
        this.maxBackoffMillis = maxBackoffMillis;
        this.connectTimeoutMillis = 5000;
        this.sender = new Thread(this::run, "osgimon-tcp-" + host + ":" + port);
        this.sender.setDaemon(true);
        this.sender.start();
    }

    @Override
    public void send(byte[] buf, int off, int len, int lines) {
        if (len == 0) {
            return;
        }
        lock.lock();
        try {
            buffer.add(buf, off, len);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public TransportStats stats() {
        lock.lock();
        try {
            return new TransportStats(sent, buffer.dropped(), writeErrors, reconnects, buffer.lines(),
                    buffer.capacity());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void drainTo(LineSink next) {
        lock.lock();
        try {
            buffer.drainTo(next);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            // connected with lines still waiting (a shutdown right after a cycle): give them a moment
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            long left;
            while (connectedNow && !buffer.isEmpty() && (left = end - System.nanoTime()) > 0) {
                changed.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        closed = true;
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        sender.interrupt();
        try {
            sender.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeChannel();
    }

    /** Whether the sender thread has ended (for tests). */
    boolean isStopped() {
        return !sender.isAlive();
    }

    private void run() {
        while (!closed) {
            int lines;
            int bytes;
            long firstSeq;
            lock.lock();
            try {
                while (buffer.isEmpty() && !closed) {
                    changed.await();
                }
                if (closed) {
                    return;
                }
                if (batch.length < buffer.firstLineLength()) {
                    batch = new byte[buffer.firstLineLength()]; // one line larger than a batch: rare
                }
                firstSeq = buffer.front();
                lines = buffer.peek(batch, BATCH_BYTES);
                bytes = buffer.bytesOf(lines);
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            if (!write(batch, bytes)) {
                backoff();
                continue;
            }
            lock.lock();
            try {
                // the oldest lines may have been dropped meanwhile by overflow: remove only what is left of ours
                buffer.remove((int) Math.max(0, firstSeq + lines - buffer.front()));
                sent += lines;
            } finally {
                lock.unlock();
            }
        }
        closeChannel();
    }

    private boolean write(byte[] bytes, int len) {
        try {
            SocketChannel ch = connected();
            ByteBuffer out = ByteBuffer.wrap(bytes, 0, len);
            while (out.hasRemaining()) {
                ch.write(out);
            }
            return true;
        } catch (IOException e) {
            fail(e);
            return false;
        }
    }

    private SocketChannel connected() throws IOException {
        if (channel != null && peerClosed(channel)) {
            LOG.info("{}:{} closed the connection; reconnecting", host, port);
            closeChannel();
        }
        if (channel == null) {
            SocketChannel ch = SocketChannel.open();
            try {
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
                ch.socket().connect(new InetSocketAddress(host, port), connectTimeoutMillis);
                if (ch.getLocalAddress().equals(ch.getRemoteAddress())) {
                    // TCP simultaneous open: connecting again and again to a free local port in the
                    // ephemeral range can connect the socket to itself, and every write would vanish
                    throw new IOException("connected to itself (nobody listens on " + host + ":" + port + ")");
                }
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e instanceof IOException ? (IOException) e : new IOException(e);
            }
            channel = ch;
            connectedNow = true;
            if (everConnected) {
                reconnects++;
            }
            if (failures > 0) {
                LOG.info("Connected to {}:{} again after {} failed attempts; sending {} buffered lines", host, port,
                        failures, bufferedLines());
            } else {
                LOG.debug("Connected to {}:{}", host, port);
            }
            everConnected = true;
            failures = 0;
        }
        return channel;
    }

    private int bufferedLines() {
        lock.lock();
        try {
            return buffer.lines();
        } finally {
            lock.unlock();
        }
    }

    /** A non-blocking read: end of stream means the receiver has gone (or is going) away. */
    private boolean peerClosed(SocketChannel ch) {
        try {
            ch.configureBlocking(false);
            try {
                int n;
                do {
                    probe.clear();
                    n = ch.read(probe);
                } while (n > 0);
                return n < 0;
            } finally {
                ch.configureBlocking(true);
            }
        } catch (IOException e) {
            return true;
        }
    }

    private void fail(IOException e) {
        writeErrors++;
        closeChannel();
        if (failures == 0 && !closed) {
            LOG.warn("Cannot send to {}:{} ({}); buffering up to {} lines and retrying", host, port, e.toString(),
                    buffer.capacity());
        } else {
            LOG.debug("Still cannot send to {}:{}: {}", host, port, e.toString());
        }
        failures++;
    }

    private void backoff() {
        long delay = Math.min(maxBackoffMillis, minBackoffMillis << Math.min(20, failures - 1));
        lock.lock();
        try {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
            long left;
            while (!closed && (left = end - System.nanoTime()) > 0) {
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            // closing
        } finally {
            lock.unlock();
        }
    }

    private void closeChannel() {
        SocketChannel ch = channel;
        channel = null;
        connectedNow = false;
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing left to do
            }
        }
    }

    @Override
    public String toString() {
        return "tcp://" + host + ":" + port;
    }
}
