package dev.osgimon.sourcekit.internal;

import java.util.Map;
import java.util.function.Consumer;

import dev.osgimon.api.Declarations;

/**
 * What one declare call of a {@link RegistryBridge} took from its registries: each measurement's
 * entry (how its metric is written and declared) and the measurement of every metric name seen.
 *
 * @param <E> the bridge's entry
 * @param prefix the measurement prefix in force
 * @param entries by measurement
 * @param byName the measurement of each metric name seen (the bridge's own point for a name mapped onto it)
 * @param full whether {@code maxSeries} measurements were reached (no further one is declared)
 * @param self declares the bridge's own point
 */
public record Declared<E extends Declared.Entry>(String prefix, Map<String, E> entries, Map<String, String> byName,
        boolean full, Consumer<Declarations> self) implements BridgeSource.Declaration {

    /** One measurement: what the bridge keeps of its metric to declare and write it. */
    public interface Entry {
        /**
         * Declares the fields of the measurement.
         *
         * @param d where to declare
         * @param measurement the measurement
         */
        void declare(Declarations d, String measurement);
    }

    /**
     * Declares every measurement and the bridge's own point.
     *
     * @param d where to declare
     */
    @Override
    public void declare(Declarations d) {
        entries.forEach((measurement, e) -> e.declare(d, measurement));
        self.accept(d);
    }
}
