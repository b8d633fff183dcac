package dev.osgimon.logging.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@value #PID}: runtime log levels over pax-logging. */
@ObjectClassDefinition(id = LoggingConfig.PID, name = "osgimon log levels",
        description = "Runtime log levels through pax-logging's configuration PID org.ops4j.pax.logging.")
public @interface LoggingConfig {

    /** The configuration PID. */
    String PID = "dev.osgimon.logging";

    @AttributeDefinition(description = "Most logger names remembered from log entries since start (shown by l*).",
            min = "0")
    int maxKnownLoggers() default 2000;
}
