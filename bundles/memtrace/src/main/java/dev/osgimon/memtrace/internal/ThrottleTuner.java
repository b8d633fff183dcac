package dev.osgimon.memtrace.internal;

import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Turns a sampling probability per 8-byte word (mirage-monitoring's {@code samplingRate}) into a JFR throttle for
 * {@code jdk.ObjectAllocationSample}: expected samples per second = allocated bytes per second / 8 * rate, with the
 * allocation rate measured over the previous interval and the result clamped to
 * [{@value #MIN_PER_MINUTE}/min, {@value #MAX_PER_SECOND}/s].
 */
final class ThrottleTuner {

    /** Lowest throttle: one sample a minute keeps an idle JVM's trace alive without cost. */
    static final long MIN_PER_MINUTE = 1;
    /** Highest throttle; above it stack walking starts to cost measurable throughput. */
    static final long MAX_PER_SECOND = 1000;

    private final double samplingRate;
    private final LongSupplier allocatedBytes;
    private final LongSupplier nanoTime;
    private long lastBytes;
    private long lastNanos;

    /**
     * @param samplingRate probability per 8-byte word
     * @param allocatedBytes bytes allocated by all threads since JVM start (monotonic)
     * @param nanoTime clock
     */
    ThrottleTuner(double samplingRate, LongSupplier allocatedBytes, LongSupplier nanoTime) {
        this.samplingRate = samplingRate;
        this.allocatedBytes = allocatedBytes;
        this.nanoTime = nanoTime;
        this.lastBytes = allocatedBytes.getAsLong();
        this.lastNanos = nanoTime.getAsLong();
    }

    /** A tuner reading the JVM's total allocated bytes (see {@link #jvmAllocatedBytes()}). */
    static ThrottleTuner forThisJvm(double samplingRate) {
        return new ThrottleTuner(samplingRate, jvmAllocatedBytes(), System::nanoTime);
    }

    /**
     * Bytes allocated by all threads since JVM start, or -1 when the JVM does not tell. Read as the attribute
     * {@code TotalThreadAllocatedBytes} of the platform MBean {@code java.lang:type=Threading}
     * ({@code com.sun.management.ThreadMXBean#getTotalThreadAllocatedBytes}, JDK 14+) through JMX, so that the
     * bundle needs no {@code com.sun.management} import, which Karaf's system bundle does not export.
     */
    static LongSupplier jvmAllocatedBytes() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName threading;
        try {
            threading = new ObjectName(ManagementFactory.THREAD_MXBEAN_NAME);
        } catch (MalformedObjectNameException e) {
            return () -> -1;
        }
        return () -> {
            try {
                return server.getAttribute(threading, "TotalThreadAllocatedBytes") instanceof Long bytes ? bytes : -1;
            } catch (JMException | RuntimeException e) {
                return -1;
            }
        };
    }

    /** The throttle for the allocation rate since the previous call (or construction), as JFR text. */
    String next() {
        long bytes = allocatedBytes.getAsLong();
        long now = nanoTime.getAsLong();
        double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
        double bytesPerSecond = bytes < 0 || lastBytes < 0 ? -1 : Math.max(0, bytes - lastBytes) / seconds;
        lastBytes = bytes;
        lastNanos = now;
        return throttleFor(bytesPerSecond, samplingRate);
    }

    /**
     * The throttle for an allocation rate; an unknown rate (negative) gives the highest throttle, so the trace
     * is as dense as it may be rather than empty.
     */
    static String throttleFor(double bytesPerSecond, double samplingRate) {
        if (bytesPerSecond < 0) {
            return MAX_PER_SECOND + "/s";
        }
        double perSecond = bytesPerSecond / 8 * samplingRate;
        if (perSecond >= MAX_PER_SECOND) {
            return MAX_PER_SECOND + "/s";
        }
        if (perSecond >= 10) {
            return Math.round(perSecond) + "/s";
        }
        long perMinute = Math.max(MIN_PER_MINUTE, Math.round(perSecond * 60));
        return perMinute + "/m";
    }
}
