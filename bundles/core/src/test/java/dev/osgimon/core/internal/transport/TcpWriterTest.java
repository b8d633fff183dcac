package dev.osgimon.core.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.osgimon.api.transport.WriteResult;

/** The TCP writer against real sockets: answers, a receiver closing its side, abort. */
class TcpWriterTest {

    @Test
    void aRefusedConnectionIsARetryAndAListeningReceiverGetsTheLines() throws Exception {
        try (Socket holder = new Socket(); LineReceiver r = new LineReceiver()) {
            // a bound socket that does not listen: connecting to its port is refused
            holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            TcpWriter down = new TcpWriter("127.0.0.1", holder.getLocalPort());
            assertThat(write(down, "m v=0i\n").outcome()).isEqualTo(WriteResult.Outcome.RETRY);
            down.close();

            TcpWriter up = new TcpWriter("127.0.0.1", r.port());
            assertThat(write(up, "m v=1i\nm v=2i\n")).isEqualTo(WriteResult.delivered());
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> r.lines.size() == 2);
            assertThat(r.lines).containsExactly("m v=1i", "m v=2i");
            up.close();
        }
    }

    @Test
    void aReceiverThatClosedItsSideGetsTheNextLinesOnANewConnection() throws Exception {
        try (LineReceiver r = new LineReceiver()) {
            TcpWriter w = new TcpWriter("127.0.0.1", r.port());
            assertThat(write(w, "a v=1i\n")).isEqualTo(WriteResult.delivered());
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> r.lines.size() == 1);
            r.dropConnection();
            // the receiver sent FIN: the writer must not write into the dead connection
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                write(w, "a v=2i\n");
                return r.lines.contains("a v=2i");
            });
            // at least once, in order: the line written just before the close may come again
            assertThat(withoutRepeats(r.lines)).containsExactly("a v=1i", "a v=2i");
            w.close();
        }
    }

    @Test
    void linesARestartingReceiverNeverReadAreWrittenAgainOnTheNextConnection() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            TcpWriter w = new TcpWriter("127.0.0.1", server.getLocalPort());
            List<String> second = new CopyOnWriteArrayList<>();
            assertThat(write(w, "b v=1i\n")).isEqualTo(WriteResult.delivered());
            try (Socket first = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
                assertThat(in.readLine()).isEqualTo("b v=1i");
                // the receiver stops reading; this write still lands in its socket buffer
                assertThat(write(w, "b v=2i\n")).isEqualTo(WriteResult.delivered());
            } // ... and it closes with the line unread: lost on this connection
            Thread reader = new Thread(() -> {
                try (Socket s = server.accept();
                     BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = in.readLine()) != null) {
                        second.add(l);
                    }
                } catch (IOException ignored) {
                    // the test ends by closing the server
                }
            }, "test-second-connection");
            reader.start();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                write(w, "b v=3i\n");
                return second.contains("b v=3i");
            });
            assertThat(second).as("the unread line comes again, before the newer one").contains("b v=2i");
            assertThat(second.indexOf("b v=2i")).isLessThan(second.indexOf("b v=3i"));
            w.close();
            reader.join(5000);
        }
    }

    private static List<String> withoutRepeats(List<String> lines) {
        List<String> out = new java.util.ArrayList<>();
        for (String l : lines) {
            if (out.isEmpty() || !out.get(out.size() - 1).equals(l)) {
                out.add(l);
            }
        }
        return out;
    }

    @Test
    void abortEndsAWriteBlockedOnAReceiverThatNeverReads() throws Exception {
        ExecutorService exec = Executors.newSingleThreadExecutor();
        try (ServerSocket blackHole = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            TcpWriter w = new TcpWriter("127.0.0.1", blackHole.getLocalPort());
            byte[] big = ("x v=1i\n").repeat(4 * 1024 * 1024 / 7).getBytes(StandardCharsets.UTF_8);
            Future<WriteResult> f = exec.submit(() -> w.write(big, 0, big.length, big.length / 7));
            try (Socket accepted = blackHole.accept()) {
                Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !f.isDone());
                w.abort();
                assertThat(f.get(5, TimeUnit.SECONDS).outcome()).isEqualTo(WriteResult.Outcome.RETRY);
            }
            w.close();
        } finally {
            exec.shutdownNow();
            assertThat(exec.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static WriteResult write(TcpWriter w, String lines) {
        byte[] b = lines.getBytes(StandardCharsets.UTF_8);
        return w.write(b, 0, b.length, (int) lines.chars().filter(c -> c == '\n').count());
    }
}
