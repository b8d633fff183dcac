package dev.osgimon.core.internal.transport;

import dev.osgimon.api.transport.LineBuffer;
import dev.osgimon.api.transport.LineSink;
import dev.osgimon.api.transport.Transport;
import dev.osgimon.api.transport.TransportStats;

/**
 * Keeps lines while no transport for the target's scheme is available yet (its bundle is not
 * started); they are handed over with {@link #drainTo} once it is.
 */
public final class PendingTransport implements Transport {

    private final String target;
    private final LineBuffer buffer;

    /**
     * @param target the target, for messages
     * @param bufferLines the most lines kept
     */
    public PendingTransport(String target, int bufferLines) {
        this.target = target;
        this.buffer = new LineBuffer(bufferLines);
    }

    @Override
    public synchronized void send(byte[] buf, int off, int len, int lines) {
        buffer.add(buf, off, len);
    }

    @Override
    public synchronized TransportStats stats() {
        return new TransportStats(0, buffer.dropped(), 0, 0, buffer.lines(), buffer.capacity());
    }

    @Override
    public synchronized void drainTo(LineSink next) {
        buffer.drainTo(next);
    }

    @Override
    public void close() {
        // nothing runs
    }

    @Override
    public String toString() {
        return target + " (waiting for its transport)";
    }
}
