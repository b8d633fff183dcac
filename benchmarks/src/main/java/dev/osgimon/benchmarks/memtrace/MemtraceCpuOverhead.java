package dev.osgimon.benchmarks.memtrace;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;

import dev.osgimon.memtrace.internal.MemtraceServer;
import dev.osgimon.memtrace.internal.MemtraceSettings;

/**
 * Companion of {@link MemtraceOverheadBenchmark} for shared, noisy machines: the same workload, a fixed number of
 * operations per round, rounds alternating without and with a memtrace session in one JVM, and the cost measured
 * as <em>process CPU time</em> per operation (all threads: workload, GC, JFR, the memtrace thread and the client
 * draining the stream), which other processes competing for the cores hardly disturb. A round (about 6 s) is
 * longer than a chunk (5 s), so every "on" round includes a chunk rotation and its transfer.
 * <p>
 * Run: {@code java -cp benchmarks/target/benchmarks.jar dev.osgimon.benchmarks.memtrace.MemtraceCpuOverhead
 * [rounds [oldObjects]]} (defaults: 10 rounds, {@code oldObjects} false).
 */
public final class MemtraceCpuOverhead {

    private static final long OPS_PER_ROUND = 10_000_000;

    private MemtraceCpuOverhead() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        boolean oldObjects = args.length > 1 && Boolean.parseBoolean(args[1]);
        MemtraceOverheadBenchmark workload = new MemtraceOverheadBenchmark();
        for (int i = 0; i < 3; i++) {
            cpuNanosPerOp(workload); // JIT warm-up
        }
        MemtraceServer server = MemtraceServer.start(new MemtraceSettings(0, "127.0.0.1", 1e-4, "",
                Duration.ofSeconds(5), oldObjects, Duration.ofSeconds(10)));
        double[] off = new double[rounds];
        double[] on = new double[rounds];
        try {
            for (int r = 0; r < rounds; r++) {
                off[r] = cpuNanosPerOp(workload);
                try (Socket client = new Socket()) {
                    client.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
                    Thread drain = drain(client.getInputStream());
                    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                    while (!server.sessionActive() && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                    Thread.sleep(500); // past the warm-up: measure the steady state of a session
                    on[r] = cpuNanosPerOp(workload);
                    client.getOutputStream().write('\n');
                    drain.join(30_000);
                }
                System.out.printf("round %2d: off %.1f ns/op, on %.1f ns/op, on/off %.3f%n", r + 1, off[r], on[r],
                        on[r] / off[r]);
            }
        } finally {
            server.close();
        }
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ratios[r] = on[r] / off[r];
        }
        Arrays.sort(ratios);
        System.out.printf("CPU time per op, session on / off: median %.3f (min %.3f, max %.3f), %d rounds of %d ops,"
                + " oldObjects %s, %d bytes sent%n", ratios[rounds / 2], ratios[0], ratios[rounds - 1], rounds,
                OPS_PER_ROUND, oldObjects, server.bytesSent());
    }

    private static double cpuNanosPerOp(MemtraceOverheadBenchmark workload) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        Object sink = null;
        for (long i = 0; i < OPS_PER_ROUND; i++) {
            sink = workload.allocate();
        }
        long cpu1 = os.getProcessCpuTime();
        if (sink == null) {
            throw new IllegalStateException();
        }
        return (double) (cpu1 - cpu0) / OPS_PER_ROUND;
    }

    private static Thread drain(InputStream in) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try {
                while (in.read(buffer) >= 0) {
                    // discard, like nc > /dev/null
                }
            } catch (IOException e) {
                // session over
            }
        }, "memtrace-cpu-client");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
