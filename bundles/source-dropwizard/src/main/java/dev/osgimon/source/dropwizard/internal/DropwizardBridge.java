package dev.osgimon.source.dropwizard.internal;

import java.util.Map;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Metered;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Sampling;
import com.codahale.metrics.Snapshot;

import dev.osgimon.api.PointWriter;
import dev.osgimon.sourcekit.internal.RegistryBridge;

/**
 * Reads Dropwizard registries into points, one point (one series) per metric and registry. The
 * mapping rule: the measurement is the configured prefix and the metric's dotted name with every
 * character other than {@code [A-Za-z0-9_]} replaced by {@code _} ({@code com.example.orders.placed}
 * becomes {@code com_example_orders_placed}); the fields come from the metric's type ({@link Layout});
 * the registry service's {@code name} property is the tag {@code registry}.
 *
 * <p>The declaring, the {@code maxSeries} cut-off and the own point are {@link RegistryBridge}'s, shared
 * with the Micrometer bridge: a metric is written once its measurement was declared; a new one makes
 * {@link #collect} ask to be declared again.
 */
final class DropwizardBridge extends RegistryBridge<String, Metric, Entry> {

    /** The bridge's own point. */
    static final String SELF = "osgimon_dropwizard";

    private final Map<MetricRegistry, String> registries;

    /**
     * @param registries the registries to read and their names (null: none), a live concurrent map
     * @param maxSeries at most this many metrics a cycle
     * @param prefix put before every measurement
     */
    DropwizardBridge(Map<MetricRegistry, String> registries, int maxSeries, String prefix) {
        super(new OwnPoint(SELF, "metrics", "{metric}", "MetricRegistry services read", "Metrics in all registries",
                "Metrics written this cycle", "Metrics left out because of maxSeries, summed over cycles",
                "Metrics left out because reading or writing them failed or their name has another type than declared,"
                        + " summed over cycles"), maxSeries, prefix);
        this.registries = registries;
    }

    @Override
    protected int walk(Visitor<String, Metric> v) {
        for (Map.Entry<MetricRegistry, String> r : registries.entrySet()) {
            for (Map.Entry<String, Metric> m : r.getKey().getMetrics().entrySet()) {
                v.metric(r.getValue(), m.getKey(), m.getValue());
            }
        }
        return registries.size();
    }

    @Override
    protected Entry entry(String name, Metric metric) {
        return new Entry(Layout.of(metric), name);
    }

    @Override
    protected Check check(Entry entry, Metric metric) {
        return entry.layout() == Layout.IGNORED ? Check.SKIP : Check.WRITE;
    }

    @Override
    protected boolean write(PointWriter out, String measurement, String registry, Metric metric, Entry entry) {
        return point(out, measurement, registry, metric, entry.layout());
    }

    /** @return false if the metric's type does not match its declaration (nothing written then) */
    private static boolean point(PointWriter out, String measurement, String registry, Metric m, Layout layout) {
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
