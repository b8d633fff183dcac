package dev.osgimon.source.log.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@value #PID} of the {@code log} metric source. */
@ObjectClassDefinition(id = LogConfig.PID, name = "osgimon log source",
        description = "Log entries per level, counted from the OSGi LogReaderService (pax-logging provides it).")
public @interface LogConfig {

    /** The configuration PID. */
    String PID = "dev.osgimon.source.log";

    @AttributeDefinition(description = "Also write one log_bundle_entries point per bundle that logged at warn or"
            + " worse (tag bundle), so that an operator can alert on who logs errors.")
    boolean perBundle() default false;

    @AttributeDefinition(description = "At most this many bundles are counted one by one; entries of further"
            + " bundles are counted under bundle=other.", min = "1")
    int maxBundles() default 200;
}
