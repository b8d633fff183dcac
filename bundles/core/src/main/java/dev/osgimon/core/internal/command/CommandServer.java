package dev.osgimon.core.internal.command;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP command server: one command per connection, one answer line, then close.
 *
 * <p>Each connection is served by its own thread from a bounded pool; a connection beyond
 * {@link Limits#maxConnections()} is answered {@code error: busy} at once and closed, so a slow or
 * hostile client can never delay another beyond that. A line longer than
 * {@link Limits#maxLineBytes()} is refused, and a client that has not sent a complete line within
 * {@link Limits#idleTimeout()} is answered {@code error: timeout} and closed.
 */
final class CommandServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommandServer.class);

    /** Drained after an over-long line at most, so its sender can read the answer. */
    private static final long MAX_DRAIN_BYTES = 64L * 1024 * 1024;

    private static final long ACCEPT_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /**
     * How much the server takes.
     *
     * @param maxLineBytes the longest accepted line, without its terminator
     * @param idleTimeout how long a client may take to send its line
     * @param maxConnections connections served at the same time
     */
    record Limits(int maxLineBytes, Duration idleTimeout, int maxConnections) {

        /** The limits of docs/protocol.md: 4096 bytes, 10 s, 64 connections. */
        static final Limits DEFAULT = new Limits(4096, Duration.ofSeconds(10), 64);
    }

    private final ServerSocket server;
    private final Function<String, String> handler;
    private final Limits limits;
    private final ExecutorService workers;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicInteger active = new AtomicInteger();
    private final Thread acceptor;
    private volatile boolean closed;

    /**
     * Binds the server socket and starts accepting.
     *
     * @param address where to listen (port 0 picks a free port)
     * @param handler runs one command line and returns its answer without terminator
     * @param limits the limits
     * @throws IOException if the address cannot be bound
     */
    CommandServer(InetSocketAddress address, Function<String, String> handler, Limits limits) throws IOException {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(address, 128);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        AtomicInteger n = new AtomicInteger();
        // at most maxConnections tasks exist at any time (counted in acceptLoop), so the queue never
        // holds more than that; a finished thread that is not back at the queue yet causes no refusal
        ThreadPoolExecutor pool = new ThreadPoolExecutor(limits.maxConnections(), limits.maxConnections(), 30,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = daemon(r, "osgimon-command-" + n.incrementAndGet());
                    threads.removeIf(old -> !old.isAlive());
                    threads.add(t);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        this.workers = pool;
        this.acceptor = daemon(this::acceptLoop, "osgimon-command-accept");
        acceptor.start();
    }

    /**
     * The bound address.
     *
     * @return the local address, with the real port
     */
    InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    // e.g. out of file descriptors: back off instead of spinning
                    LOG.warn("Command server: accept failed: {}", e.toString());
                    LockSupport.parkNanos(ACCEPT_BACKOFF_NANOS);
                }
                continue;
            }
            if (active.incrementAndGet() > limits.maxConnections()) {
                active.decrementAndGet();
                refuse(socket);
                continue;
            }
            open.add(socket);
            try {
                workers.execute(() -> {
                    try {
                        serve(socket);
                    } finally {
                        open.remove(socket);
                        active.decrementAndGet();
                    }
                });
            } catch (RuntimeException e) {
                open.remove(socket);
                active.decrementAndGet();
                refuse(socket);
            }
        }
    }

    private void refuse(Socket socket) {
        LOG.debug("Command server busy, refusing {}", socket.getRemoteSocketAddress());
        try (socket) {
            OutputStream out = socket.getOutputStream();
            out.write("error: busy\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.shutdownOutput();
            // read what already arrived, so that closing does not reset the connection before the answer is read
            InputStream in = socket.getInputStream();
            int available = in.available();
            if (available > 0) {
                in.skip(Math.min(available, limits.maxLineBytes() + 2L));
            }
        } catch (IOException e) {
            // the client went away; nothing to do
        }
    }

    private void serve(Socket socket) {
        SocketAddress client = socket.getRemoteSocketAddress();
        long deadline = System.nanoTime() + limits.idleTimeout().toNanos();
        try (socket) {
            socket.setTcpNoDelay(true);
            try {
                serve(socket, client, deadline);
            } catch (SocketTimeoutException e) {
                LOG.info("Command from {} refused: no complete line within {} s", client,
                        limits.idleTimeout().toSeconds());
                answer(socket, "error: timeout (no complete line within " + limits.idleTimeout().toSeconds() + " s)");
            }
        } catch (IOException e) {
            if (!closed) {
                LOG.debug("Command connection from {} failed", client, e);
            }
        }
    }

    private void serve(Socket socket, SocketAddress client, long deadline) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[limits.maxLineBytes() + 2];
        int len = 0;
        int end = -1;
        while (end < 0 && len < buf.length) {
            socket.setSoTimeout(remainingMillis(deadline));
            int n = in.read(buf, len, buf.length - len);
            if (n < 0) {
                end = len;
                break;
            }
            for (int i = len; i < len + n; i++) {
                if (buf[i] == '\n') {
                    end = i;
                    break;
                }
            }
            len += n;
        }
        if (end > 0 && buf[end - 1] == '\r') {
            end--;
        }
        if (end < 0 || end > limits.maxLineBytes()) {
            LOG.info("Command from {} refused: line longer than {} bytes", client, limits.maxLineBytes());
            answer(socket, "error: line too long (limit " + limits.maxLineBytes() + " bytes)");
            drainLine(socket, in, buf, deadline);
            return;
        }
        String line = new String(buf, 0, end, StandardCharsets.UTF_8);
        String reply = run(line);
        LOG.info("Command from {}: {} -> {}", client, CommandParser.quote(line), CommandParser.quote(reply));
        answer(socket, reply);
    }

    private String run(String line) {
        try {
            return handler.apply(line);
        } catch (RuntimeException e) {
            LOG.error("Command {} failed", CommandParser.quote(line), e);
            return "error: internal error";
        }
    }

    private static void answer(Socket socket, String reply) throws IOException {
        if (socket.isClosed()) {
            return;
        }
        OutputStream out = socket.getOutputStream();
        out.write((reply + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        socket.shutdownOutput();
    }

    /** Reads the rest of an over-long line, bounded, so that the client can still read the answer. */
    private static void drainLine(Socket socket, InputStream in, byte[] buf, long deadline) throws IOException {
        long drained = 0;
        try {
            while (drained < MAX_DRAIN_BYTES) {
                socket.setSoTimeout(remainingMillis(deadline));
                int n = in.read(buf);
                if (n < 0) {
                    return;
                }
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        return;
                    }
                }
                drained += n;
            }
        } catch (SocketTimeoutException | SocketException e) {
            // done: the answer has been written
        }
    }

    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
            throw new SocketTimeoutException("idle timeout");
        }
        return (int) Math.min(left, Integer.MAX_VALUE);
    }

    /** Stops accepting, closes every connection and stops every thread. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("Closing the command server socket failed", e);
        }
        workers.shutdownNow();
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            acceptor.join(5000);
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Command server threads did not stop within 5 s");
            }
            for (Thread t : threads) {
                t.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
