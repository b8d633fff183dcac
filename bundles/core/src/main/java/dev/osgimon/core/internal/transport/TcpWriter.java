package dev.osgimon.core.internal.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.transport.LineWriter;
import dev.osgimon.api.transport.WriteResult;

/**
 * Writes lines over one persistent TCP connection (Telegraf {@code socket_listener}, QuestDB ILP),
 * connecting on the first write and again after a failure. Before every write it checks whether the
 * peer has closed its side (a receiver restart), so no line goes into a dead connection. TCP has no
 * answer for a bad line: every write that reached the socket counts as delivered.
 *
 * <p>TCP has no acknowledgement either: a receiver that stops reading and then closes (a restart)
 * loses what was still in its socket buffer, although the write succeeded. So the batches written
 * in the last {@value #RESEND_WINDOW_SECONDS} s (at least the last one, at most
 * {@value #RESEND_MAX_BYTES} bytes) are kept, and when the connection turns out to be lost they are
 * written again, first, on the next connection: at least once, in order, with possible repeats
 * that InfluxDB overwrites and a QuestDB table with {@code DEDUP UPSERT KEYS} folds
 * (docs/delivery.md).
 */
public final class TcpWriter implements LineWriter {

    private static final Logger LOG = LoggerFactory.getLogger(TcpWriter.class);
    private static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long SELECT_MILLIS = 1000;

    private final String host;
    private final int port;
    private final ByteBuffer probe = ByteBuffer.allocate(256);
    private final Selector selector;
    private static final long RESEND_WINDOW_SECONDS = 5;
    private static final int RESEND_MAX_BYTES = 4 << 20;

    private SocketChannel channel;
    private volatile boolean aborted;
    /** Batches written on the current connection that a receiver restart may still lose, oldest first. */
    private final ArrayDeque<Sent> recent = new ArrayDeque<>();
    private long recentBytes;
    /** Batches of a lost connection, written again first on the next one. */
    private final ArrayDeque<Sent> resend = new ArrayDeque<>();

    private record Sent(long atNanos, byte[] bytes, int lines) {
    }

    /**
     * A writer to {@code host:port}; connects lazily.
     *
     * @param host the target host
     * @param port the target port
     * @throws IllegalStateException if no selector can be opened
     */
    public TcpWriter(String host, int port) {
        this.host = host;
        this.port = port;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a selector: " + e, e);
        }
    }

    @Override
    public WriteResult write(byte[] buf, int off, int len, int lines) {
        if (aborted) {
            return WriteResult.retry("aborted", 0);
        }
        try {
            SocketChannel ch = connected();
            if (!resend.isEmpty()) {
                int again = resend.stream().mapToInt(Sent::lines).sum();
                for (Sent r : resend) {
                    writeFully(ch, r.bytes(), 0, r.bytes().length);
                }
                LOG.info("{}:{}: wrote again the {} lines written just before the connection was lost", host, port,
                        again);
                resend.forEach(r -> remember(r.bytes(), r.lines()));
                resend.clear();
            }
            writeFully(ch, buf, off, len);
            remember(Arrays.copyOfRange(buf, off, off + len), lines);
            return WriteResult.delivered();
        } catch (IOException | RuntimeException e) {
            connectionLost();
            return WriteResult.retry(host + ":" + port + ": " + e, 0);
        }
    }

    private void writeFully(SocketChannel ch, byte[] buf, int off, int len) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(buf, off, len);
        SelectionKey key = ch.register(selector, SelectionKey.OP_WRITE);
        try {
            while (out.hasRemaining()) {
                if (ch.write(out) == 0) {
                    selector.select(SELECT_MILLIS);
                    selector.selectedKeys().clear();
                }
                if (aborted) {
                    throw new IOException("aborted");
                }
            }
        } finally {
            key.cancel();
            selector.selectNow();
        }
    }

    /** Keeps a written batch while a receiver restart could still lose it. */
    private void remember(byte[] bytes, int lines) {
        long now = System.nanoTime();
        recent.addLast(new Sent(now, bytes, lines));
        recentBytes += bytes.length;
        long oldest = now - TimeUnit.SECONDS.toNanos(RESEND_WINDOW_SECONDS);
        while (recent.size() > 1 && (recent.peekFirst().atNanos() < oldest || recentBytes > RESEND_MAX_BYTES)) {
            recentBytes -= recent.removeFirst().bytes().length;
        }
    }

    /** The connection broke: what it may have lost is written again on the next one. */
    private void connectionLost() {
        closeChannel();
        if (!recent.isEmpty()) {
            // batches of an earlier lost connection not yet written again came before these
            ArrayDeque<Sent> merged = new ArrayDeque<>(resend);
            merged.addAll(recent);
            resend.clear();
            resend.addAll(merged);
            while (resend.size() > 1 && resend.stream().mapToLong(r -> r.bytes().length).sum() > RESEND_MAX_BYTES) {
                resend.removeFirst();
            }
            recent.clear();
            recentBytes = 0;
        }
    }

    private SocketChannel connected() throws IOException {
        SocketChannel ch = channel;
        if (ch != null && peerClosed(ch)) {
            LOG.info("{}:{} closed the connection; reconnecting", host, port);
            connectionLost();
            ch = null;
        }
        if (ch == null) {
            ch = SocketChannel.open();
            channel = ch;
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            if (!ch.connect(new InetSocketAddress(host, port))) {
                SelectionKey key = ch.register(selector, SelectionKey.OP_CONNECT);
                long end = System.nanoTime() + CONNECT_TIMEOUT_NANOS;
                try {
                    while (!ch.finishConnect()) {
                        long left = end - System.nanoTime();
                        if (aborted) {
                            throw new IOException("aborted");
                        }
                        if (left <= 0) {
                            throw new IOException("connect timed out");
                        }
                        selector.select(Math.max(1, Math.min(SELECT_MILLIS, TimeUnit.NANOSECONDS.toMillis(left))));
                        selector.selectedKeys().clear();
                    }
                } finally {
                    key.cancel();
                    selector.selectNow();
                }
            }
            if (ch.getLocalAddress().equals(ch.getRemoteAddress())) {
                // TCP simultaneous open: connecting again and again to a free local port in the
                // ephemeral range can connect the socket to itself, and every write would vanish
                throw new IOException("connected to itself (nobody listens on " + host + ":" + port + ")");
            }
            LOG.debug("Connected to {}:{}", host, port);
        }
        return ch;
    }

    /** A read: end of stream means the receiver has gone (or is going) away. */
    private boolean peerClosed(SocketChannel ch) {
        try {
            int n;
            do {
                probe.clear();
                n = ch.read(probe);
            } while (n > 0);
            return n < 0;
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /** Makes a connect or write in progress fail within moments; returns at once. */
    @Override
    public void abort() {
        aborted = true;
        selector.wakeup();
    }

    /** Closes the connection and the selector (sender thread). */
    @Override
    public void close() {
        aborted = true;
        closeChannel();
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void closeChannel() {
        SocketChannel ch = channel;
        channel = null;
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
