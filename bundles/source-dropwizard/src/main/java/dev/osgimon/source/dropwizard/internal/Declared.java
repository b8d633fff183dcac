package dev.osgimon.source.dropwizard.internal;

import java.util.Map;

import dev.osgimon.api.Declarations;
import dev.osgimon.sourcekit.internal.BridgeSource;

/**
 * What one registration of the source declared: each measurement's layout and the metric name it
 * came from.
 *
 * @param prefix the measurement prefix in force
 * @param entries by measurement
 * @param byName the measurement of each metric name seen (the bridge's own point for a name mapped onto it)
 * @param full whether {@code maxSeries} measurements were reached (no further one is declared)
 */
record Declared(String prefix, Map<String, Entry> entries, Map<String, String> byName, boolean full)
        implements BridgeSource.Declaration {

    /**
     * One measurement.
     *
     * @param layout how its metric is written
     * @param name the metric's name
     */
    record Entry(Layout layout, String name) {
    }

    /**
     * Declares every measurement and the bridge's own point.
     *
     * @param d where to declare
     */
    @Override
    public void declare(Declarations d) {
        entries.forEach((measurement, e) -> e.layout().declare(d, measurement, e.name()));
        DropwizardBridge.declareSelf(d);
    }
}
