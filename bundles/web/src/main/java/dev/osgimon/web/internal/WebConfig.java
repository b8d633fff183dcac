package dev.osgimon.web.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the operator page (PID {@value #PID}). */
@ObjectClassDefinition(id = WebConfig.PID, name = "osgimon operator page",
        description = "The page at /osgimon: who may reach it and how much history it keeps.")
public @interface WebConfig {

    /** The configuration PID. */
    String PID = "dev.osgimon.web";

    /**
     * The path the page is served at.
     *
     * @return e.g. {@code /osgimon}
     */
    @AttributeDefinition(description = "Path of the page on the HTTP whiteboard")
    String path() default "/osgimon";

    /**
     * Client networks allowed besides loopback.
     *
     * @return CIDRs such as {@code 10.0.0.0/8} or {@code fd00::/8}
     */
    @AttributeDefinition(description = "CIDRs allowed besides loopback (loopback is always allowed)")
    String[] allow() default {};

    /**
     * How many collection cycles each chart series keeps.
     *
     * @return the ring size per series (360 = one hour at the 10 s default interval)
     */
    @AttributeDefinition(description = "Collection cycles kept per chart series (1 to 100000)")
    int historyCycles() default 360;
}
