package dev.osgimon.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told about every collection cycle after it was handed to the transport: the lines exactly as
 * they are sent. Front ends that show recent values (the operator page's charts) register one as
 * an OSGi service instead of collecting the sources a second time.
 *
 * <p>Called on the collector thread, once per cycle, in cycle order. An implementation must
 * return quickly and must not block (copy or parse what it needs and return); an exception it
 * throws is logged and does not affect the cycle or other listeners. A cycle whose points were
 * all dropped (no enabled source) is still reported, with empty text.
 *
 * @deprecated since 1.2: text is one rendering of the cycle; implement
 *             {@link dev.osgimon.api.model.CycleObserver}, which gets the structured points with their
 *             declared meaning. Listeners of this type are still told, with the line-protocol text.
 */
@Deprecated
@ConsumerType
public interface CycleListener {

    /**
     * One cycle's lines.
     *
     * @param timestampNanos the cycle's timestamp (nanoseconds since the epoch), as written on
     *        every line
     * @param lines the Influx line-protocol text of the cycle, each line ending in {@code \n}
     */
    void cycleCollected(long timestampNanos, String lines);
}
