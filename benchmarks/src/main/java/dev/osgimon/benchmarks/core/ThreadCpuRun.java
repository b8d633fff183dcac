package dev.osgimon.benchmarks.core;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Runs benchmark methods of a JMH benchmark class by the CPU time of the running thread rather than
 * by wall-clock time, for comparisons on a shared machine: a thread descheduled by other work is
 * not charged for the wait, which makes JMH's throughput on a busy 2-core machine swing by ±100 %.
 * Caches and the sibling hyperthread are still shared, so compare only figures of one sitting.
 *
 * <p>It calls the class's {@code @Setup} method (by name), warms each benchmark method for 3 s,
 * then takes 25 samples of 200 ms thread CPU each and prints the fastest, the lower quartile and
 * the median sample in nanoseconds per operation ({@code perInvocation} operations per call, as
 * the method's {@code @OperationsPerInvocation}). The method's return value is consumed.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.osgimon.benchmarks.core.ThreadCpuRun \
 *     dev.osgimon.benchmarks.core.EncodeBenchmark setup 100 osgimonEncoder osgimonWrite osgimonRender
 * </pre>
 */
public final class ThreadCpuRun {

    private static final long WARMUP_NANOS = 3_000_000_000L;
    private static final long SAMPLE_CPU_NANOS = 200_000_000L;
    private static final int SAMPLES = 25;
    private static final int BATCH = 500;

    private ThreadCpuRun() {
    }

    /**
     * @param args the benchmark class, its setup method, operations per invocation, then methods
     * @throws Exception when the class or a method cannot be called
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            throw new IllegalArgumentException("usage: ThreadCpuRun <class> <setupMethod> <perInvocation> <method>...");
        }
        Class<?> type = Class.forName(args[0]);
        Object bench = type.getDeclaredConstructor().newInstance();
        type.getMethod(args[1]).invoke(bench);
        double perInvocation = Double.parseDouble(args[2]);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int m = 3; m < args.length; m++) {
            Method method = type.getMethod(args[m]);
            long sink = 0;
            long warmEnd = System.nanoTime() + WARMUP_NANOS;
            while (System.nanoTime() < warmEnd) {
                for (int i = 0; i < BATCH; i++) {
                    sink += method.invoke(bench).hashCode();
                }
            }
            double[] samples = new double[SAMPLES];
            for (int s = 0; s < SAMPLES; s++) {
                long start = threads.getCurrentThreadCpuTime();
                long calls = 0;
                while (threads.getCurrentThreadCpuTime() - start < SAMPLE_CPU_NANOS) {
                    for (int i = 0; i < BATCH; i++) {
                        sink += method.invoke(bench).hashCode();
                    }
                    calls += BATCH;
                }
                samples[s] = (threads.getCurrentThreadCpuTime() - start) / (calls * perInvocation);
            }
            Arrays.sort(samples);
            System.out.printf("%s.%s  fastest %.1f  q1 %.1f  median %.1f ns/op (thread CPU)%s%n", type.getSimpleName(),
                    args[m], samples[0], samples[SAMPLES / 4], samples[SAMPLES / 2], sink == 42 ? " " : "");
        }
    }
}
