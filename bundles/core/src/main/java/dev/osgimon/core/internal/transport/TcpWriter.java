package dev.osgimon.core.internal.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.transport.LineWriter;
import dev.osgimon.api.transport.WriteResult;

/**
 * Writes lines over one persistent TCP connection (Telegraf {@code socket_listener}, QuestDB ILP),
 * connecting on the first write and again after a failure. Before every write it checks whether the
 * peer has closed its side (a receiver restart), so no line goes into a dead connection. TCP has no
 * answer for a bad line: every write that reached the socket counts as delivered.
 */
public final class TcpWriter implements LineWriter {

    private static final Logger LOG = LoggerFactory.getLogger(TcpWriter.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 5000;

    private final String host;
    private final int port;
    private final ByteBuffer probe = ByteBuffer.allocate(256);
    private volatile SocketChannel channel;
    private volatile boolean aborted;

    /**
     * A writer to {@code host:port}; connects lazily.
     *
     * @param host the target host
     * @param port the target port
     */
    public TcpWriter(String host, int port) {
        this.host = host;
        this.port = port;
    }

    @Override
    public WriteResult write(byte[] buf, int off, int len, int lines) {
        try {
            SocketChannel ch = connected();
            ByteBuffer out = ByteBuffer.wrap(buf, off, len);
            while (out.hasRemaining()) {
                ch.write(out);
            }
            return WriteResult.delivered();
        } catch (IOException | RuntimeException e) {
            closeChannel();
            return WriteResult.retry(host + ":" + port + ": " + e, 0);
        }
    }

    private SocketChannel connected() throws IOException {
        SocketChannel ch = channel;
        if (ch != null && peerClosed(ch)) {
            LOG.info("{}:{} closed the connection; reconnecting", host, port);
            closeChannel();
            ch = null;
        }
        if (ch == null) {
            if (aborted) {
                throw new IOException("aborted");
            }
            ch = SocketChannel.open();
            channel = ch;
            try {
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
                ch.socket().connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
                if (ch.getLocalAddress().equals(ch.getRemoteAddress())) {
                    // TCP simultaneous open: connecting again and again to a free local port in the
                    // ephemeral range can connect the socket to itself, and every write would vanish
                    throw new IOException("connected to itself (nobody listens on " + host + ":" + port + ")");
                }
            } catch (IOException | RuntimeException e) {
                closeChannel();
                throw e;
            }
            if (aborted) {
                closeChannel();
                throw new IOException("aborted");
            }
            LOG.debug("Connected to {}:{}", host, port);
        }
        return ch;
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
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /** Closes the connection: a blocked connect or write fails at once. */
    @Override
    public void abort() {
        aborted = true;
        closeChannel();
    }

    @Override
    public void close() {
        abort();
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
