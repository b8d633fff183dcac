package dev.osgimon.benchmarks.core;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Compares one benchmark method of two builds in one JVM, alternating short samples of thread CPU
 * time between them, for a before-and-after figure on a machine whose speed drifts (a VM whose
 * host is busy): both builds see the same drift, so the ratio of neighbouring samples holds where
 * separate runs of each build differ by more than the change being measured.
 *
 * <p>Each build's benchmarks jar is loaded by its own class loader. The benchmark class's setup
 * method is called on one instance per build; both are warmed for 5 s each, in turns; then
 * {@code rounds} rounds each take one sample of 100 ms thread CPU of each build, the first of the
 * pair alternating. It prints each build's fastest, lower quartile and median in nanoseconds per
 * operation, and the median and quartiles of the per-round ratio B / A.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.osgimon.benchmarks.core.SideBySide \
 *     before.jar benchmarks/target/benchmarks.jar dev.osgimon.benchmarks.core.EncodeBenchmark setup 100 osgimonEncoder 60
 * </pre>
 */
public final class SideBySide {

    private static final long WARMUP_NANOS = 5_000_000_000L;
    private static final long SAMPLE_CPU_NANOS = 100_000_000L;
    private static final int BATCH = 200;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private SideBySide() {
    }

    /**
     * @param args jar A, jar B, the benchmark class, its setup method, operations per invocation,
     *     the method, and optionally the number of rounds (default 40)
     * @throws Exception when a jar, the class or a method cannot be loaded or called
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 6) {
            throw new IllegalArgumentException(
                    "usage: SideBySide <jarA> <jarB> <class> <setupMethod> <perInvocation> <method> [rounds]");
        }
        double perInvocation = Double.parseDouble(args[4]);
        int rounds = args.length > 6 ? Integer.parseInt(args[6]) : 40;
        Side[] sides = {new Side(args[0], args[2], args[3], args[5]), new Side(args[1], args[2], args[3], args[5])};
        long warmEnd = System.nanoTime() + 2 * WARMUP_NANOS;
        while (System.nanoTime() < warmEnd) {
            sides[0].sample(perInvocation);
            sides[1].sample(perInvocation);
        }
        double[][] samples = new double[2][rounds];
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            int first = r & 1;
            samples[first][r] = sides[first].sample(perInvocation);
            samples[1 - first][r] = sides[1 - first].sample(perInvocation);
            ratios[r] = samples[1][r] / samples[0][r];
        }
        for (int s = 0; s < 2; s++) {
            double[] x = samples[s].clone();
            Arrays.sort(x);
            System.out.printf("%s %s.%s  fastest %.1f  q1 %.1f  median %.1f ns/op (thread CPU, %d samples)%s%n",
                    s == 0 ? "A" : "B", args[2].substring(args[2].lastIndexOf('.') + 1), args[5], x[0],
                    x[rounds / 4], x[rounds / 2], rounds, sides[s].sink == 42 ? " " : "");
        }
        Arrays.sort(ratios);
        System.out.printf("B / A per round: median %.3f  q1 %.3f  q3 %.3f%n", ratios[rounds / 2], ratios[rounds / 4],
                ratios[3 * rounds / 4]);
    }

    /** One build's benchmark instance and method. */
    private static final class Side {
        final Object bench;
        final Method method;
        long sink;

        Side(String jar, String className, String setup, String methodName) throws Exception {
            URLClassLoader loader = new URLClassLoader(new URL[] {Path.of(jar).toUri().toURL()},
                    ClassLoader.getPlatformClassLoader());
            Class<?> type = Class.forName(className, true, loader);
            bench = type.getDeclaredConstructor().newInstance();
            type.getMethod(setup).invoke(bench);
            method = type.getMethod(methodName);
        }

        /** One sample: nanoseconds of thread CPU per operation over at least 100 ms. */
        double sample(double perInvocation) throws Exception {
            long start = THREADS.getCurrentThreadCpuTime();
            long calls = 0;
            long used;
            do {
                for (int i = 0; i < BATCH; i++) {
                    sink += method.invoke(bench).hashCode();
                }
                calls += BATCH;
                used = THREADS.getCurrentThreadCpuTime() - start;
            } while (used < SAMPLE_CPU_NANOS);
            return used / (calls * perInvocation);
        }
    }
}
