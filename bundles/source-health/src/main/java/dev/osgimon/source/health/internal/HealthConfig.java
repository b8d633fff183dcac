package dev.osgimon.source.health.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@value #PID} of the {@code health} metric source. */
@ObjectClassDefinition(id = HealthConfig.PID, name = "osgimon health source",
        description = "Results of the Apache Felix Health Checks, run through their executor.")
public @interface HealthConfig {

    /** The configuration PID. */
    String PID = "dev.osgimon.source.health";

    @AttributeDefinition(description = "Time budget of one run of the checks in milliseconds; a check that has not"
            + " answered by then is reported as status 4 (HEALTH_CHECK_ERROR).", min = "1")
    int timeoutMs() default 2000;

    @AttributeDefinition(description = "Run only the checks with one of these tags; empty runs the executor's"
            + " default selection (every check unless its defaultTags are configured).")
    String[] tags() default {};
}
