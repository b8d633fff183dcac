package dev.osgimon.benchmarks.memtrace;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.osgimon.memtrace.internal.MemtraceServer;
import dev.osgimon.memtrace.internal.MemtraceSettings;

/**
 * Throughput of an allocation-heavy workload with a memtrace session running (a real listener and a real client
 * draining the stream, default sampling rate and chunk length) against the same workload without one.
 * <p>
 * Run: {@code java -cp <classpath> org.openjdk.jmh.Main MemtraceOverheadBenchmark}; compare the {@code on} score
 * with the {@code off} score of the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 10)
public class MemtraceOverheadBenchmark {

    private static final String[] KEYS = new String[32];

    static {
        for (int i = 0; i < KEYS.length; i++) {
            KEYS[i] = "key-" + i;
        }
    }

    /** {@code on}: a memtrace session runs during the whole trial; {@code off}: no listener at all. */
    @Param({"off", "on"})
    public String tracing;

    private MemtraceServer server;
    private Socket client;
    private Thread drain;

    @Setup(Level.Trial)
    public void startSession() throws IOException, InterruptedException {
        if (!"on".equals(tracing)) {
            return;
        }
        server = MemtraceServer.start(new MemtraceSettings(0, "127.0.0.1", 1e-4, "", Duration.ofSeconds(5), false,
                Duration.ofSeconds(10)));
        client = new Socket();
        client.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
        InputStream in = client.getInputStream();
        drain = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try {
                while (in.read(buffer) >= 0) {
                    // discard, like nc > /dev/null
                }
            } catch (IOException e) {
                // session over
            }
        }, "memtrace-benchmark-client");
        drain.setDaemon(true);
        drain.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!server.sessionActive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        if (!server.sessionActive()) {
            throw new IllegalStateException("memtrace session did not start");
        }
    }

    @TearDown(Level.Trial)
    public void endSession() throws IOException, InterruptedException {
        if (server == null) {
            return;
        }
        long sent = server.bytesSent();
        client.getOutputStream().write('\n');
        drain.join(30_000);
        client.close();
        server.close();
        if (sent == 0) {
            throw new IllegalStateException("memtrace sent nothing during the trial");
        }
    }

    /** Short-lived maps, boxed values, arrays and strings of mixed sizes: a few KB per call. */
    @Benchmark
    public Object allocate() {
        Map<String, Object> map = new HashMap<>();
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < KEYS.length; i++) {
            long[] values = new long[4 + (i & 15)];
            values[0] = i;
            map.put(KEYS[i], values);
            list.add(KEYS[i] + i);
        }
        map.put("list", list);
        return map;
    }
}
