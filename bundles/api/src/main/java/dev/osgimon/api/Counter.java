package dev.osgimon.api;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts occurrences by key and reports them as one point: a field per key plus {@code total}
 * (the counterpart of mirage-monitoring's {@code counter_metrics}).
 *
 * <pre>{@code
 * Counter responses = new Counter("http_response", 16);
 * responses.increment("2xx");
 * // register it, or call responses.collect(out) from your own source
 * }</pre>
 *
 * <p>Counts are cumulative (they never reset), as monotonic counters should be for InfluxDB's
 * {@code non_negative_derivative}. The number of distinct keys is bounded: once {@code maxKeys}
 * keys exist, further keys are counted under {@value #OTHER}. Thread-safe; {@link #increment}
 * does not allocate once a key exists.
 */
public final class Counter implements MetricSource {

    /** The key counted for keys beyond the bound. */
    public static final String OTHER = "other";

    /** The field holding the sum over all keys. */
    public static final String TOTAL = "total";

    private final String measurement;
    private final int maxKeys;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();

    /**
     * Creates a counter.
     *
     * @param measurement the measurement of the reported point
     * @param maxKeys the most distinct keys kept (at least 1); more are counted as {@value #OTHER}
     */
    public Counter(String measurement, int maxKeys) {
        this.measurement = Objects.requireNonNull(measurement, "measurement");
        if (measurement.isEmpty()) {
            throw new IllegalArgumentException("measurement must not be empty");
        }
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be at least 1, was " + maxKeys);
        }
        this.maxKeys = maxKeys;
    }

    /**
     * Counts one occurrence of {@code key}.
     *
     * @param key the key, not {@code null}, not {@value #TOTAL}
     */
    public void increment(String key) {
        add(key, 1);
    }

    /**
     * Counts {@code n} occurrences of {@code key}.
     *
     * @param key the key, not {@code null}, not {@value #TOTAL}
     * @param n how many, not negative
     */
    public void add(String key, long n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative, was " + n);
        }
        if (TOTAL.equals(key)) {
            throw new IllegalArgumentException("'" + TOTAL + "' is reserved");
        }
        LongAdder adder = counts.get(key);
        if (adder == null) {
            adder = counts.size() < maxKeys
                    ? counts.computeIfAbsent(Objects.requireNonNull(key, "key"), k -> new LongAdder())
                    : counts.computeIfAbsent(OTHER, k -> new LongAdder());
        }
        adder.add(n);
        total.add(n);
    }

    /**
     * The count of one key so far.
     *
     * @param key the key, or {@value #TOTAL}
     * @return the count, 0 for a key never seen
     */
    public long get(String key) {
        if (TOTAL.equals(key)) {
            return total.sum();
        }
        LongAdder adder = counts.get(key);
        return adder == null ? 0 : adder.sum();
    }

    /** Writes one point: a field per key and {@value #TOTAL}. */
    @Override
    public void collect(PointWriter out) {
        out.point(measurement);
        counts.forEach((key, adder) -> out.field(key, adder.sum()));
        out.field(TOTAL, total.sum());
    }
}
