package dev.osgimon.core.internal.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.transport.Transport;
import dev.osgimon.api.transport.TransportStats;

/**
 * Sends lines as UDP datagrams (Telegraf {@code socket_listener} udp, InfluxDB 1.x {@code [[udp]]}).
 * Datagrams carry whole lines only, packed up to {@code maxPayload} bytes (1472 fits a 1500-byte MTU);
 * a single line longer than that goes alone, one longer than a datagram can hold is dropped and
 * counted. UDP gives no delivery guarantee and has nothing to buffer: sending never blocks.
 */
public final class UdpTransport implements Transport {

    private static final Logger LOG = LoggerFactory.getLogger(UdpTransport.class);
    private static final int MAX_DATAGRAM = 65_507;

    private final InetSocketAddress target;
    private final int maxPayload;
    private final DatagramChannel channel;
    private final Object lock = new Object();

    private long sent;
    private long dropped;
    private long errors;
    private boolean failing;

    /**
     * Opens the channel.
     *
     * @param host the target host
     * @param port the target port
     * @param maxPayload the most bytes per datagram
     */
    public UdpTransport(String host, int port, int maxPayload) {
        if (maxPayload < 64 || maxPayload > MAX_DATAGRAM) {
            throw new IllegalArgumentException("udpPayload must be within 64.." + MAX_DATAGRAM + ", was " + maxPayload);
        }
        this.target = new InetSocketAddress(host, port);
        if (target.isUnresolved()) {
            throw new IllegalArgumentException("cannot resolve host " + host);
        }
        this.maxPayload = maxPayload;
        try {
            this.channel = DatagramChannel.open();
            this.channel.configureBlocking(false);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a UDP channel: " + e, e);
        }
    }

    @Override
    public void send(byte[] buf, int off, int len, int lines) {
        synchronized (lock) {
            int end = off + len;
            int start = off;
            int lineStart = off;
            int count = 0;
            for (int i = off; i < end; i++) {
                if (buf[i] != '\n') {
                    continue;
                }
                int lineEnd = i + 1;
                if (lineEnd - start > maxPayload && lineStart > start) {
                    // the packet so far is full: send it without this line
                    datagram(buf, start, lineStart - start, count);
                    start = lineStart;
                    count = 0;
                }
                count++;
                lineStart = lineEnd;
                if (lineEnd - start >= maxPayload) {
                    datagram(buf, start, lineEnd - start, count);
                    start = lineEnd;
                    count = 0;
                }
            }
            if (lineStart > start) {
                datagram(buf, start, lineStart - start, count);
            }
        }
    }

    private void datagram(byte[] buf, int off, int len, int lines) {
        if (len > MAX_DATAGRAM) {
            dropped += lines;
            LOG.warn("Dropped a {}-byte line: larger than a UDP datagram", len);
            return;
        }
        try {
            int n = channel.send(ByteBuffer.wrap(buf, off, len), target);
            if (n == 0) {
                dropped += lines; // the socket buffer is full: UDP drops rather than blocks
            } else {
                sent += lines;
                failing = false;
            }
        } catch (IOException e) {
            errors++;
            dropped += lines;
            if (!failing) {
                LOG.warn("Cannot send UDP to {}: {}", target, e.toString());
                failing = true;
            }
        }
    }

    @Override
    public TransportStats stats() {
        synchronized (lock) {
            return new TransportStats(sent, dropped, errors, 0, 0, 0);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public String toString() {
        return "udp://" + target.getHostString() + ":" + target.getPort();
    }
}
