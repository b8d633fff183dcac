package dev.osgimon.memtrace.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memtrace listener: one thread, one selector, at most one session. While a client is connected a JFR
 * recording of allocation samples runs and every {@code chunk} its newest chunks go to the client; a second
 * client is closed at once. The session ends when the client sends a byte or closes its side (then the last
 * chunk is sent), when a write fails or makes no progress for {@code writeTimeout} (then nothing more is sent),
 * or when the server is closed (last chunk sent, bounded by the write timeout).
 * <p>
 * Memory stays bounded whatever the client does: chunks are read from the JFR repository through one
 * {@value #BUFFER_SIZE}-byte buffer and written with a fixed socket send buffer; a client that stops reading
 * stalls the writer, which gives up after the write timeout.
 */
public final class MemtraceServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MemtraceServer.class);

    /** Bytes read from the JFR repository at once. */
    static final int BUFFER_SIZE = 64 * 1024;
    /** Socket send buffer; a fixed size also bounds what the kernel holds for a client that stops reading. */
    static final int SEND_BUFFER = 128 * 1024;
    /** Length of the discarded first chunk (see {@link TraceRecording#WARM_UP_THROTTLE}). */
    static final Duration WARM_UP = Duration.ofMillis(300);

    private final ServerSocketChannel server;
    private final int port;
    private final Selector selector;
    private final Thread thread;
    private volatile MemtraceSettings settings;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(256);
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong sessionsEnded = new AtomicLong();
    private volatile boolean closing;
    private volatile Session session;
    /** A newcomer that arrived while the previous client's last chunk was still going out; served next. */
    private SocketChannel pending;

    private MemtraceServer(MemtraceSettings settings) throws IOException {
        this.settings = settings;
        this.selector = Selector.open();
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open();
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(settings.bind(), settings.port()), 4);
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            selector.close();
            throw e;
        }
        this.server = channel;
        this.port = channel.socket().getLocalPort();
        this.thread = new Thread(this::run, "osgimon-memtrace-" + port());
        thread.setDaemon(true);
    }

    /**
     * Binds {@code settings.bind():settings.port()} (port 0: an ephemeral port, see {@link #port()}) and starts
     * the listener thread.
     */
    public static MemtraceServer start(MemtraceSettings settings) throws IOException {
        MemtraceServer server = new MemtraceServer(settings);
        server.thread.start();
        LOG.info("memtrace listening on {}:{} (samplingRate {}, throttle {}, chunks of {} s)", settings.bind(),
                server.port(), settings.samplingRate(), settings.throttle().isEmpty() ? "derived"
                        : settings.throttle(), settings.chunk().toSeconds());
        return server;
    }

    /** The bound port. */
    public int port() {
        return port;
    }

    /** The settings the next session will run with. */
    public MemtraceSettings settings() {
        return settings;
    }

    /**
     * New settings for the next sessions (a running session keeps its own); port and bind must not change.
     *
     * @throws IllegalArgumentException when they would need another listener
     */
    public void update(MemtraceSettings newSettings) {
        if (!newSettings.sameListener(settings)) {
            throw new IllegalArgumentException("port and bind of a running listener cannot change");
        }
        settings = newSettings;
    }

    /** Bytes sent to all clients so far. */
    public long bytesSent() {
        return bytesSent.get();
    }

    /** Sessions ended so far. */
    public long sessionsEnded() {
        return sessionsEnded.get();
    }

    /** Whether a client is being served. */
    public boolean sessionActive() {
        return session != null;
    }

    /**
     * Ends a running session (its last chunk is sent, bounded by the write timeout), stops the thread and closes
     * the listener.
     */
    @Override
    public void close() {
        closing = true;
        selector.wakeup();
        try {
            thread.join(settings.writeTimeout().plusSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("memtrace thread did not stop in time; interrupting it");
            thread.interrupt();
        }
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing memtrace listener", e);
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("closing memtrace selector", e);
        }
    }

    private void run() {
        try {
            while (!closing) {
                Session current = session;
                long timeout = current == null ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(
                        current.nextTickNanos - System.nanoTime()) + 1);
                selector.select(timeout);
                handleSelected();
                current = session;
                if (current != null && !closing) {
                    current.tick();
                }
                if (session == null && pending != null && !closing) {
                    SocketChannel next = pending;
                    pending = null;
                    startSession(next);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!closing) {
                LOG.error("memtrace listener failed; no more sessions until reconfigured", e);
            }
        } finally {
            Session current = session;
            if (current != null) {
                current.end("memtrace is stopping", true);
            }
            if (pending != null) {
                try {
                    pending.close();
                } catch (IOException e) {
                    LOG.debug("memtrace: closing a waiting client", e);
                }
                pending = null;
            }
            closeQuietly();
            LOG.info("memtrace listener on {}:{} closed", settings.bind(), port);
        }
    }

    /** Reads before accepts, so that a client that just closed does not make its successor look like a second one. */
    private void handleSelected() throws IOException {
        boolean accept = false;
        for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext();) {
            SelectionKey key = it.next();
            it.remove();
            if (!key.isValid()) {
                continue;
            }
            if (key.channel() == server) {
                accept = true;
            } else if (key.isReadable() && key.attachment() instanceof Session s) {
                s.readClient();
            }
        }
        Session current = session;
        if (current != null && current.endRequested != null && !current.ending) {
            current.end(current.endRequested, true);
        }
        if (accept) {
            acceptAll();
        }
    }

    /**
     * Takes every waiting connection. Before a newcomer is refused, the current client is checked: one that
     * has already closed (a connect-and-close probe) or sent its byte is let go first, so that it never
     * leaves the port busy. While the last chunk of a leaving client is still being written, one newcomer
     * waits and is served next.
     */
    private void acceptAll() throws IOException {
        SocketChannel client;
        while ((client = server.accept()) != null) {
            SocketAddress remote = client.getRemoteAddress();
            Session current = session;
            if (current != null && !current.ending) {
                if (current.endRequested == null) {
                    current.readClient();
                }
                if (current.endRequested != null && !current.writing) {
                    current.end(current.endRequested, true);
                    current = session;
                }
            }
            if (current != null && !closing && current.endRequested != null) {
                if (pending != null && gone(pending)) {
                    pending.close();
                    pending = null;
                }
                if (pending == null) {
                    LOG.info("memtrace: {} waits until the session with {} has ended", remote, current.remote);
                    client.configureBlocking(false);
                    pending = client;
                    continue;
                }
            }
            if (current != null || closing) {
                LOG.warn("memtrace: refused {}, only one client at a time ({} is being served)", remote,
                        current == null ? "none" : current.remote);
                client.close();
                continue;
            }
            startSession(client);
        }
    }

    /** Whether a waiting client has closed or sent its byte already: then it wants no session. */
    private boolean gone(SocketChannel waiting) {
        readBuffer.clear();
        try {
            return waiting.read(readBuffer) != 0;
        } catch (IOException e) {
            return true;
        }
    }

    private void startSession(SocketChannel client) throws IOException {
        SocketAddress remote = client.getRemoteAddress();
        try {
            session = new Session(client, remote);
        } catch (IOException | RuntimeException e) {
            LOG.error("memtrace: cannot start a session for {}", remote, e);
            client.close();
        }
    }

    /** One connected client and its recording. */
    private final class Session {

        final MemtraceSettings settings = MemtraceServer.this.settings;
        final SocketChannel channel;
        final SocketAddress remote;
        final SelectionKey key;
        final TraceRecording recording;
        final ThrottleTuner tuner;
        final long startNanos = System.nanoTime();
        long nextTickNanos;
        boolean warmingUp = true;
        boolean ending;
        /** Inside {@link #write}: the session cannot be ended from there. */
        boolean writing;
        String endRequested;
        long sessionBytes;

        Session(SocketChannel channel, SocketAddress remote) throws IOException {
            this.channel = channel;
            this.remote = remote;
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SEND_BUFFER);
            this.tuner = settings.throttle().isEmpty() ? ThrottleTuner.forThisJvm(settings.samplingRate()) : null;
            this.recording = new TraceRecording("osgimon memtrace " + remote, TraceRecording.WARM_UP_THROTTLE,
                    settings.oldObjects(), settings.chunk(), BUFFER_SIZE);
            try {
                this.key = channel.register(selector, SelectionKey.OP_READ, this);
            } catch (ClosedChannelException | RuntimeException e) {
                recording.close();
                throw e;
            }
            this.nextTickNanos = startNanos + WARM_UP.toNanos();
            LOG.info("memtrace: session with {} started", remote);
        }

        /** Any byte or end of stream from the client asks for the end of the session. */
        void readClient() {
            readBuffer.clear();
            String reason;
            try {
                int n = channel.read(readBuffer);
                if (n == 0) {
                    return;
                }
                reason = n < 0 ? "client closed its side" : "client asked to stop";
            } catch (IOException e) {
                reason = "client connection failed: " + e.getMessage();
            }
            if (endRequested == null) {
                endRequested = reason;
            }
            if (key.isValid()) {
                key.interestOps(0);
            }
        }

        /** Rotates when due: ends the warm-up, or sends the chunks finished since the previous tick. */
        void tick() {
            long now = System.nanoTime();
            if (now - nextTickNanos < 0 || ending) {
                return;
            }
            try {
                long next = System.nanoTime() + settings.chunk().toNanos();
                if (warmingUp) {
                    recording.rotate(null);
                    warmingUp = false;
                    // the first chunk is due chunkSeconds after the client connected, the warm-up included
                    next = startNanos + settings.chunk().toNanos();
                    recording.throttle(tuner == null ? settings.throttle() : tuner.next());
                    LOG.debug("memtrace: warm-up over, throttle {}", recording.throttle());
                } else {
                    sessionBytes += recording.rotate(this::write);
                    if (tuner != null) {
                        recording.throttle(tuner.next());
                    }
                }
                nextTickNanos = next;
            } catch (IOException | RuntimeException e) {
                end("sending failed: " + e.getMessage(), false);
                return;
            }
            if (endRequested != null && !ending) {
                end(endRequested, true);
            }
        }

        /**
         * Writes all of {@code bytes}, waiting on the selector (refusing other clients meanwhile) while the socket
         * is full; fails when no byte could be written for the write timeout.
         */
        void write(ByteBuffer bytes) throws IOException {
            writing = true;
            try {
                writeAll(bytes);
            } finally {
                writing = false;
            }
        }

        private void writeAll(ByteBuffer bytes) throws IOException {
            long lastProgress = System.nanoTime();
            long timeout = settings.writeTimeout().toNanos();
            while (bytes.hasRemaining()) {
                int written = channel.write(bytes);
                if (written > 0) {
                    bytesSent.addAndGet(written);
                    lastProgress = System.nanoTime();
                    continue;
                }
                long waited = System.nanoTime() - lastProgress;
                if (waited >= timeout) {
                    throw new IOException("client made no progress reading for " + settings.writeTimeout());
                }
                int interest = endRequested == null ? SelectionKey.OP_READ : 0;
                key.interestOps(interest | SelectionKey.OP_WRITE);
                try {
                    selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeout - waited)));
                    for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext();) {
                        SelectionKey selected = it.next();
                        it.remove();
                        if (!selected.isValid()) {
                            continue;
                        }
                        if (selected.channel() == server) {
                            acceptAll();
                        } else if (selected == key && selected.isReadable()) {
                            readClient();
                        }
                    }
                } finally {
                    if (key.isValid()) {
                        key.interestOps(endRequested == null ? SelectionKey.OP_READ : 0);
                    }
                }
            }
        }

        /** Stops and closes the recording, sends what is left when {@code flush}, closes the connection. */
        void end(String reason, boolean flush) {
            ending = true;
            try {
                if (flush) {
                    sessionBytes += recording.finish(this::write);
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("memtrace: last chunk to {} not sent", remote, e);
            } finally {
                recording.close();
                key.cancel();
                try {
                    channel.close();
                } catch (IOException e) {
                    LOG.debug("memtrace: closing {}", remote, e);
                }
                session = null;
                sessionsEnded.incrementAndGet();
            }
            LOG.info("memtrace: session with {} ended after {} s ({}), {} bytes sent", remote,
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos), reason, sessionBytes);
        }
    }
}
