package dev.osgimon.itests.memtrace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jdk.jfr.EventType;
import jdk.jfr.consumer.RecordingFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.osgimon.itests.support.Distribution;
import dev.osgimon.itests.support.Waits;

/** {@code nc 127.0.0.1 4242 > heap.jfr}, Enter, against the real distribution. */
class MemtraceEndToEndTest {

    @TempDir
    Path tmp;

    private static Socket connect(int port) throws Exception {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(60_000);
        return socket;
    }

    @Test
    void aClientGetsAJfrFileThatTheJfrToolReadsAndASecondClientIsClosed() throws Exception {
        try (Distribution d = Distribution.start(Map.of())) {
            int port = d.port("OSGIMON_MEMTRACE_PORT");
            Waits.until("memtrace listening", Duration.ofSeconds(30),
                    () -> d.logText().contains("memtrace listening on 127.0.0.1:" + port));
            try (Socket client = connect(port)) {
                CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
                    try (InputStream in = client.getInputStream()) {
                        return in.readAllBytes();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                Waits.until("the session", Duration.ofSeconds(30), () -> d.logText().contains("memtrace: session with"));
                try (Socket second = connect(port)) {
                    assertThat(second.getInputStream().read()).as("second client closed at once").isEqualTo(-1);
                }
                // past the warm-up and one 5 s chunk
                long t0 = System.nanoTime();
                Waits.until("6 s of recording", Duration.ofSeconds(30), () -> System.nanoTime() - t0 > 6_000_000_000L);
                client.getOutputStream().write('\n');
                byte[] trace = received.get(60, TimeUnit.SECONDS);

                Path file = Files.write(tmp.resolve("heap.jfr"), trace);
                try (RecordingFile recording = new RecordingFile(file)) {
                    assertThat(recording.readEventTypes()).extracting(EventType::getName)
                            .contains("jdk.ObjectAllocationSample");
                }
                Path jfr = Path.of(System.getProperty("java.home"), "bin", "jfr");
                Process summary = new ProcessBuilder(jfr.toString(), "summary", file.toString())
                        .redirectErrorStream(true).start();
                String output = new String(summary.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(summary.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(summary.exitValue()).as(output).isZero();
                assertThat(output).contains("Chunks: 2").contains("jdk.ObjectAllocationSample");
            }
            Waits.until("the session ended", Duration.ofSeconds(30),
                    () -> d.logText().contains("(client asked to stop)"));
            assertThat(d.logText()).contains("memtrace: refused");
        }
    }

    /** Reads the start of a JFR file from a client's connection, then stops the session. */
    private static void assertTraceArrives(Socket client) throws Exception {
        assertThat(client.getInputStream().readNBytes(4)).containsExactly('F', 'L', 'R', 0);
        client.getOutputStream().write('\n');
        client.getInputStream().readAllBytes();
    }

    @Test
    void probesNeverLeaveThePortBusy() throws Exception {
        try (Distribution d = Distribution.start(Map.of())) {
            int port = d.port("OSGIMON_MEMTRACE_PORT");
            Waits.until("memtrace listening", Duration.ofSeconds(30),
                    () -> d.logText().contains("memtrace listening on 127.0.0.1:" + port));
            // a port check (connect, close), then a real client 10 ms later
            connect(port).close();
            Thread.sleep(10); // the scenario, not a wait for a condition
            try (Socket client = connect(port)) {
                assertTraceArrives(client);
            }
            // a hundred quick connect/close cycles, then a real client
            for (int i = 0; i < 100; i++) {
                connect(port).close();
            }
            try (Socket client = connect(port)) {
                assertTraceArrives(client);
            }
        }
    }
}
