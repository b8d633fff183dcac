package dev.osgimon.prometheus.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the scrape endpoint (PID {@value #PID}). */
@ObjectClassDefinition(id = PrometheusConfig.PID, name = "osgimon Prometheus endpoint",
        description = "The Prometheus scrape endpoint: where it is served and who may scrape it.")
public @interface PrometheusConfig {

    /** The configuration PID. */
    String PID = "dev.osgimon.prometheus";

    /**
     * The path of the endpoint on the HTTP whiteboard.
     *
     * @return e.g. {@code /metrics}
     */
    @AttributeDefinition(description = "Path of the scrape endpoint on the HTTP whiteboard")
    String path() default "/metrics";

    /**
     * Client networks allowed besides loopback.
     *
     * @return CIDRs such as {@code 10.0.0.0/8} or {@code fd00::/8}
     */
    @AttributeDefinition(description = "CIDRs allowed besides loopback (loopback is always allowed); others get 403",
            required = false)
    String[] allow() default {};

    /**
     * The exact {@code Authorization} header a scrape must send; empty: none.
     *
     * @return {@code Bearer <token>} or {@code Basic <base64 of user:password>}
     */
    @AttributeDefinition(description = "Exact Authorization header a scraper must send: 'Bearer <token>' or"
            + " 'Basic <base64 user:password>'. Empty: none. Missing: 401, wrong: 403.",
            type = AttributeType.PASSWORD, required = false)
    String authorization() default "";
}
