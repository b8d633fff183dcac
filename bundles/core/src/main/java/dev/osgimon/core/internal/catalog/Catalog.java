package dev.osgimon.core.internal.catalog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.MetricSource;
import dev.osgimon.api.admin.MetricCatalog;
import dev.osgimon.api.model.MetricInfo;

/**
 * The catalog of metrics: each registered source's declarations, taken when the core binds the
 * source and again whenever its service properties are modified, and the fields it wrote without
 * declaring them. Served as {@link MetricCatalog}. A source's declarations are replaced whole: the
 * fields it wrote undeclared under the declarations before are listed again once it writes them.
 *
 * <p>A source's {@code declare} that throws or takes long is logged; what it declared before is
 * kept, and collecting goes on. Two sources that declare one measurement and field with different
 * kinds are reported once in the log; each keeps its own meaning.
 */
public final class Catalog implements MetricCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(Catalog.class);
    /** A declare call slower than this is logged. */
    static final long SLOW_DECLARE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Predicate<String> registered;
    private final Map<Long, SourceMetrics> sources = new ConcurrentHashMap<>();
    /** Measurement and field pairs whose conflicting kinds were already logged. */
    private final Set<String> conflictsLogged = ConcurrentHashMap.newKeySet();

    /** @param registered whether a source of that name is registered (for {@link #metrics(String)}) */
    public Catalog(Predicate<String> registered) {
        this.registered = registered;
    }

    /**
     * Takes a source's declarations (as the core binds it, before it is listed, and again when its service properties
     * are modified) and puts them in place of those it had.
     *
     * @param serviceId the source's service id
     * @param name its name
     * @param source the source
     * @return its metrics, to resolve its written fields with
     */
    public SourceMetrics declare(long serviceId, String name, MetricSource source) {
        SourceMetrics metrics = new SourceMetrics(name);
        long start = System.nanoTime();
        try {
            source.declare(metrics);
        } catch (Throwable e) { // whatever it is, collecting goes on
            LOG.warn("Metric source '{}' failed to declare its metrics; what it declared before is kept, its other "
                    + "fields count as gauges", name, e);
        }
        long took = System.nanoTime() - start;
        if (took > SLOW_DECLARE_NANOS) {
            LOG.warn("Metric source '{}' took {} ms to declare its metrics; declare() should only name them", name,
                    TimeUnit.NANOSECONDS.toMillis(took));
        }
        metrics.seal();
        logConflicts(metrics);
        sources.put(serviceId, metrics);
        return metrics;
    }

    private void logConflicts(SourceMetrics added) {
        Map<String, MetricInfo> mine = new HashMap<>();
        for (MetricInfo m : added.declared()) {
            mine.put(m.measurement() + ' ' + m.field(), m);
        }
        for (SourceMetrics other : sources.values()) {
            if (other.source().equals(added.source())) {
                continue;
            }
            for (MetricInfo theirs : other.declared()) {
                String key = theirs.measurement() + ' ' + theirs.field();
                MetricInfo m = mine.get(key);
                if (m != null && m.kind() != theirs.kind() && conflictsLogged.add(key)) {
                    LOG.warn("Metric sources '{}' and '{}' declare {} {} with different kinds ({}, {})",
                            theirs.source(), m.source(), m.measurement(), m.field(), theirs.kind(), m.kind());
                }
            }
        }
    }

    /**
     * Forgets a source that unregistered.
     *
     * @param serviceId its service id
     */
    public void remove(long serviceId) {
        sources.remove(serviceId);
    }

    @Override
    public List<MetricInfo> metrics() {
        List<MetricInfo> all = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (SourceMetrics s : sources.values()) {
            if (names.add(s.source())) {
                all.addAll(s.all());
            }
        }
        all.sort(Metric.ORDER);
        return List.copyOf(all);
    }

    @Override
    public List<MetricInfo> metrics(String source) {
        if (source == null || !registered.test(source)) {
            throw new IllegalArgumentException("unknown source: " + source);
        }
        List<MetricInfo> all = new ArrayList<>();
        for (SourceMetrics s : sources.values()) {
            if (s.source().equals(source)) {
                all.addAll(s.all());
                break;
            }
        }
        all.sort(Metric.ORDER);
        return List.copyOf(all);
    }
}
