package dev.osgimon.otlp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration PID {@value #PID}: how metrics reach an {@code otlp+http://} or {@code otlp+https://}
 * target (OpenTelemetry OTLP/HTTP with protobuf). The target itself is the core's {@code target}.
 */
@ObjectClassDefinition(id = OtlpConfig.PID, name = "osgimon OTLP transport",
        description = "Settings for otlp+http:// and otlp+https:// targets of dev.osgimon.core: OpenTelemetry"
                + " OTLP/HTTP metrics (protobuf) to an OpenTelemetry Collector or any OTLP receiver.")
public @interface OtlpConfig {

    /** The configuration PID. */
    String PID = "dev.osgimon.otlp";

    /** The environment variable read when {@link #headers()} is empty. */
    String HEADERS_ENV = "OSGIMON_OTLP_HEADERS";

    @AttributeDefinition(name = "service.name", description = "The resource attribute service.name.")
    String service_name() default "osgimon";

    @AttributeDefinition(name = "service.instance.id", description = "The resource attribute service.instance.id."
            + " Empty: a UUID made once and kept in instanceIdFile, so it stays the same across restarts.",
            required = false)
    String service_instance_id() default "";

    @AttributeDefinition(description = "Where the generated service.instance.id is kept. Empty: the bundle's"
            + " data area.", required = false)
    String instanceIdFile() default "";

    @AttributeDefinition(description = "HTTP headers sent with every request, key=value,key2=value2 (values may be"
            + " percent-encoded), e.g. for authentication. Empty: the environment variable OSGIMON_OTLP_HEADERS."
            + " Values are never shown.", type = AttributeType.PASSWORD, required = false)
    String headers() default "";

    @AttributeDefinition(description = "Metric names: osgimon (<measurement>.<field>, tags as attributes) or"
            + " semconv (OpenTelemetry semantic conventions where one exists, see docs/otlp.md).",
            options = {@org.osgi.service.metatype.annotations.Option(value = "osgimon"),
                @org.osgi.service.metatype.annotations.Option(value = "semconv")})
    String names() default "osgimon";

    @AttributeDefinition(description = "Request body compression: gzip or none.",
            options = {@org.osgi.service.metatype.annotations.Option(value = "gzip"),
                @org.osgi.service.metatype.annotations.Option(value = "none")})
    String compression() default "gzip";

    @AttributeDefinition(description = "Milliseconds to connect, and to send one request and read its answer.",
            min = "1")
    int timeout() default 10000;
}
