package dev.osgimon.source.micrometer.internal;

import dev.osgimon.api.Declarations;
import dev.osgimon.sourcekit.internal.Declared;

/**
 * What is declared of one meter's measurement.
 *
 * @param layout how its meter is written
 * @param unit the unit of its values
 * @param description one line
 */
record Entry(Layout layout, String unit, String description) implements Declared.Entry {

    @Override
    public void declare(Declarations d, String measurement) {
        layout.declare(d, measurement, unit, description);
    }
}
