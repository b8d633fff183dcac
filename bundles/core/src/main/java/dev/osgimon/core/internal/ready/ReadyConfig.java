package dev.osgimon.core.internal.ready;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@value #PID}: how long the agent waits for what it expects before it opens its ports anyway. */
@ObjectClassDefinition(id = ReadyConfig.PID, name = "osgimon readiness",
        description = "The ports (commands, memtrace, page) open once the framework has started and every metric source"
                + " and the log level admin that the active bundles declare are bound, or when this wait runs out.")
public @interface ReadyConfig {

    /** The configuration PID. */
    String PID = "dev.osgimon.core.ready";

    @AttributeDefinition(description = "Seconds to wait for the expected sources and services; then the agent is"
            + " declared ready anyway and what is missing is logged at WARN.", min = "0")
    int timeoutSeconds() default 30;
}
