package dev.osgimon.source.dropwizard.internal;

import dev.osgimon.api.Declarations;
import dev.osgimon.sourcekit.internal.Declared;

/**
 * What is declared of one metric's measurement.
 *
 * @param layout how its metric is written
 * @param name the metric's name
 */
record Entry(Layout layout, String name) implements Declared.Entry {

    @Override
    public void declare(Declarations d, String measurement) {
        layout.declare(d, measurement, name);
    }
}
