package dev.osgimon.source.http.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@value #PID} of the {@code http} metric source. */
@ObjectClassDefinition(id = HttpConfig.PID, name = "osgimon http source",
        description = "Requests served through the OSGi Http Whiteboard: status classes, methods, in flight, latency per route.")
public @interface HttpConfig {

    /** The configuration PID. */
    String PID = "dev.osgimon.source.http";

    @AttributeDefinition(description = "At most this many routes (whiteboard servlets) get their own http_latency"
            + " series; requests to further routes are recorded under route=other and counted in"
            + " http_server.routes_over_cap. Takes effect when the source restarts.", min = "1")
    int maxRoutes() default 50;
}
