package dev.osgimon.source.dropwizard.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Metered;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Sampling;
import com.codahale.metrics.Snapshot;

import dev.osgimon.api.Declarations;
import dev.osgimon.api.PointWriter;
import dev.osgimon.sourcekit.internal.BridgeSource;

/**
 * Reads Dropwizard registries into points, one point (one series) per metric and registry. The
 * mapping rule: the measurement is the configured prefix and the metric's dotted name with every
 * character other than {@code [A-Za-z0-9_]} replaced by {@code _} ({@code com.example.orders.placed}
 * becomes {@code com_example_orders_placed}); the fields come from the metric's type ({@link Layout});
 * the registry service's {@code name} property is the tag {@code registry}.
 *
 * <p>As in the Micrometer bridge, a metric is written once its measurement was declared; a new one
 * makes {@link #collect} ask to be declared again.
 */
final class DropwizardBridge implements BridgeSource.Bridge<Declared> {

    /** The bridge's own point. */
    static final String SELF = "osgimon_dropwizard";

    private final Map<MetricRegistry, String> registries;
    private final AtomicLong overLimit = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile int maxSeries;
    private volatile String prefix;

    /**
     * @param registries the registries to read and their names (null: none), a live concurrent map
     * @param maxSeries at most this many metrics a cycle
     * @param prefix put before every measurement
     */
    DropwizardBridge(Map<MetricRegistry, String> registries, int maxSeries, String prefix) {
        this.registries = registries;
        configure(maxSeries, prefix);
    }

    /**
     * Takes a new configuration.
     *
     * @param maxSeries at most this many metrics a cycle, at least 1
     * @param prefix put before every measurement, letters, digits and {@code _}
     * @throws IllegalArgumentException if either is out of bounds; nothing changes then
     */
    void configure(int maxSeries, String prefix) {
        String p = prefix == null ? "" : prefix;
        if (maxSeries < 1) {
            throw new IllegalArgumentException("maxSeries must be at least 1, not " + maxSeries);
        }
        if (!sanitize(p).equals(p)) {
            throw new IllegalArgumentException("measurementPrefix may hold letters, digits and _ only, not '" + p + "'");
        }
        this.maxSeries = maxSeries;
        this.prefix = p;
    }

