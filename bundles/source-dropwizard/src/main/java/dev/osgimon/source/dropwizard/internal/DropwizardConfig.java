package dev.osgimon.source.dropwizard.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@value #PID} of the {@code dropwizard} metric source. */
@ObjectClassDefinition(id = DropwizardConfig.PID, name = "osgimon Dropwizard Metrics bridge",
        description = "Reads every Dropwizard Metrics MetricRegistry service.")
public @interface DropwizardConfig {

    /** The configuration PID. */
    String PID = "dev.osgimon.source.dropwizard";

    @AttributeDefinition(description = "At most this many metrics are written a cycle (one series each); further"
            + " metrics are left out and counted in osgimon_dropwizard.over_limit.", min = "1")
    int maxSeries() default 10_000;

    @AttributeDefinition(description = "Put before every measurement made from a metric name, e.g. 'app_'"
            + " (letters, digits and _ only; empty: none).")
    String measurementPrefix() default "";
}
