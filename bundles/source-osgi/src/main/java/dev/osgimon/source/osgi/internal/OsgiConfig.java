package dev.osgimon.source.osgi.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@value #PID} of the {@code osgi} metric source. */
@ObjectClassDefinition(id = OsgiConfig.PID, name = "osgimon osgi source",
        description = "Bundles by state, services, Declarative Services components by state, framework events.")
public @interface OsgiConfig {

    /** The configuration PID. */
    String PID = "dev.osgimon.source.osgi";

    @AttributeDefinition(description = "Count components through the ServiceComponentRuntime and list the ones"
            + " that are neither satisfied nor active (osgi_components, osgi_component_problem).")
    boolean components() default true;

    @AttributeDefinition(description = "At most this many osgi_component_problem points a cycle; the count in"
            + " osgi_components stays complete.", min = "0")
    int maxProblems() default 100;
}
