package dev.osgimon.memtrace.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jdk.jfr.FlightRecorder;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memtrace listener with real sockets and real JFR recordings, as a client such as {@code nc} sees it. */
class MemtraceServerTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private final AtomicBoolean stopAllocating = new AtomicBoolean();
    private final AtomicReference<Object> sink = new AtomicReference<>();
    private Thread allocator;
    private MemtraceServer server;

    @BeforeEach
    void startAllocating() {
        allocator = new Thread(this::allocateForMemtraceTest, "memtrace-test-allocator");
        allocator.setDaemon(true);
        allocator.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
        stopAllocating.set(true);
        allocator.join(10_000);
    }

    /** The allocation site every trace must show. */
    private void allocateForMemtraceTest() {
        long i = 0;
        while (!stopAllocating.get()) {
            sink.set(new long[64 + (int) (i++ & 255)]);
        }
    }

    /** Objects that stay alive through the session: what jdk.OldObjectSample reports. */
    private static List<long[]> retainForMemtraceTest() {
        List<long[]> retained = new java.util.ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            retained.add(new long[128]);
        }
        return retained;
    }

    private static MemtraceSettings settings(Duration writeTimeout) {
        return new MemtraceSettings(0, "127.0.0.1", 1e-4, "", Duration.ofSeconds(1), false, writeTimeout);
    }

    private MemtraceServer start() throws IOException {
        server = MemtraceServer.start(settings(Duration.ofSeconds(5)));
        return server;
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
        socket.setSoTimeout((int) PATIENCE.toMillis());
        return socket;
    }

    private static CompletableFuture<byte[]> readAll(Socket socket) {
        return CompletableFuture.supplyAsync(() -> {
            try (InputStream in = socket.getInputStream()) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private List<RecordedEvent> samples(byte[] trace) throws IOException {
        Path file = Files.write(tmp.resolve("heap.jfr"), trace);
        return RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("jdk.ObjectAllocationSample"))
                .collect(Collectors.toList());
    }

    private static boolean fromAllocator(RecordedEvent sample) {
        return sample.getStackTrace() != null && sample.getStackTrace().getFrames().stream()
                .anyMatch(f -> f.getMethod().getName().equals("allocateForMemtraceTest"));
    }

    private static long allocatedBy(Thread thread) {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(thread.getId());
    }

    private static void assertNoRecordingLeft() {
        await().atMost(PATIENCE).untilAsserted(
                () -> assertThat(FlightRecorder.getFlightRecorder().getRecordings()).isEmpty());
    }

    @Test
    void aByteFromTheClientEndsTheSessionWithAValidTraceOfOurAllocations() throws Exception {
        start();
        await().atMost(PATIENCE).until(() -> allocatedBy(allocator) > 100_000_000L);
        long allocatedBeforeSession = allocatedBy(allocator);
        try (Socket client = connect()) {
            CompletableFuture<byte[]> received = readAll(client);
            await().atMost(PATIENCE).until(() -> server.bytesSent() > 0);
            client.getOutputStream().write('\n');
            client.getOutputStream().flush();
            byte[] trace = received.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            long allocatedInSession = allocatedBy(allocator) - allocatedBeforeSession;

            assertThat(trace).startsWith('F', 'L', 'R', 0);
            List<RecordedEvent> samples = samples(trace);
            List<RecordedEvent> ours = samples.stream().filter(MemtraceServerTest::fromAllocator).toList();
            assertThat(ours).isNotEmpty();
            // A sample's weight is what its thread allocated since its previous sample. The allocator's first
            // sample of the session would carry everything it allocated before the session; it went with the
            // discarded warm-up chunk, so the weights add up to no more than what was allocated in the session.
            long weights = ours.stream().mapToLong(s -> s.getLong("weight")).sum();
            assertThat(weights).isLessThan(allocatedInSession + allocatedBeforeSession / 2);

            Path jfr = Path.of(System.getProperty("java.home"), "bin", "jfr");
            Process summary = new ProcessBuilder(jfr.toString(), "summary", tmp.resolve("heap.jfr").toString())
                    .redirectErrorStream(true).start();
            String output = new String(summary.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(summary.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(summary.exitValue()).as(output).isZero();
            assertThat(output).contains("jdk.ObjectAllocationSample");
        }
        await().atMost(PATIENCE).until(() -> !server.sessionActive());
        assertNoRecordingLeft();
    }

    @Test
    void anExplicitThrottleCapsTheSamplesAndOldObjectsAreRecordedOnRequest() throws Exception {
        server = MemtraceServer.start(new MemtraceSettings(0, "127.0.0.1", 1e-4, "5/s", Duration.ofSeconds(1), true,
                Duration.ofSeconds(5)));
        try (Socket client = connect()) {
            CompletableFuture<byte[]> received = readAll(client);
            await().atMost(PATIENCE).until(() -> server.bytesSent() > 0);
            // The allocator's garbage would crowd the retained objects out of JFR's old-object sample queue.
            stopAllocating.set(true);
            allocator.join(10_000);
            List<long[]> retained = retainForMemtraceTest();
            System.gc(); // JFR reports the sampled objects that are still alive after a collection
            client.getOutputStream().write('\n');
            byte[] trace = received.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            Path file = Files.write(tmp.resolve("old.jfr"), trace);
            List<RecordedEvent> events = RecordingFile.readAllEvents(file);
            long allocationSamples = events.stream()
                    .filter(e -> e.getEventType().getName().equals("jdk.ObjectAllocationSample")).count();
            // 1 to 2 s after the warm-up at 5/s (JFR allows bursts within a window); the derived throttle would
            // give 1000/s here.
            assertThat(allocationSamples).isBetween(1L, 300L);
            assertThat(events).anyMatch(e -> e.getEventType().getName().equals("jdk.OldObjectSample"));
            assertThat(retained).hasSize(20_000);
        }
        await().atMost(PATIENCE).until(() -> !server.sessionActive());
        assertNoRecordingLeft();
    }

    @Test
    void endOfStreamFromTheClientEndsTheSessionAndTheLastChunkStillArrives() throws Exception {
        start();
        try (Socket client = connect()) {
            CompletableFuture<byte[]> received = readAll(client);
            await().atMost(PATIENCE).until(server::sessionActive);
            // Long enough to get past the warm-up, so the trace holds samples of the allocator.
            await().atMost(PATIENCE).until(() -> server.bytesSent() > 0);
            client.shutdownOutput();
            byte[] trace = received.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(samples(trace)).anyMatch(MemtraceServerTest::fromAllocator);
        }
        await().atMost(PATIENCE).until(() -> !server.sessionActive());
        assertNoRecordingLeft();
    }

    @Test
    void aSecondClientIsClosedAtOnce() throws Exception {
        start();
        try (Socket first = connect()) {
            CompletableFuture<byte[]> received = readAll(first);
            await().atMost(PATIENCE).until(server::sessionActive);
            long ended = server.sessionsEnded();
            try (Socket second = connect()) {
                // closed while the first client is still being served: not made to wait for the first to end
                assertThat(second.getInputStream().read()).isEqualTo(-1);
            }
            assertThat(server.sessionActive()).isTrue();
            assertThat(server.sessionsEnded()).isEqualTo(ended);
            first.getOutputStream().write('q');
            assertThat(received.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).startsWith('F', 'L', 'R', 0);
        }
        // The first client is gone: the next one is served again.
        await().atMost(PATIENCE).until(() -> !server.sessionActive());
        try (Socket third = connect()) {
            await().atMost(PATIENCE).until(server::sessionActive);
        }
        await().atMost(PATIENCE).until(() -> !server.sessionActive());
    }

    @Test
    void aClientThatStopsReadingIsDroppedAfterTheWriteTimeout() throws Exception {
        server = MemtraceServer.start(settings(Duration.ofSeconds(1)));
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            await().atMost(PATIENCE).until(server::sessionActive);
            // Chunks of ~100 KB each second fill the fixed socket buffers within a few seconds; then the write
            // stalls and the session is ended: what the server holds for this client is bounded.
            await().atMost(Duration.ofSeconds(60)).until(() -> !server.sessionActive());
            assertThat(server.bytesSent()).isLessThan(16L * 1024 * 1024);
            assertNoRecordingLeft();
        }
        try (Socket next = connect()) {
            await().atMost(PATIENCE).until(server::sessionActive);
        }
    }

    @Test
    void connectAndAbortCyclesLeaveNoRecordingThreadOrFileBehind() throws Exception {
        start();
        // One full session first, so that JFR's own threads and repository exist before counting.
        try (Socket warm = connect()) {
            await().atMost(PATIENCE).until(server::sessionActive);
        }
        await().atMost(PATIENCE).until(() -> !server.sessionActive());
        assertNoRecordingLeft();
        Set<Thread> threads = Thread.getAllStackTraces().keySet();
        Set<Path> repository = repositoryFiles();

        long ended = server.sessionsEnded();
        for (int i = 1; i <= 100; i++) {
            try (Socket client = connect()) {
                if (i % 2 == 0) {
                    await().atMost(PATIENCE).until(server::sessionActive);
                }
                client.setSoLinger(true, 0); // abort: RST instead of FIN
            }
            long expected = ended + i;
            await().atMost(PATIENCE).until(() -> server.sessionsEnded() == expected);
        }

        assertNoRecordingLeft();
        // Polled in this thread: Awaitility's own poller thread is not one of ours.
        await().atMost(PATIENCE).pollInSameThread().untilAsserted(() -> {
            assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> !threads.contains(t))
                    .extracting(Thread::getName).isEmpty();
            assertThat(repositoryFiles()).isSubsetOf(repository);
        });
    }

    /** Waits for the start of a JFR file from a client's connection. */
    private static void assertTraceStarts(Socket client) throws IOException {
        byte[] magic = client.getInputStream().readNBytes(4);
        assertThat(magic).containsExactly('F', 'L', 'R', 0);
    }

    @Test
    void aProbeThenARealClientTenMillisecondsLaterGetsData() throws Exception {
        start();
        try (Socket probe = connect()) {
            // connect and close at once, as a port check does
        }
        Thread.sleep(10); // the scenario: a real client right after the probe
        try (Socket client = connect()) {
            assertTraceStarts(client);
        }
    }

    @Test
    void aHundredQuickConnectCloseCyclesThenARealClientGetsData() throws Exception {
        start();
        for (int i = 0; i < 100; i++) {
            try (Socket probe = connect()) {
                // connect and close at once
            }
        }
        try (Socket client = connect()) {
            assertTraceStarts(client);
        }
    }

    @Test
    void aClientThatSentItsByteIsLetGoBeforeANewcomerIsRefused() throws Exception {
        start();
        try (Socket first = connect()) {
            await().atMost(PATIENCE).until(server::sessionActive);
            first.getOutputStream().write('q');
            try (Socket next = connect()) {
                assertTraceStarts(next);
            }
        }
    }

    @Test
    void closingTheServerEndsARunningSessionCleanly() throws Exception {
        start();
        String threadName = "osgimon-memtrace-" + server.port();
        try (Socket client = connect()) {
            CompletableFuture<byte[]> received = readAll(client);
            await().atMost(PATIENCE).until(() -> server.bytesSent() > 0);
            server.close();
            byte[] trace = received.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(samples(trace)).anyMatch(MemtraceServerTest::fromAllocator);
        }
        assertThat(server.sessionActive()).isFalse();
        assertNoRecordingLeft();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals(threadName));
        int port = server.port();
        server = null;
        try (Socket refused = new Socket()) {
            org.assertj.core.api.Assertions.assertThatIOException()
                    .isThrownBy(() -> refused.connect(new InetSocketAddress("127.0.0.1", port), 2_000));
        }
    }

    /** The chunk files in the JFR repository (none before JFR first wrote to disk). */
    static Set<Path> repositoryFiles() throws IOException {
        String repository = System.getProperty("jdk.jfr.repository");
        if (repository == null || !Files.isDirectory(Path.of(repository))) {
            return Set.of();
        }
        try (Stream<Path> files = Files.walk(Path.of(repository))) {
            return files.filter(Files::isRegularFile).collect(Collectors.toSet());
        }
    }

}
