package dev.osgimon.source.health.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@value #PID} of the health check "osgimon delivery". */
@ObjectClassDefinition(id = DeliveryCheckConfig.PID, name = "osgimon delivery health check",
        description = "A Felix health check that turns WARN when osgimon's delivery falls behind and CRITICAL when"
                + " it is far behind or has dropped lines.")
public @interface DeliveryCheckConfig {

    /** The configuration PID. */
    String PID = "dev.osgimon.health.delivery";

    @AttributeDefinition(description = "WARN once the oldest line waiting for the target has waited this many"
            + " seconds.", min = "1")
    long warnAfterSeconds() default 60;

    @AttributeDefinition(description = "CRITICAL once the oldest line waiting for the target has waited this many"
            + " seconds; at least warnAfterSeconds.", min = "1")
    long criticalAfterSeconds() default 600;
}
