package dev.osgimon.core.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.osgimon.api.admin.DeliveryStatus;
import dev.osgimon.api.transport.LineWriter;
import dev.osgimon.api.transport.WriteResult;
import dev.osgimon.core.internal.transport.LineReceiver;

/** The outbox with real TCP writers and receivers: order across switches, black holes, answers, caps. */
class OutboxTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    private Delivery delivery(String target) {
        Delivery d = keep(new Delivery(FileChannel::open, 10, 200));
        d.configure(Delivery.parse(target, 100_000, 1472, "memory", "", 256L << 20, "batch"));
        return d;
    }

    private static void cycle(Outbox o, int n) {
        byte[] b = ("c,host=a n=" + n + "i\n").getBytes(StandardCharsets.UTF_8);
        o.append(b, 0, b.length, 1);
    }

    @Test
    void cyclesArriveInOrderAcrossATcpSwitchMadeWhileTheFirstTargetWasDown() throws Exception {
        Socket down = keep(new Socket());
        down.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)); // bound, not listening: refused
        LineReceiver second = keep(new LineReceiver());
        Delivery d = delivery("tcp://127.0.0.1:" + down.getLocalPort());
        Outbox o = d.outbox();
        for (int n = 0; n < 50; n++) {
            cycle(o, n);
        }
        Awaitility.await().atMost(WAIT).until(() -> o.status().writeErrors() > 0);
        d.configure(Delivery.parse("tcp://127.0.0.1:" + second.port(), 100_000, 1472, "memory", "", 256L << 20,
                "batch"));
        for (int n = 50; n < 100; n++) {
            cycle(o, n);
        }
        Awaitility.await().atMost(WAIT).until(() -> second.lines.size() >= 100);
        assertThat(numbers(second.lines)).as("every cycle once, strictly increasing").isEqualTo(range(0, 100));
        DeliveryStatus s = o.status();
        assertThat(s.linesSent()).isEqualTo(100);
        assertThat(s.linesDropped()).isZero();
        assertThat(s.linesBuffered()).isZero();
        assertThat(s.target()).isEqualTo("tcp://127.0.0.1:" + second.port());
    }

    /** A listener that accepts connections and never reads from them. */
    private static final class BlackHole implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final List<Socket> accepted = new CopyOnWriteArrayList<>();
        final Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(server.accept());
                }
            } catch (IOException closed) {
                // done
            }
        }, "test-black-hole");

        BlackHole() throws IOException {
            acceptor.start();
        }

        String target() {
            return "tcp://127.0.0.1:" + server.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            server.close();
            for (Socket s : accepted) {
                s.close();
            }
            acceptor.join(5000);
            assertThat(acceptor.isAlive()).isFalse();
        }
    }

    /** Waits until the sender is stuck: connected, the socket buffers full, nothing more goes out. */
    private static void awaitStuck(Outbox o, BlackHole hole, int connections) {
        Awaitility.await().atMost(WAIT).until(() -> hole.accepted.size() >= connections);
        java.util.concurrent.atomic.AtomicLong last = new java.util.concurrent.atomic.AtomicLong(-1);
        Awaitility.await().pollInterval(Duration.ofMillis(100)).during(Duration.ofMillis(500)).atMost(WAIT)
                .until(() -> last.getAndSet(o.status().linesSent()) == o.status().linesSent());
        assertThat(o.status().linesBuffered()).isPositive();
    }

    private static Delivery.Settings memory(String target) {
        return Delivery.parse(target, 100_000_000, 1472, "memory", "", 1L << 30, "batch");
    }

    @Test
    void aBlackHoleTargetNeitherBlocksAConfigurationChangeNorTheStop() throws Exception {
        BlackHole a = keep(new BlackHole());
        BlackHole b = keep(new BlackHole());
        LineReceiver good = keep(new LineReceiver());
        Delivery d = new Delivery(FileChannel::open, 10, 200);
        d.configure(memory(a.target()));
        Outbox o = d.outbox();
        byte[] filler = ("b,host=a f=\"" + "x".repeat(1000) + "\" 1\n").repeat(64).getBytes(StandardCharsets.UTF_8);
        int batches = 600; // 40 MB: more than the socket buffers of every connection below hold
        for (int i = 0; i < batches; i++) {
            o.append(filler, 0, filler.length, 64);
        }
        cycle(o, 0);

        // switch between the two black holes while the sender is stuck in each
        List<Long> millis = new ArrayList<>();
        long intoBlackHoles = 0;
        BlackHole[] order = {a, b, a, b, a};
        int[] connections = {1, 1, 2, 2, 3};
        for (int i = 0; i < order.length; i++) {
            awaitStuck(o, order[i], connections[i]);
            String next = i + 1 < order.length ? order[i + 1].target() : good.target();
            intoBlackHoles = o.status().linesSent(); // stuck: nothing more goes out
            long t0 = System.nanoTime();
            d.configure(memory(next));
            millis.add((System.nanoTime() - t0) / 1_000_000);
        }
        millis.sort(null);
        assertThat(millis).as("no configuration change waits for a stuck write").allMatch(m -> m < 1000);
        assertThat(millis.get(millis.size() / 2)).as("a configuration change returns within 100 ms (median)")
                .isLessThan(100);

        Awaitility.await().atMost(WAIT).until(() -> o.status().linesBuffered() == 0);
        // what the black holes' sockets took counts as sent; the write stuck in them went on to the
        // next target, so the receiver has everything else, in order, the last cycle last
        long expected = o.status().linesSent() - intoBlackHoles;
        Awaitility.await().atMost(WAIT).until(() -> good.lines.size() >= expected);
        assertThat(good.lines).hasSize((int) expected);
        assertThat(good.lines.get(good.lines.size() - 1)).isEqualTo("c,host=a n=0i");
        assertThat(o.status().linesDropped()).isZero();
        d.close();
        assertThat(o.isStopped()).as("deactivation stops the outbox thread").isTrue();
    }

    @Test
    void aStopDuringABlackHoleWriteEndsEveryThread() throws Exception {
        ServerSocket blackHole = keep(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        Delivery d = new Delivery(FileChannel::open, 10, 200);
        d.configure(Delivery.parse("tcp://127.0.0.1:" + blackHole.getLocalPort(), 100_000, 1472, "memory", "",
                256L << 20, "batch"));
        byte[] filler = ("b f=\"" + "x".repeat(1000) + "\" 1\n").repeat(64).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 200; i++) {
            d.outbox().append(filler, 0, filler.length, 64);
        }
        try (Socket s = blackHole.accept()) {
            d.close();
            assertThat(d.outbox().isStopped()).isTrue();
        }
    }

    @Test
    void aRejectedBatchIsDroppedAndCountedAndTheOthersAreDelivered() throws Exception {
        List<String> delivered = new CopyOnWriteArrayList<>();
        LineWriter picky = new LineWriter() {
            @Override
            public WriteResult write(byte[] buf, int off, int len, int lines) {
                String text = new String(buf, off, len, StandardCharsets.UTF_8);
                if (text.contains("bad")) {
                    return WriteResult.rejected("HTTP 400 unable to parse");
                }
                delivered.add(text);
                return WriteResult.delivered();
            }

            @Override
            public void close() {
            }
        };
        Outbox o = keep(new Outbox("test-outbox", 1000, 1 << 20, 10, 100));
        byte[] a = "a v=1i\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = "bad v=\n".getBytes(StandardCharsets.UTF_8);
        byte[] c = "c v=1i\n".getBytes(StandardCharsets.UTF_8);
        o.append(a, 0, a.length, 1);
        o.append(bad, 0, bad.length, 1);
        o.append(c, 0, c.length, 1);
        o.useWriter("test://picky", () -> picky);
        Awaitility.await().atMost(WAIT).until(() -> o.status().linesSent() == 2);
        assertThat(String.join("", delivered)).isEqualTo("a v=1i\nc v=1i\n");
        assertThat(o.status().linesRejected()).isEqualTo(1);
        assertThat(o.status().linesBuffered()).isZero();
    }

    @Test
    void retriesKeepTheLinesUntilTheWriterDeliversAndHonourRetryAfter() throws Exception {
        List<String> delivered = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        LineWriter flaky = new LineWriter() {
            @Override
            public WriteResult write(byte[] buf, int off, int len, int lines) {
                if (calls.incrementAndGet() <= 3) {
                    return WriteResult.retry("HTTP 503", calls.get() == 3 ? 200 : 0);
                }
                delivered.add(new String(buf, off, len, StandardCharsets.UTF_8));
                return WriteResult.delivered();
            }

            @Override
            public void close() {
            }
        };
        Outbox o = keep(new Outbox("test-outbox", 1000, 1 << 20, 10, 100));
        cycle(o, 1);
        cycle(o, 2);
        o.useWriter("test://flaky", () -> flaky);
        Awaitility.await().atMost(WAIT).until(() -> o.status().linesSent() == 2);
        assertThat(String.join("", delivered)).isEqualTo("c,host=a n=1i\nc,host=a n=2i\n");
        DeliveryStatus s = o.status();
        assertThat(s.writeErrors()).isEqualTo(3);
        assertThat(s.reconnects()).isEqualTo(1);
        assertThat(s.connected()).isTrue();
        assertThat(s.lastError()).isEqualTo("HTTP 503");
    }

    @Test
    void aFullMemoryBufferDropsTheOldestWholeBatchesAndCountsThem() {
        Outbox o = keep(new Outbox("test-outbox", 5, 1 << 20, 10, 100));
        for (int n = 0; n < 8; n++) {
            cycle(o, n);
        }
        DeliveryStatus s = o.status();
        assertThat(s.linesBuffered()).isEqualTo(5);
        assertThat(s.linesDropped()).isEqualTo(3);
        assertThat(s.oldestBufferedAgeSeconds()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void aDiskSpoolKeepsTheLinesAcrossARestartAndReplaysThemInOrder(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        Socket down = keep(new Socket());
        down.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Delivery first = new Delivery(FileChannel::open, 10, 200);
        first.configure(Delivery.parse("tcp://127.0.0.1:" + down.getLocalPort(), 100_000, 1472, "disk",
                dir.toString(), 256L << 20, "batch"));
        Awaitility.await().atMost(WAIT).until(() -> first.status().buffer().equals("disk"));
        for (int n = 0; n < 20; n++) {
            cycle(first.outbox(), n);
        }
        first.close();

        LineReceiver r = keep(new LineReceiver());
        Delivery second = keep(new Delivery(FileChannel::open, 10, 200));
        second.configure(Delivery.parse("tcp://127.0.0.1:" + r.port(), 100_000, 1472, "disk", dir.toString(),
                256L << 20, "batch"));
        for (int n = 20; n < 30; n++) {
            cycle(second.outbox(), n);
        }
        Awaitility.await().atMost(WAIT).until(() -> r.lines.size() >= 30);
        assertThat(numbers(r.lines)).isEqualTo(range(0, 30));
        Awaitility.await().atMost(WAIT).until(() -> second.status().linesBuffered() == 0);
        assertThat(second.status().linesReplayed()).isEqualTo(20);
    }

    private static List<Integer> numbers(List<String> lines) {
        List<Integer> out = new ArrayList<>();
        for (String l : lines) {
            if (l.startsWith("c,")) {
                out.add(Integer.parseInt(l.substring(l.indexOf("n=") + 2, l.length() - 1)));
            }
        }
        return out;
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }
}
