package dev.osgimon.api;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
 *
 * <p>Keys become field keys, so they follow the {@link PointWriter} rules: keys that differ only
 * in case are one column in QuestDB and would be refused as a repeated key, so they are counted
 * together under the spelling seen first; the reserved keys ({@value #TOTAL}, {@code time},
 * {@code timestamp}, {@code _measurement}, {@code _field}, in any case) are refused with an
 * {@link IllegalArgumentException} when counted, so a bad key never costs the point its other
 * fields.
 */
public final class Counter implements MetricSource {

    /** The key counted for keys beyond the bound. */
    public static final String OTHER = "other";

    /** The field holding the sum over all keys. */
    public static final String TOTAL = "total";

    private final String measurement;
    private final int maxKeys;
    private static final Set<String> RESERVED = Set.of(TOTAL, "time", "timestamp", "_measurement", "_field");

    /** Every spelling seen so far (aliases included) to its cell. */
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    /** The cells written, by the spelling seen first (lower case to spelling and cell). */
    private final Map<String, Map.Entry<String, LongAdder>> byFolded = new ConcurrentHashMap<>();
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
        LongAdder adder = counts.get(Objects.requireNonNull(key, "key"));
        if (adder == null) {
            adder = cellFor(key);
        }
        adder.add(n);
        total.add(n);
    }

    private LongAdder cellFor(String key) {
        String folded = key.toLowerCase(Locale.ROOT);
        if (RESERVED.contains(folded)) {
            throw new IllegalArgumentException("'" + key + "' is a reserved key");
        }
        Map.Entry<String, LongAdder> cell = byFolded.get(folded);
        if (cell == null) {
            cell = byFolded.size() < maxKeys
                    ? byFolded.computeIfAbsent(folded, k -> Map.entry(key, new LongAdder()))
                    : byFolded.computeIfAbsent(OTHER, k -> Map.entry(OTHER, new LongAdder()));
        }
        if (counts.size() < 4 * maxKeys) {
            counts.putIfAbsent(key, cell.getValue()); // a bounded number of spellings are remembered
        }
        return cell.getValue();
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
        Map.Entry<String, LongAdder> cell = byFolded.get(key.toLowerCase(Locale.ROOT));
        return cell == null ? 0 : cell.getValue().sum();
    }

    /** Declares every field of the measurement a counter (when this counter is registered as a source). */
    @Override
    public void declare(Declarations declarations) {
        declarations.counter(measurement, Declarations.ANY_FIELD, "", "");
    }

    /** Writes one point: a field per key and {@value #TOTAL}. */
    @Override
    public void collect(PointWriter out) {
        out.point(measurement);
        byFolded.values().forEach(cell -> out.field(cell.getKey(), cell.getValue().sum()));
        out.field(TOTAL, total.sum());
    }
}
