package dev.osgimon.source.micrometer.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.TimeGauge;

import dev.osgimon.api.Declarations;
import dev.osgimon.api.PointWriter;
import dev.osgimon.sourcekit.internal.BridgeSource;

/**
 * Reads meter registries into points, one point (one series) per meter: the measurement is the
 * configured prefix and the meter name made of {@code [A-Za-z0-9_]} ({@link Names}), the meter's
 * tags are the tags, the fields follow its {@link Layout}.
 *
 * <p>The core takes a source's declarations when it binds it and when its service properties change,
 * and meters appear at any time. So the bridge writes a meter only once its measurement was declared: a
 * {@link Declared} snapshot says what the source last declared, and a meter not in it yet makes
 * {@link #collect} answer that the source wants to be declared again (the owner then modifies the
 * source's properties, the core declares a new snapshot; the meter is written from the next cycle on).
 */
final class MeterBridge implements BridgeSource.Bridge<Declared> {

    /** The bridge's own point. */
    static final String SELF = "osgimon_micrometer";

    private final Collection<? extends MeterRegistry> registries;
    private final AtomicLong overLimit = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile int maxSeries;
    private volatile String prefix;

    /**
     * @param registries the registries to read, a live concurrent view
     * @param maxSeries at most this many meters a cycle
     * @param prefix put before every measurement
     */
    MeterBridge(Collection<? extends MeterRegistry> registries, int maxSeries, String prefix) {
        this.registries = registries;
        configure(maxSeries, prefix);
    }

    /**
     * Takes a new configuration; a new prefix needs a new declaration (the caller asks for one).
     *
     * @param maxSeries at most this many meters a cycle, at least 1
     * @param prefix put before every measurement, letters, digits and {@code _}
     * @throws IllegalArgumentException if either is out of bounds; nothing changes then
     */
    void configure(int maxSeries, String prefix) {
        String p = prefix == null ? "" : prefix;
        if (maxSeries < 1) {
            throw new IllegalArgumentException("maxSeries must be at least 1, not " + maxSeries);
        }
        if (!Names.sanitize(p).equals(p)) {
            throw new IllegalArgumentException("measurementPrefix may hold letters, digits and _ only, not '" + p + "'");
        }
        this.maxSeries = maxSeries;
        this.prefix = p;
    }

    /**
     * What is declared for the meters there are now (at most {@code maxSeries} measurements).
     *
     * @return a snapshot
     */
    @Override
    public Declared declared() {
        Map<String, Declared.Entry> entries = new HashMap<>();
        Map<String, String> byName = new HashMap<>();
        int max = maxSeries;
        String p = prefix;
        boolean full = false;
        for (MeterRegistry r : registries) {
            for (Meter m : r.getMeters()) {
                String name = m.getId().getName();
                if (byName.containsKey(name)) {
                    continue;
                }
                String measurement = p + Names.sanitize(name);
                if (!entries.containsKey(measurement) && !measurement.equals(SELF)) {
                    if (entries.size() >= max) {
                        full = true;
                        continue;
                    }
                    String description = m.getId().getDescription();
                    if (description == null || description.isBlank()) {
                        description = "Micrometer meter " + name;
                    }
                    entries.put(measurement, new Declared.Entry(Layout.of(m), Layout.unit(m), description));
                }
                byName.put(name, measurement);
            }
        }
        return new Declared(p, Map.copyOf(entries), Map.copyOf(byName), full);
    }

    /**
     * Writes every declared meter, then the bridge's own point.
     *
     * @param out the cycle's writer
     * @param declared what the registered source declared
     * @return whether a meter was left out because it is not declared yet (and could be)
     */
    @Override
    public boolean collect(PointWriter out, Declared declared) {
        int written = 0;
        int meters = 0;
        int registryCount = 0;
        boolean undeclared = false;
        int max = maxSeries;
        String p = declared.prefix();
        for (MeterRegistry r : registries) {
            registryCount++;
            for (Meter m : r.getMeters()) {
                meters++;
                // by name: the measurement was made once, at the declaration, not per cycle
                String measurement = declared.byName().get(m.getId().getName());
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
                    errors.incrementAndGet(); // named like the bridge's own point: never declared for a meter
                    continue;
                }
                if (e.layout() != Layout.of(m)) {
                    errors.incrementAndGet();
                    continue;
                }
                if (written >= max) {
                    overLimit.incrementAndGet();
                    continue;
                }
                try {
                    write(out, measurement, m, e.layout());
                    written++;
                } catch (RuntimeException failed) {
                    // a refused name or tag, or an application's gauge function that throws: this meter only
                    errors.incrementAndGet();
                }
            }
        }
        out.point(SELF).field("registries", registryCount).field("meters", meters).field("series", written)
                .field("over_limit", overLimit.get()).field("errors", errors.get());
        return undeclared || !p.equals(prefix);
    }

    /**
     * Declares the bridge's own point.
     *
     * @param d where to declare
     */
    static void declareSelf(Declarations d) {
        d.gauge(SELF, "registries", "{registry}", "Meter registries handed out (one per bundle using it)")
                .gauge(SELF, "meters", "{meter}", "Meters in all registries")
                .gauge(SELF, "series", "{series}", "Meters written this cycle")
                .counter(SELF, "over_limit", "{meter}", "Meters left out because of maxSeries, summed over cycles")
                .counter(SELF, "errors", "{meter}", "Meters left out because writing them failed or their name"
                        + " has another kind than declared, summed over cycles");
    }

    private static void write(PointWriter out, String measurement, Meter m, Layout layout) {
        out.point(measurement);
        for (Tag t : m.getId().getTagsAsIterable()) {
            out.tag(Names.sanitize(t.getKey()), t.getValue());
        }
        switch (layout) {
            case COUNTER:
                out.field("count", m instanceof Counter ? ((Counter) m).count() : ((FunctionCounter) m).count());
                break;
            case GAUGE:
                out.field("value", m instanceof TimeGauge ? ((TimeGauge) m).value(TimeUnit.SECONDS) : ((Gauge) m).value());
                break;
            case TIMER: {
                OsgimonMeterRegistry.BucketTimer t = (OsgimonMeterRegistry.BucketTimer) m;
                histogram(out, t.buckets(), t.totalTime(TimeUnit.SECONDS));
                break;
            }
            case SUMMARY: {
                OsgimonMeterRegistry.BucketSummary s = (OsgimonMeterRegistry.BucketSummary) m;
                histogram(out, s.buckets(), s.totalAmount());
                break;
            }
            case LONG_TASK: {
                LongTaskTimer t = (LongTaskTimer) m;
                out.field("active", (long) t.activeTasks()).field("duration", t.duration(TimeUnit.SECONDS))
                        .field("max", t.max(TimeUnit.SECONDS));
                break;
            }
            case FUNCTION_TIMER: {
                FunctionTimer t = (FunctionTimer) m;
                out.field("count", (long) t.count()).field("sum", t.totalTime(TimeUnit.SECONDS));
                break;
            }
            default:
                for (Measurement v : m.measure()) {
                    out.field(v.getStatistic().getTagValueRepresentation(), v.getValue());
                }
                break;
        }
    }

    private static void histogram(PointWriter out, BucketHistogram h, double sum) {
        out.histogram(h.reportedBounds(), h.counts(), sum, h.min() / h.divisor(), h.max() / h.divisor());
    }
}
