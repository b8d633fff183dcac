package dev.osgimon.core.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The TCP transport against real sockets: buffering while down, order, reconnects, drops, threads. */
class TcpTransportTest {

    @Test
    void buffersWhileTheReceiverIsDownAndSendsInOrderWhenItIsBack() throws Exception {
        int port = freePort();
        TcpTransport t = new TcpTransport("127.0.0.1", port, 1000, 20, 200);
        try {
            for (int i = 0; i < 10; i++) {
                send(t, "m v=" + i + "i\n");
            }
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> t.stats().writeErrors() > 0);
            assertThat(t.stats().linesBuffered()).isEqualTo(10);

            try (Receiver r = new Receiver(port)) {
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> r.lines.size() == 10);
                for (int i = 10; i < 20; i++) {
                    send(t, "m v=" + i + "i\n");
                }
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> r.lines.size() == 20);
                for (int i = 0; i < 20; i++) {
                    assertThat(r.lines.get(i)).isEqualTo("m v=" + i + "i");
                }
            }
            assertThat(t.stats().linesSent()).isEqualTo(20);
            assertThat(t.stats().linesDropped()).isZero();
        } finally {
            t.close();
        }
        assertThat(t.isStopped()).isTrue();
    }

    @Test
    void aReceiverRestartLosesNothing() throws Exception {
        int port = freePort();
        TcpTransport t = new TcpTransport("127.0.0.1", port, 1000, 20, 200);
        List<String> all = new CopyOnWriteArrayList<>();
        try {
            try (Receiver r = new Receiver(port)) {
                send(t, "a v=1i\n");
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> r.lines.size() == 1);
                all.addAll(r.lines);
            }
            // the receiver is gone (FIN sent); lines written now must not vanish into the dead socket
            send(t, "a v=2i\n");
            send(t, "a v=3i\n");
            try (Receiver r = new Receiver(port)) {
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> r.lines.size() == 2);
                all.addAll(r.lines);
            }
            assertThat(all).containsExactly("a v=1i", "a v=2i", "a v=3i");
            assertThat(t.stats().reconnects()).isEqualTo(1);
        } finally {
            t.close();
        }
    }

    @Test
    void dropsTheOldestLinesWhenTheBufferIsFull() throws Exception {
        int port = freePort();
        TcpTransport t = new TcpTransport("127.0.0.1", port, 5, 20, 100);
        try {
            for (int i = 0; i < 8; i++) {
                send(t, "m v=" + i + "i\n");
            }
            assertThat(t.stats().linesDropped()).isEqualTo(3);
            try (Receiver r = new Receiver(port)) {
                Awaitility.await().atMost(Duration.ofSeconds(10))
                        .untilAsserted(() -> assertThat(r.lines).as("received; transport %s", t.stats())
                                .containsExactly("m v=3i", "m v=4i", "m v=5i", "m v=6i", "m v=7i"));
            }
        } finally {
            t.close();
        }
    }

    @Test
    void closeStopsTheSenderThreadEvenWhileReconnecting() {
        TcpTransport t = new TcpTransport("127.0.0.1", 1, 10, 1000, 10_000);
        send(t, "m v=1i\n");
        t.close();
        assertThat(t.isStopped()).isTrue();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(th -> th.getName().equals("osgimon-tcp-127.0.0.1:1"));
    }

    /** A loopback port nobody listens on now. */
    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static void send(TcpTransport t, String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        t.send(b, 0, b.length, 1);
    }

    /** A line receiver on a port, accepting one connection at a time. */
    private static final class Receiver implements AutoCloseable {
        final List<String> lines = new CopyOnWriteArrayList<>();
        private final ServerSocket server;
        private final Thread thread;
        private volatile Socket current;

        Receiver(int port) throws IOException {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            thread = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = accept();
                         BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
                        String l;
                        while ((l = in.readLine()) != null) {
                            lines.add(l);
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            thread.start();
        }

        private Socket accept() throws IOException {
            Socket s = server.accept();
            current = s;
            return s;
        }

        @Override
        public void close() throws Exception {
            // close like a restarting receiver: listener and connection
            server.close();
            Socket s = current;
            if (s != null) {
                s.close();
            }
            thread.join(5000);
        }
    }
}
