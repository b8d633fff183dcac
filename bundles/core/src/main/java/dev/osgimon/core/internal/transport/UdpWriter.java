package dev.osgimon.core.internal.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.transport.LineWriter;
import dev.osgimon.api.transport.WriteResult;

/**
 * Writes lines as UDP datagrams (Telegraf {@code socket_listener} udp, InfluxDB 1.x {@code [[udp]]}).
 * Datagrams carry whole lines only, packed up to {@code maxPayload} bytes (1472 fits a 1500-byte
 * MTU); a single line longer than that goes alone, and one longer than a datagram can hold is
 * refused for good. UDP has no acknowledgement: a datagram the socket took counts as delivered; a
 * full socket buffer or a send error is a retry.
 */
public final class UdpWriter implements LineWriter {

    private static final Logger LOG = LoggerFactory.getLogger(UdpWriter.class);
    private static final int MAX_DATAGRAM = 65_507;

    private final InetSocketAddress target;
    private final int maxPayload;
    private final DatagramChannel channel;
    private int refused;

    /**
     * Opens the channel.
     *
     * @param host the target host
     * @param port the target port
     * @param maxPayload the most bytes per datagram
     */
    public UdpWriter(String host, int port, int maxPayload) {
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
    public WriteResult write(byte[] buf, int off, int len, int lines) {
        refused = 0;
        int end = off + len;
        int start = off;
        int lineStart = off;
        int count = 0;
        try {
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
        } catch (IOException e) {
            return WriteResult.retry("UDP to " + target + ": " + e, 0);
        }
        return WriteResult.deliveredExcept(refused, refused + " lines longer than a UDP datagram");
    }

    private void datagram(byte[] buf, int off, int len, int lines) throws IOException {
        if (len > MAX_DATAGRAM) {
            refused += lines;
            LOG.debug("Refused a {}-byte line: larger than a UDP datagram", len);
            return;
        }
        if (channel.send(ByteBuffer.wrap(buf, off, len), target) == 0) {
            throw new IOException("the socket buffer is full");
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
