package dev.osgimon.itests.control;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A crowd of hostile clients on one thread and one selector: {@code idle} connections that never send a
 * byte and {@code slow} ones that send one byte a second and never finish a line (slowloris). A connection
 * the server closes (at its idle timeout) is opened again at once, so the crowd stays the same size for as
 * long as it runs.
 */
final class Crowd implements AutoCloseable {

    private static final long SLOW_EVERY = TimeUnit.SECONDS.toNanos(1);

    private final InetSocketAddress server;
    private final Selector selector;
    private final Thread thread;
    private final List<SocketChannel> channels = new ArrayList<>();
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicLong reopened = new AtomicLong();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(4096);
    private volatile boolean closed;

    /** What a connection does. */
    private static final class Member {
        final boolean slow;
        long nextByte;
        boolean up;

        Member(boolean slow) {
            this.slow = slow;
        }
    }

    /**
     * Opens the crowd.
     *
     * @param port the command port on 127.0.0.1
     * @param idle connections that say nothing
     * @param slow connections that send a byte a second
     */
    Crowd(int port, int idle, int slow) throws IOException {
        this.server = new InetSocketAddress("127.0.0.1", port);
        this.selector = Selector.open();
        for (int i = 0; i < idle + slow; i++) {
            open(new Member(i >= idle));
        }
        this.thread = new Thread(this::run, "itest-crowd");
        thread.setDaemon(true);
        thread.start();
    }

    /** @return connections established now */
    int connected() {
        return connected.get();
    }

    /** @return connections opened again after the server closed them */
    long reopened() {
        return reopened.get();
    }

    private void open(Member member) throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.connect(server);
        channel.register(selector, SelectionKey.OP_CONNECT, member);
        channels.add(channel);
    }

    private void run() {
        try {
            while (!closed) {
                selector.select(100);
                long now = System.nanoTime();
                for (SelectionKey key : selector.selectedKeys()) {
                    handle(key, now);
                }
                selector.selectedKeys().clear();
                for (SelectionKey key : selector.keys()) {
                    Member m = (Member) key.attachment();
                    if (key.isValid() && m.slow && m.up && now - m.nextByte >= 0) {
                        m.nextByte = now + SLOW_EVERY;
                        try {
                            ((SocketChannel) key.channel()).write(ByteBuffer.wrap(new byte[] {'x'}));
                        } catch (IOException e) {
                            lost(key);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                throw new IllegalStateException("crowd failed", e);
            }
        }
    }

    private void handle(SelectionKey key, long now) throws IOException {
        if (!key.isValid()) {
            return;
        }
        SocketChannel channel = (SocketChannel) key.channel();
        Member m = (Member) key.attachment();
        try {
            if (key.isConnectable()) {
                channel.finishConnect();
                m.up = true;
                m.nextByte = now + SLOW_EVERY;
                connected.incrementAndGet();
                key.interestOps(SelectionKey.OP_READ);
            } else if (key.isReadable()) {
                readBuffer.clear();
                if (channel.read(readBuffer) < 0) {
                    lost(key);
                }
            }
        } catch (IOException e) {
            lost(key);
        }
    }

    /** The server closed it (the idle timeout, most likely): open another in its place. */
    private void lost(SelectionKey key) throws IOException {
        Member m = (Member) key.attachment();
        if (m.up) {
            connected.decrementAndGet();
        }
        m.up = false;
        key.cancel();
        key.channel().close();
        channels.remove((SocketChannel) key.channel());
        if (!closed) {
            reopened.incrementAndGet();
            open(new Member(m.slow));
        }
    }

    @Override
    public void close() throws Exception {
        closed = true;
        selector.wakeup();
        thread.join(10_000);
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        for (SocketChannel c : channels) {
            c.close();
        }
        selector.close();
    }
}
