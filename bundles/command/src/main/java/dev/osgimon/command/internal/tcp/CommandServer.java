package dev.osgimon.command.internal.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.command.internal.Text;

/**
 * The TCP command server: one command per connection, one answer line, then close.
 *
 * <p>One thread and one selector serve every connection, so thousands of idle or slow clients
 * cost a few hundred bytes each and no thread. Commands run on {@value #WORKERS} worker threads,
 * so a slow command never stalls the reading of others. A line longer than
 * {@link Limits#maxLineBytes()} is refused; a client without a complete line
 * {@link Limits#idleTimeout()} after it connected is answered {@code error: timeout}. When
 * {@link Limits#maxConnections()} connections are open, the one that has been idle longest (no
 * byte received for the longest time) is closed so that a newcomer is always served.
 *
 * <p>After its answer a connection is half-closed and read until the client closes (or for
 * {@link #LINGER} at most), so that closing never resets the connection before the answer is read.
 */
public final class CommandServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommandServer.class);

    /** Threads that run commands. */
    static final int WORKERS = 2;
    /** How long an answered connection waits for the client to close. */
    static final Duration LINGER = Duration.ofSeconds(2);
    /** Most bytes read and dropped after an answer, so that a flooding sender cannot keep a connection. */
    private static final long MAX_DRAIN_BYTES = 64L * 1024 * 1024;
    private static final long ACCEPT_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /**
     * How much the server takes.
     *
     * @param maxLineBytes the longest accepted line, without its terminator
     * @param idleTimeout how long a client may take to send its line
     * @param maxConnections connections open at the same time; beyond, the idle longest is closed
     */
    public record Limits(int maxLineBytes, Duration idleTimeout, int maxConnections) {

        /** The limits of docs/protocol.md: 4096 bytes, 10 s, 1024 connections. */
        public static final Limits DEFAULT = new Limits(4096, Duration.ofSeconds(10), 1024);

        public Limits {
            if (maxLineBytes < 1 || maxConnections < 1 || idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("limits must be positive: " + maxLineBytes + ", " + idleTimeout
                        + ", " + maxConnections);
            }
        }

        /**
         * The same limits with another connection cap.
         *
         * @param max the cap
         * @return new limits
         */
        public Limits withMaxConnections(int max) {
            return new Limits(maxLineBytes, idleTimeout, max);
        }
    }

    private enum State {
        /** Waiting for the line. */
        READING,
        /** The command runs on a worker. */
        RUNNING,
        /** The answer is being written. */
        WRITING,
        /** Answered; reading (and dropping) until the client closes. */
        LINGERING
    }

    /** One client. Touched only by the selector thread, except {@link #reply}. */
    private final class Connection {
        final SocketChannel channel;
        final SelectionKey key;
        final String who;
        final long deadline;
        State state = State.READING;
        byte[] line;
        int length;
        ByteBuffer out;
        long lingerDeadline;
        long drained;
        volatile String reply;

        Connection(SocketChannel channel, SelectionKey key, String who, long deadline) {
            this.channel = channel;
            this.key = key;
            this.who = who;
            this.deadline = deadline;
        }

        boolean open() {
            return channel.isOpen();
        }
    }

    private final ServerSocketChannel server;
    private final Selector selector;
    private final SelectionKey acceptKey;
    private final BiFunction<String, String, String> handler;
    private final Limits limits;
    private final ThreadPoolExecutor workers;
    private final Thread thread;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(8192);
    /** Connections not running a command, the one idle longest first (access order: a read moves it last). */
    private final LinkedHashMap<Connection, Connection> byIdle = new LinkedHashMap<>(64, 0.75f, true);
    /** Reading connections in the order they connected, which is the order of their deadlines. */
    private final ArrayDeque<Connection> byDeadline = new ArrayDeque<>();
    /** Answered connections in the order they were answered, which is the order of their linger deadlines. */
    private final ArrayDeque<Connection> byLinger = new ArrayDeque<>();
    private final Queue<Connection> answered = new ConcurrentLinkedQueue<>();
    private int open;
    /** {@link #open} for other threads (tests). */
    private volatile int openShown;
    /** Bytes received so far, for tests; written by the selector thread only. */
    private volatile long bytesRead;
    private long acceptPausedUntil;
    private volatile boolean closed;
    private final AtomicInteger evictions = new AtomicInteger();

    /**
     * Binds the server socket and starts serving.
     *
     * @param address where to listen (port 0 picks a free port)
     * @param handler runs one command line for a client ({@code who}) and returns its answer without terminator
     * @param limits the limits
     * @throws IOException if the address cannot be bound
     */
    public CommandServer(InetSocketAddress address, BiFunction<String, String, String> handler, Limits limits)
            throws IOException {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.selector = Selector.open();
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open();
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(address, 4096); // the kernel caps it at net.core.somaxconn; a reconnect storm needs room
            channel.configureBlocking(false);
            this.acceptKey = channel.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            selector.close();
            throw e;
        }
        this.server = channel;
        AtomicInteger n = new AtomicInteger();
        // the queue holds at most one task per open connection, so it is bounded by maxConnections
        this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> daemon(r, "osgimon-command-worker-" + n.incrementAndGet()));
        this.thread = daemon(this::run, "osgimon-command-io");
        thread.start();
    }

    /**
     * The bound address.
     *
     * @return the local address, with the real port
     */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.socket().getLocalSocketAddress();
    }

    /**
     * Connections closed so far to make room for a newcomer.
     *
     * @return the count
     */
    int evictions() {
        return evictions.get();
    }

    /** @return connections open now */
    int connections() {
        return openShown;
    }

    /** @return bytes received so far */
    long bytesRead() {
        return bytesRead;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void run() {
        try {
            while (!closed) {
                selector.select(this::handle, waitMillis());
                if (closed) {
                    break;
                }
                for (Connection c; (c = answered.poll()) != null; ) {
                    answer(c, c.reply);
                }
                long now = System.nanoTime();
                expire(now);
                if (acceptPausedUntil != 0 && now - acceptPausedUntil >= 0) {
                    acceptPausedUntil = 0;
                    acceptKey.interestOps(SelectionKey.OP_ACCEPT);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                LOG.error("Command server failed; no more commands until it is restarted", e);
            }
        } finally {
            for (SelectionKey key : selector.keys()) {
                closeQuietly(key.channel());
            }
            closeQuietly(server);
            closeQuietly(selector);
        }
    }

    /** Milliseconds until the next deadline (0: none, wait for an event). */
    private long waitMillis() {
        long next = Long.MAX_VALUE;
        Connection first = firstOpen(byDeadline);
        if (first != null) {
            next = first.deadline;
        }
        Connection lingering = firstOpen(byLinger);
        if (lingering != null && (next == Long.MAX_VALUE || lingering.lingerDeadline - next < 0)) {
            next = lingering.lingerDeadline;
        }
        if (acceptPausedUntil != 0 && (next == Long.MAX_VALUE || acceptPausedUntil - next < 0)) {
            next = acceptPausedUntil;
        }
        if (next == Long.MAX_VALUE) {
            return 0;
        }
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(next - System.nanoTime()) + 1);
    }

    private static Connection firstOpen(ArrayDeque<Connection> queue) {
        Connection c;
        while ((c = queue.peekFirst()) != null && !c.open()) {
            queue.pollFirst();
        }
        return c;
    }

    private void handle(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        if (key == acceptKey) {
            acceptAll();
            return;
        }
        Connection c = (Connection) key.attachment();
        try {
            if (key.isReadable()) {
                read(c);
            }
            if (c.open() && key.isValid() && key.isWritable()) {
                write(c);
            }
        } catch (RuntimeException e) {
            // one connection's trouble (e.g. a key cancelled meanwhile) never stops the server
            LOG.debug("Command connection from {} failed", c.who, e);
            close(c);
        }
    }

    private void acceptAll() {
        // a bounded number per round: connections accepted meanwhile get read (their line may be there
        // already) before so many newcomers arrive that one of them counts as the idle longest
        for (int accepted = 0; accepted < 64 && !closed; accepted++) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                // e.g. out of file descriptors: pause accepting instead of spinning
                LOG.warn("Command server: accept failed: {}", e.toString());
                acceptKey.interestOps(0);
                acceptPausedUntil = System.nanoTime() + ACCEPT_BACKOFF_NANOS;
                return;
            }
            if (channel == null) {
                return;
            }
            if (open >= limits.maxConnections()) {
                evictIdlest();
            }
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
                Connection c = new Connection(channel, key, who(channel),
                        System.nanoTime() + limits.idleTimeout().toNanos());
                key.attach(c);
                openShown = ++open;
                byIdle.put(c, c);
                byDeadline.addLast(c);
            } catch (IOException | RuntimeException e) {
                LOG.debug("Command server: cannot take a connection", e);
                closeQuietly(channel);
            }
        }
    }

    private static String who(SocketChannel channel) {
        try {
            InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
            return "tcp " + remote.getAddress().getHostAddress() + ":" + remote.getPort();
        } catch (IOException | RuntimeException e) {
            return "tcp (unknown)";
        }
    }

    private void evictIdlest() {
        Iterator<Connection> it = byIdle.keySet().iterator();
        if (!it.hasNext()) {
            return; // every connection runs a command; they end soon
        }
        Connection victim = it.next();
        evictions.incrementAndGet();
        LOG.debug("Command server full ({} connections): closing {}, idle longest", open, victim.who);
        try {
            victim.channel.write(ByteBuffer.wrap(("error: closed to make room (commandMaxClients "
                    + limits.maxConnections() + ")\n").getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            // closing anyway
        }
        close(victim);
    }

    private void read(Connection c) {
        readBuffer.clear();
        int n;
        try {
            n = c.channel.read(readBuffer);
        } catch (IOException e) {
            close(c);
            return;
        }
        if (n == 0) {
            return;
        }
        if (n > 0) {
            bytesRead += n;
        }
        if (c.state != State.READING) {
            afterAnswer(c, n);
            return;
        }
        byIdle.get(c); // touch: no longer the idle longest
        if (n < 0) {
            lineDone(c);
            return;
        }
        readBuffer.flip();
        while (readBuffer.hasRemaining()) {
            byte b = readBuffer.get();
            if (b == '\n') {
                lineDone(c);
                return;
            }
            if (c.length > limits.maxLineBytes()) {
                tooLong(c);
                return;
            }
            append(c, b);
        }
    }

    /** Bytes (or the end of stream) after the line: dropped, bounded; the end of stream closes once answered. */
    private void afterAnswer(Connection c, int n) {
        if (n < 0) {
            if (c.state == State.LINGERING) {
                close(c);
            } else {
                c.key.interestOps(c.key.interestOps() & ~SelectionKey.OP_READ);
            }
            return;
        }
        c.drained += n;
        if (c.drained > MAX_DRAIN_BYTES) {
            close(c);
        }
    }

    private void append(Connection c, byte b) {
        if (c.line == null) {
            c.line = new byte[Math.min(64, limits.maxLineBytes() + 1)];
        } else if (c.length == c.line.length) {
            c.line = Arrays.copyOf(c.line, Math.min(c.line.length * 2, limits.maxLineBytes() + 1));
        }
        c.line[c.length++] = b;
    }

    private void tooLong(Connection c) {
        // debug, not info: thousands of hostile clients must not flood the log nor stall this thread
        LOG.debug("Command from {} refused: line longer than {} bytes", c.who, limits.maxLineBytes());
        c.line = null;
        answer(c, "error: line too long (limit " + limits.maxLineBytes() + " bytes)");
    }

    private void lineDone(Connection c) {
        int end = c.length;
        if (end > 0 && c.line[end - 1] == '\r') {
            end--;
        }
        if (end > limits.maxLineBytes()) {
            tooLong(c);
            return;
        }
        String line = end == 0 ? "" : new String(c.line, 0, end, StandardCharsets.UTF_8);
        c.line = null;
        c.state = State.RUNNING;
        byIdle.remove(c);
        c.key.interestOps(SelectionKey.OP_READ); // still read: drop what follows the line
        try {
            workers.execute(() -> {
                c.reply = run(line, c.who);
                answered.add(c);
                selector.wakeup();
            });
        } catch (RejectedExecutionException e) {
            close(c);
        }
    }

    private String run(String line, String who) {
        try {
            String reply = handler.apply(line, who);
            LOG.debug("Command from {}: {} -> {}", who, Text.quote(line), Text.quote(reply));
            return reply;
        } catch (RuntimeException e) {
            LOG.error("Command {} from {} failed", Text.quote(line), who, e);
            return "error: internal error";
        }
    }

    private void answer(Connection c, String reply) {
        if (!c.open()) {
            return;
        }
        if (c.state == State.RUNNING) {
            byIdle.put(c, c);
        }
        c.state = State.WRITING;
        c.out = ByteBuffer.wrap((reply + "\n").getBytes(StandardCharsets.UTF_8));
        write(c);
    }

    private void write(Connection c) {
        try {
            c.channel.write(c.out);
            if (c.out.hasRemaining()) {
                c.key.interestOps(c.key.interestOps() | SelectionKey.OP_WRITE);
                return;
            }
            c.out = null;
            c.channel.shutdownOutput();
        } catch (IOException e) {
            close(c);
            return;
        }
        boolean readable = (c.key.interestOps() & SelectionKey.OP_READ) != 0;
        if (!readable) {
            close(c); // the client closed its side already
            return;
        }
        c.key.interestOps(SelectionKey.OP_READ);
        c.state = State.LINGERING;
        c.lingerDeadline = System.nanoTime() + LINGER.toNanos();
        byLinger.addLast(c);
    }

    private void expire(long now) {
        for (Connection c; (c = firstOpen(byDeadline)) != null && now - c.deadline >= 0; ) {
            byDeadline.pollFirst();
            if (c.state == State.READING) {
                LOG.debug("Command from {} refused: no complete line within {}", c.who,
                        Text.duration(limits.idleTimeout()));
                c.line = null;
                answer(c, "error: timeout (no complete line within " + Text.duration(limits.idleTimeout()) + ")");
            }
        }
        for (Connection c; (c = firstOpen(byLinger)) != null && now - c.lingerDeadline >= 0; ) {
            byLinger.pollFirst();
            close(c);
        }
    }

    private void close(Connection c) {
        if (!c.open()) {
            return;
        }
        byIdle.remove(c);
        openShown = --open;
        c.key.cancel();
        closeQuietly(c.channel);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("Closing {} failed", closeable, e);
        }
    }

    /** Stops accepting, closes every connection and stops every thread. */
    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        workers.shutdownNow();
        try {
            thread.join(5000);
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Command server workers did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("Command server thread did not stop within 5 s");
        }
        closeQuietly(server);
    }
}
