package dev.osgimon.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a source declares, once, what its fields mean: kind, unit and a one-line description (see
 * {@link MetricSource#declare(Declarations)}). Every wire format other than the Influx line protocol
 * needs this: Prometheus writes {@code # TYPE}, {@code # UNIT}, {@code # HELP} and {@code _total},
 * OpenTelemetry tells a Gauge from a monotonic Sum and a Histogram.
 *
 * <pre>{@code
 * public void declare(Declarations d) {
 *     d.gauge("jvm_memory", "used", "By", "Memory used")
 *      .counter("http_response", "*", "{response}", "Responses by status class")
 *      .histogram("http_latency", "s", "Time from request to response");
 * }
 * }</pre>
 *
 * <p>Units are UCUM-style as OpenTelemetry writes them: {@code s}, {@code ms}, {@code ns},
 * {@code By}, {@code 1} (a ratio or a plain number), {@code %}, or a count of things in braces such
 * as {@code {request}}; empty when none fits. A field declared twice keeps the first declaration (a
 * warning is logged); a field nobody declared is a gauge without unit. Declarations are read once
 * per registration of the source, never per cycle.
 */
@ProviderType
public interface Declarations {

    /** The field name that declares every field of a measurement not declared by name. */
    String ANY_FIELD = "*";

    /**
     * Declares a gauge: a value that goes up and down.
     *
     * @param measurement the measurement
     * @param field the field key, or {@value #ANY_FIELD}
     * @param unit the unit, or empty
     * @param description one line, or empty
     * @return these declarations
     */
    Declarations gauge(String measurement, String field, String unit, String description);

    /**
     * Declares a counter: monotonic, cumulative since the source started, reset to 0 when it
     * restarts.
     *
     * @param measurement the measurement
     * @param field the field key, or {@value #ANY_FIELD}
     * @param unit the unit of what is counted, e.g. {@code {request}}, {@code By}, {@code s}
     * @param description one line, or empty
     * @return these declarations
     */
    Declarations counter(String measurement, String field, String unit, String description);

    /**
     * Declares a histogram measurement, written with {@link PointWriter#histogram} (or by a
     * {@link Histogram}).
     *
     * @param measurement the measurement
     * @param unit the unit of the recorded values, e.g. {@code s}
     * @param description one line, or empty
     * @return these declarations
     */
    Declarations histogram(String measurement, String unit, String description);
}
