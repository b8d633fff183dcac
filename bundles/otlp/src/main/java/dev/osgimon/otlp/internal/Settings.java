package dev.osgimon.otlp.internal;

import java.util.Locale;

/**
 * The OTLP configuration, checked once: what the factory hands its writers and encoders.
 *
 * @param serviceName {@code service.name}
 * @param instanceId {@code service.instance.id}
 * @param names {@code osgimon} or {@code semconv}
 * @param gzip compress request bodies
 * @param headers extra request headers (secret values)
 * @param timeoutMillis connect, write and read timeout
 * @param version this bundle's version: the scope's version and the User-Agent's
 * @param processStartNanos the JVM's start, the start time of the series seen first
 */
public record Settings(String serviceName, String instanceId, String names, boolean gzip, Headers headers,
        int timeoutMillis, String version, long processStartNanos) {

    /**
     * @param config the configuration
     * @param environmentHeaders {@code OSGIMON_OTLP_HEADERS}, used when {@code headers} is empty, or null
     * @param instanceId the instance id when the configuration sets none
     * @param version the bundle's version
     * @param processStartNanos the JVM's start
     * @return the settings
     * @throws IllegalArgumentException naming the bad property (never a header value)
     */
    static Settings of(OtlpConfig config, String environmentHeaders, String instanceId, String version,
            long processStartNanos) {
        String serviceName = config.service_name() == null ? "" : config.service_name().trim();
        if (serviceName.isEmpty()) {
            throw new IllegalArgumentException("service.name must not be empty");
        }
        String names = Names.Mode.parse(config.names()).name().toLowerCase(Locale.ROOT);
        String compression = config.compression() == null ? "gzip" : config.compression().trim().toLowerCase(Locale.ROOT);
        if (!compression.equals("gzip") && !compression.equals("none")) {
            throw new IllegalArgumentException("compression must be gzip or none, not '" + compression + "'");
        }
        if (config.timeout() < 1) {
            throw new IllegalArgumentException("timeout must be at least 1 ms, not " + config.timeout());
        }
        String headerText = config.headers() == null || config.headers().isBlank() ? environmentHeaders : config.headers();
        String id = config.service_instance_id() == null || config.service_instance_id().isBlank() ? instanceId
                : config.service_instance_id().trim();
        return new Settings(serviceName, id, names, compression.equals("gzip"), Headers.parse(headerText),
                config.timeout(), version, processStartNanos);
    }

    /** For tests and benchmarks: defaults with these names and headers. */
    public static Settings defaults(String names, String headers, boolean gzip) {
        return new Settings("osgimon", "test-instance", names, gzip, Headers.parse(headers), 10_000, "0.0.0", 0);
    }

    @Override
    public String toString() {
        return "service.name=" + serviceName + ", service.instance.id=" + instanceId + ", names=" + names
                + ", compression=" + (gzip ? "gzip" : "none") + ", headers=" + headers + ", timeout=" + timeoutMillis;
    }
}
