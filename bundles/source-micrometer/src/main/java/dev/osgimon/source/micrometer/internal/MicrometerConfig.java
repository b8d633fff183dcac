package dev.osgimon.source.micrometer.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@value #PID} of the {@code micrometer} metric source. */
@ObjectClassDefinition(id = MicrometerConfig.PID, name = "osgimon Micrometer bridge",
        description = "Reads the Micrometer MeterRegistry service (osgimon=true) that application bundles record into.")
public @interface MicrometerConfig {

    /** The configuration PID. */
    String PID = "dev.osgimon.source.micrometer";

    @AttributeDefinition(description = "At most this many meters are written a cycle (one series each); further"
            + " meters are left out and counted in osgimon_micrometer.over_limit.", min = "1")
    int maxSeries() default 10_000;

    @AttributeDefinition(description = "Put before every measurement made from a meter name, e.g. 'app_'"
            + " (letters, digits and _ only; empty: none).")
    String measurementPrefix() default "";
}
