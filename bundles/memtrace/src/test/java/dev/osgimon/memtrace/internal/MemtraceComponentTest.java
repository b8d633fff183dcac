package dev.osgimon.memtrace.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jdk.jfr.FlightRecorder;
import jdk.jfr.consumer.RecordingFile;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DS component's life cycle, driven the way SCR drives it. */
class MemtraceComponentTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private MemtraceComponent component;

    @AfterEach
    void deactivate() {
        if (component != null) {
            component.deactivate();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout((int) PATIENCE.toMillis());
        return socket;
    }

    @Test
    void deactivationEndsARunningSessionWithACompleteTrace() throws Exception {
        int port = freePort();
        component = new MemtraceComponent(TestConfigs.config(Map.of("port", port, "chunkSeconds", 1)), List::of);
        MemtraceServer server = component.server();
        assertThat(server.port()).isEqualTo(port);
        try (Socket client = connect(port)) {
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
                try (InputStream in = client.getInputStream()) {
                    return in.readAllBytes();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(PATIENCE).until(() -> server.bytesSent() > 0);
            component.deactivate();
            component = null;
            byte[] trace = received.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            Path file = Files.write(tmp.resolve("heap.jfr"), trace);
            assertThat(RecordingFile.readAllEvents(file))
                    .anyMatch(e -> e.getEventType().getName().equals("jdk.ObjectAllocationSample"));
        }
        assertThat(FlightRecorder.getFlightRecorder().getRecordings()).isEmpty();
        try (Socket refused = new Socket()) {
            assertThatIOException().isThrownBy(() -> refused.connect(new InetSocketAddress("127.0.0.1", port), 2_000));
        }
    }

    @Test
    void portZeroOrAnInvalidConfigurationMeansNoListener() {
        component = new MemtraceComponent(TestConfigs.config(Map.of("port", 0)), List::of);
        assertThat(component.server()).isNull();
        component.modified(TestConfigs.config(Map.of("samplingRate", 0.0)));
        assertThat(component.server()).isNull();
        component.modified(TestConfigs.config(Map.of("throttle", "very fast")));
        assertThat(component.server()).isNull();
    }

    @Test
    void newSamplingSettingsApplyFromTheNextSessionWithoutDisturbingTheRunningOne() throws Exception {
        int port = freePort();
        component = new MemtraceComponent(TestConfigs.config(Map.of("port", port)), List::of);
        MemtraceServer server = component.server();
        try (Socket client = connect(port)) {
            await().atMost(PATIENCE).until(server::sessionActive);
            component.modified(TestConfigs.config(Map.of("port", port, "throttle", "20/s", "samplingRate", 1e-3)));
            assertThat(component.server()).isSameAs(server);
            assertThat(server.settings().throttle()).isEqualTo("20/s");
            assertThat(server.settings().samplingRate()).isEqualTo(1e-3);
            assertThat(server.sessionActive()).isTrue();
            assertThat(server.sessionsEnded()).isZero();
        }
    }

    @Test
    void aNewConfigurationMovesTheListener() throws Exception {
        int first = freePort();
        component = new MemtraceComponent(TestConfigs.config(Map.of("port", first)), List::of);
        try (Socket client = connect(first)) {
            await().atMost(PATIENCE).until(() -> component.server().sessionActive());
        }
        int second = freePort();
        component.modified(TestConfigs.config(Map.of("port", second, "throttle", "50/s")));
        assertThat(component.server().settings().throttle()).isEqualTo("50/s");
        try (Socket refused = new Socket()) {
            assertThatIOException().isThrownBy(() -> refused.connect(new InetSocketAddress("127.0.0.1", first), 2_000));
        }
        try (Socket client = connect(second)) {
            await().atMost(PATIENCE).until(() -> component.server().sessionActive());
        }
    }
}
