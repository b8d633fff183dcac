package dev.osgimon.source.micrometer.internal;

import java.util.Map;

import dev.osgimon.api.Declarations;
import dev.osgimon.sourcekit.internal.BridgeSource;

/**
 * What one registration of the source declared: the measurements of the meters there were, each with
 * its layout, unit and description.
 *
 * @param prefix the measurement prefix in force
 * @param entries by measurement
 * @param byName the measurement of each meter name seen (the bridge's own point for a name mapped onto it)
 * @param full whether {@code maxSeries} measurements were reached (no further one is declared)
 */
record Declared(String prefix, Map<String, Entry> entries, Map<String, String> byName, boolean full)
        implements BridgeSource.Declaration {

    /**
     * One measurement.
     *
     * @param layout how its meter is written
     * @param unit the unit of its values
     * @param description one line
     */
    record Entry(Layout layout, String unit, String description) {
    }

    /**
     * Declares every measurement and the bridge's own point.
     *
     * @param d where to declare
     */
    @Override
    public void declare(Declarations d) {
        entries.forEach((measurement, e) -> e.layout().declare(d, measurement, e.unit(), e.description()));
        MeterBridge.declareSelf(d);
    }
}
