package dev.osgimon.core.internal;

import java.util.List;

import dev.osgimon.api.MetricSource;
import dev.osgimon.core.internal.catalog.SourceMetrics;

/** A registered metric source with its counters. Counters are written by the collector thread only. */
final class SourceEntry {

    final long serviceId;
    final String name;
    final List<String> tags;
    final MetricSource source;

    /** Decided by the rules; recomputed when rules or sources change. */
    volatile boolean enabled = true;
    /** Its collect call did not return within the timeout: skipped until it does. */
    volatile boolean stuck;
    /** Another service has the same name and a lower service id. */
    volatile boolean shadowed;

    /**
     * What it declared: taken as it registers, before it is listed, and again (replaced whole, never
     * changed in place) each time its service properties are modified. The collector thread reads it
     * once per collection of the source.
     */
    volatile SourceMetrics metrics;
    /** It unregistered: its declarations leave the catalog. */
    volatile boolean removed;

    volatile long lastNanos;
    volatile int lastLines;
    volatile long errors;
    volatile long overruns;
    volatile boolean failing;

    SourceEntry(long serviceId, String name, List<String> tags, MetricSource source) {
        this.serviceId = serviceId;
        this.name = name;
        this.tags = List.copyOf(tags);
        this.source = source;
    }

    @Override
    public String toString() {
        return name + tags;
    }
}
