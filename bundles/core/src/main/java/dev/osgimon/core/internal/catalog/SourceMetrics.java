package dev.osgimon.core.internal.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.Declarations;
import dev.osgimon.api.model.Kind;
import dev.osgimon.api.model.MetricInfo;

/**
 * What one registered source declared, and the fields it wrote without declaring them.
 *
 * <p>It is the {@link Declarations} its source's {@code declare} call gets; after that call it is
 * sealed and further declarations are refused. Then the collector thread resolves each written
 * field through {@link #field(String, String)} and {@link #histogram(String)}: a field declared by
 * name, else the measurement's {@code *} declaration, else an undeclared gauge (a histogram: an
 * undeclared histogram) that is remembered, so that the catalog lists it. Resolving a known field
 * allocates nothing. Readers on other threads see a consistent map.
 */
public final class SourceMetrics implements Declarations {

    private static final Logger LOG = LoggerFactory.getLogger(SourceMetrics.class);

    /** Undeclared fields remembered per source at most; beyond, they are resolved but not listed. */
    static final int MAX_UNDECLARED = 4096;

    private final String source;
    private final Map<String, Measurement> measurements = new ConcurrentHashMap<>();
    private volatile boolean sealed;
    /** Written by the collector thread only. */
    private int undeclared;
    private boolean warnedFull;

    /** The declarations of one measurement. */
    private static final class Measurement {
        final Map<String, Metric> fields = new ConcurrentHashMap<>();
        volatile Metric any;
        volatile Metric histogram;
    }

    /** @param source the source's name */
    public SourceMetrics(String source) {
        this.source = source;
    }

    /** @return the source's name */
    public String source() {
        return source;
    }

    /** Ends the declarations: what the source declares later is refused. */
    void seal() {
        sealed = true;
    }

    @Override
    public Declarations gauge(String measurement, String field, String unit, String description) {
        return declare(measurement, field, Kind.GAUGE, unit, description);
    }

    @Override
    public Declarations counter(String measurement, String field, String unit, String description) {
        return declare(measurement, field, Kind.COUNTER, unit, description);
    }

    @Override
    public Declarations histogram(String measurement, String unit, String description) {
        return declare(measurement, "", Kind.HISTOGRAM, unit, description);
    }

    private Declarations declare(String measurement, String field, Kind kind, String unit, String description) {
        if (sealed) {
            throw new IllegalStateException("declarations of source '" + source + "' are only taken during declare()");
        }
        if (measurement == null || measurement.isEmpty()) {
            throw new IllegalArgumentException("source '" + source + "' declared a " + name(kind)
                    + " without a measurement");
        }
        if (kind != Kind.HISTOGRAM && (field == null || field.isEmpty())) {
            throw new IllegalArgumentException("source '" + source + "' declared a " + name(kind) + " of '"
                    + measurement + "' without a field");
        }
        Metric m = new Metric(source, measurement, field, kind, unit == null ? "" : unit,
                description == null ? "" : description, true);
        Measurement known = measurements.computeIfAbsent(measurement, k -> new Measurement());
        if (kind == Kind.HISTOGRAM) {
            if (known.histogram != null) {
                duplicate(m, known.histogram);
            } else if (!known.fields.isEmpty() || known.any != null) {
                conflict(m, "fields");
            } else {
                known.histogram = m;
            }
        } else if (known.histogram != null) {
            conflict(m, "a histogram");
        } else if (Declarations.ANY_FIELD.equals(field)) {
            if (known.any != null) {
                duplicate(m, known.any);
            } else {
                known.any = m;
            }
        } else {
            Metric before = known.fields.putIfAbsent(field, m);
            if (before != null) {
                duplicate(m, before);
            }
        }
        return this;
    }

    private void duplicate(Metric now, Metric first) {
        LOG.warn("Metric source '{}' declares {} {} twice; keeping the first declaration ({} {})", source,
                now.measurement(), now.field().isEmpty() ? "(histogram)" : now.field(), first.kind(), first.unit());
    }

    private void conflict(Metric now, String other) {
        LOG.warn("Metric source '{}' declares {} {} as a {}, but declared {} for it before; ignored", source,
                now.measurement(), now.field(), name(now.kind()), other);
    }

    private static String name(Kind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The meaning of a written field; remembers an undeclared one as a gauge. Collector thread only.
     *
     * @param measurement the point's measurement
     * @param field the field's key
     * @return its declared meaning, or an undeclared gauge
     */
    public MetricInfo field(String measurement, String field) {
        Measurement known = measurements.get(measurement);
        if (known != null) {
            Metric m = known.fields.get(field);
            if (m != null) {
                return m;
            }
            m = known.any;
            if (m != null) {
                return m;
            }
        }
        Metric m = new Metric(source, measurement, field, Kind.GAUGE, "", "", false);
        if (remember()) {
            if (known == null) {
                known = new Measurement();
                measurements.put(measurement, known);
            }
            known.fields.put(field, m);
        }
        return m;
    }

    /**
     * The meaning of a written histogram; remembers an undeclared one. Collector thread only.
     *
     * @param measurement the histogram's measurement
     * @return its declared meaning, or an undeclared histogram
     */
    public MetricInfo histogram(String measurement) {
        Measurement known = measurements.get(measurement);
        if (known != null && known.histogram != null) {
            return known.histogram;
        }
        Metric m = new Metric(source, measurement, "", Kind.HISTOGRAM, "", "", false);
        if (remember()) {
            if (known == null) {
                known = new Measurement();
                measurements.put(measurement, known);
            }
            known.histogram = m;
        }
        return m;
    }

    private boolean remember() {
        if (undeclared < MAX_UNDECLARED) {
            undeclared++;
            return true;
        }
        if (!warnedFull) {
            warnedFull = true;
            LOG.warn("Metric source '{}' wrote more than {} undeclared fields; the catalog lists no more of them",
                    source, MAX_UNDECLARED);
        }
        return false;
    }

    /** @return every declared or seen metric, unsorted */
    List<MetricInfo> all() {
        List<MetricInfo> all = new ArrayList<>();
        for (Measurement m : measurements.values()) {
            all.addAll(m.fields.values());
            if (m.any != null) {
                all.add(m.any);
            }
            if (m.histogram != null) {
                all.add(m.histogram);
            }
        }
        return all;
    }

    /** @return the declared metrics only, unsorted */
    List<MetricInfo> declared() {
        List<MetricInfo> declared = new ArrayList<>();
        for (MetricInfo m : all()) {
            if (m.declared()) {
                declared.add(m);
            }
        }
        return declared;
    }
}
