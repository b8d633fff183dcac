package dev.osgimon.api.model;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The declared meaning of one field of a measurement (or of a histogram measurement), as a source
 * declared it through {@link dev.osgimon.api.Declarations}. A field nobody declared is a
 * {@link Kind#GAUGE} with an empty unit and description.
 */
@ProviderType
public interface MetricInfo {

    /** @return the name of the source that declared (or wrote) it */
    String source();

    /** @return the measurement, e.g. {@code jvm_memory} or, for a histogram, {@code http_latency} */
    String measurement();

    /**
     * @return the field key, e.g. {@code used}; {@code *} for a declaration that covers every field
     *         of the measurement not declared by name; empty for a histogram
     */
    String field();

    /** @return gauge, counter or histogram */
    Kind kind();

    /** @return the UCUM-style unit as OpenTelemetry writes it ({@code s}, {@code By}, {@code 1}, {@code {request}}), or empty */
    String unit();

    /** @return a one-line description, or empty */
    String description();

    /** @return whether a source declared this field (false: the gauge default of an undeclared field) */
    boolean declared();
}
