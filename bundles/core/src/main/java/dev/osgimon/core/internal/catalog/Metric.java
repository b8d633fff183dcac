package dev.osgimon.core.internal.catalog;

import java.util.Comparator;

import dev.osgimon.api.model.Kind;
import dev.osgimon.api.model.MetricInfo;

/**
 * The meaning of one field (or of a histogram measurement), as declared or as seen written.
 *
 * @param source the source's name
 * @param measurement the measurement
 * @param field the field key, {@code *} for every undeclared field of the measurement, empty for a histogram
 * @param kind gauge, counter or histogram
 * @param unit the unit, or empty
 * @param description one line, or empty
 * @param declared whether the source declared it
 */
public record Metric(String source, String measurement, String field, Kind kind, String unit, String description,
        boolean declared) implements MetricInfo {

    /** Measurement, field, then source: the catalog's order. */
    static final Comparator<MetricInfo> ORDER = Comparator.comparing(MetricInfo::measurement)
            .thenComparing(MetricInfo::field).thenComparing(MetricInfo::source);
}
