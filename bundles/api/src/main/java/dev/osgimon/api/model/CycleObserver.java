package dev.osgimon.api.model;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told about every collection cycle, as structured points with their declared meaning, after it
 * was handed to delivery. Front ends that show or serve recent values (the operator page, a
 * Prometheus scrape endpoint) register one as an OSGi service instead of collecting the sources a
 * second time or parsing the wire format back.
 *
 * <p>Called on the collector thread, once per cycle, in cycle order. An implementation must return
 * quickly and must not block: copy what it needs and return. The {@link Cycle} is valid only during
 * the call. An exception it throws is logged and affects neither the cycle nor other observers. A
 * cycle with no points (no enabled source) is still reported.
 */
@ConsumerType
public interface CycleObserver {

    /**
     * One cycle.
     *
     * @param cycle the cycle's points, valid only during this call
     */
    void cycleCollected(Cycle cycle);
}