    /**
     * @param name a metric name
     * @return it with every character outside {@code [A-Za-z0-9_]} replaced by {@code _}
     */
    static String sanitize(String name) {
        StringBuilder b = null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                if (b == null) {
                    b = new StringBuilder(name);
                }
                b.setCharAt(i, '_');
            }
        }
        return b == null ? name : b.toString();
    }

    /** @return what is declared for the metrics there are now (at most {@code maxSeries} measurements) */
    @Override
    public Declared declared() {
        Map<String, Declared.Entry> entries = new HashMap<>();
        Map<String, String> byName = new HashMap<>();
        int max = maxSeries;
        String p = prefix;
        boolean full = false;
        for (MetricRegistry r : registries.keySet()) {
            for (Map.Entry<String, Metric> m : r.getMetrics().entrySet()) {
                String name = m.getKey();
                if (byName.containsKey(name)) {
                    continue;
                }
                String measurement = p + sanitize(name);
                if (!entries.containsKey(measurement) && !measurement.equals(SELF)) {
                    if (entries.size() >= max) {
                        full = true;
                        continue;
                    }
                    entries.put(measurement, new Declared.Entry(Layout.of(m.getValue()), name));
                }
                byName.put(name, measurement);
            }
        }
        return new Declared(p, Map.copyOf(entries), Map.copyOf(byName), full);
    }

    /**
     * Writes every declared metric, then the bridge's own point.
     *
     * @param out the cycle's writer
     * @param declared what the registered source declared
     * @return whether a metric was left out because it is not declared yet (and could be)
     */
    @Override
    public boolean collect(PointWriter out, Declared declared) {
        int written = 0;
        int metrics = 0;
        boolean undeclared = false;
        int max = maxSeries;
        String p = declared.prefix();
        for (Map.Entry<MetricRegistry, String> r : registries.entrySet()) {
            for (Map.Entry<String, Metric> m : r.getKey().getMetrics().entrySet()) {
                metrics++;
                // by name: the measurement was made once, at the declaration, not per cycle
                String measurement = declared.byName().get(m.getKey());
                if (measurement == null) {
                    if (declared.full()) {
                        overLimit.incrementAndGet();
                    } else {
                        undeclared = true;
                    }
                    continue;
                }
                Declared.Entry e = declared.entries().get(measurement);
                if (e == null) {
                    errors.incrementAndGet(); // named like the bridge's own point: never declared for a metric
                    continue;
                }
                if (e.layout() == Layout.IGNORED) {
                    continue;
                }
                if (written >= max) {
                    overLimit.incrementAndGet();
                    continue;
                }
                try {
                    if (write(out, measurement, r.getValue(), m.getValue(), e.layout())) {
                        written++;
                    } else {
                        errors.incrementAndGet();
                    }
                } catch (RuntimeException failed) {
                    // a refused name, or an application's gauge that throws: this metric only
                    errors.incrementAndGet();
                }
            }
        }
        out.point(SELF).field("registries", registries.size()).field("metrics", metrics).field("series", written)
                .field("over_limit", overLimit.get()).field("errors", errors.get());
        return undeclared || !p.equals(prefix);
    }

    /**
     * Declares the bridge's own point.
     *
     * @param d where to declare
     */
    static void declareSelf(Declarations d) {
        d.gauge(SELF, "registries", "{registry}", "MetricRegistry services read")
                .gauge(SELF, "metrics", "{metric}", "Metrics in all registries")
                .gauge(SELF, "series", "{series}", "Metrics written this cycle")
                .counter(SELF, "over_limit", "{metric}", "Metrics left out because of maxSeries, summed over cycles")
                .counter(SELF, "errors", "{metric}", "Metrics left out because reading or writing them failed or"
                        + " their name has another type than declared, summed over cycles");
    }

    /** @return false if the metric's type does not match its declaration (nothing written then) */
    private static boolean write(PointWriter out, String measurement, String registry, Metric m, Layout layout) {
        switch (layout) {
            case COUNTER:
                if (!(m instanceof Counter)) {
                    return false;
                }
                tagged(out, measurement, registry).field("count", ((Counter) m).getCount());
                return true;
            case GAUGE:
                Object value = m instanceof Gauge ? ((Gauge<?>) m).getValue() : null;
                if (!(value instanceof Number)) {
                    return false;
                }
                tagged(out, measurement, registry).field("value", ((Number) value).doubleValue());
                return true;
            case METER:
                if (Layout.of(m) != Layout.METER) {
                    return false;
                }
                tagged(out, measurement, registry).field("count", ((Metered) m).getCount());
                return true;
            case HISTOGRAM:
            case TIMER:
                if (Layout.of(m) != layout) {
                    return false;
                }
                long count = m instanceof Metered ? ((Metered) m).getCount() : ((com.codahale.metrics.Histogram) m).getCount();
                Snapshot s = ((Sampling) m).getSnapshot();
                double d = layout == Layout.TIMER ? 1e9 : 1;
                tagged(out, measurement, registry).field("count", count);
                if (s.size() > 0) {
                    out.field("min", s.getMin() / d).field("max", s.getMax() / d).field("mean", s.getMean() / d)
                            .field("stddev", s.getStdDev() / d).field("p50", s.getMedian() / d)
                            .field("p75", s.get75thPercentile() / d).field("p95", s.get95thPercentile() / d)
                            .field("p98", s.get98thPercentile() / d).field("p99", s.get99thPercentile() / d)
                            .field("p999", s.get999thPercentile() / d);
                }
                return true;
            default:
                return false;
        }
    }

    private static PointWriter tagged(PointWriter out, String measurement, String registry) {
        return out.point(measurement).tag("registry", registry);
    }
}
