package dev.osgimon.source.micrometer.internal;

import java.util.Collection;
import java.util.concurrent.TimeUnit;

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

import dev.osgimon.api.PointWriter;
import dev.osgimon.sourcekit.internal.RegistryBridge;

/**
 * Reads meter registries into points, one point (one series) per meter: the measurement is the
 * configured prefix and the meter name made of {@code [A-Za-z0-9_]} ({@link Names}), the meter's
 * tags are the tags, the fields follow its {@link Layout}.
 *
 * <p>The core takes a source's declarations when it binds it and when its service properties change,
 * and meters appear at any time. So the bridge writes a meter only once its measurement was declared: a
 * {@link dev.osgimon.sourcekit.internal.Declared} snapshot says what the source last declared, and a meter
 * not in it yet makes {@link #collect} answer that the source wants to be declared again (the owner then
 * modifies the source's properties, the core declares a new snapshot; the meter is written from the next
 * cycle on). That part, the {@code maxSeries} cut-off and the own point are {@link RegistryBridge}'s,
 * shared with the Dropwizard bridge.
 */
final class MeterBridge extends RegistryBridge<MeterRegistry, Meter, Entry> {

    /** The bridge's own point. */
    static final String SELF = "osgimon_micrometer";

    private final Collection<? extends MeterRegistry> registries;

    /**
     * @param registries the registries to read, a live concurrent view
     * @param maxSeries at most this many meters a cycle
     * @param prefix put before every measurement
     */
    MeterBridge(Collection<? extends MeterRegistry> registries, int maxSeries, String prefix) {
        super(new OwnPoint(SELF, "meters", "{meter}", "Meter registries handed out (one per bundle using it)",
                "Meters in all registries", "Meters written this cycle",
                "Meters left out because of maxSeries, summed over cycles",
                "Meters left out because writing them failed or their name has another kind than declared,"
                        + " summed over cycles"), maxSeries, prefix);
        this.registries = registries;
    }

    @Override
    protected int walk(Visitor<MeterRegistry, Meter> v) {
        int registryCount = 0;
        for (MeterRegistry r : registries) {
            registryCount++;
            for (Meter m : r.getMeters()) {
                v.metric(r, m.getId().getName(), m);
            }
        }
        return registryCount;
    }

    @Override
    protected Entry entry(String name, Meter meter) {
        String description = meter.getId().getDescription();
        if (description == null || description.isBlank()) {
            description = "Micrometer meter " + name;
        }
        return new Entry(Layout.of(meter), Layout.unit(meter), description);
    }

    @Override
    protected Check check(Entry entry, Meter meter) {
        return entry.layout() == Layout.of(meter) ? Check.WRITE : Check.ERROR;
    }

    @Override
    protected boolean write(PointWriter out, String measurement, MeterRegistry registry, Meter meter, Entry entry) {
        point(out, measurement, meter, entry.layout());
        return true;
    }

    private static void point(PointWriter out, String measurement, Meter m, Layout layout) {
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
