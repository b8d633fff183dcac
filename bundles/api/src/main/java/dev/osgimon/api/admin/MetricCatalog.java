package dev.osgimon.api.admin;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

import dev.osgimon.api.model.MetricInfo;

/**
 * The catalog of metrics: every field the registered sources declared, and the fields they wrote
 * without declaring (as gauges), with kind, unit and description. Served by the core.
 */
@ProviderType
public interface MetricCatalog {

    /**
     * @return every metric known, sorted by measurement, field and source
     */
    List<MetricInfo> metrics();

    /**
     * @param source a source name
     * @return the metrics of that source, sorted by measurement and field; empty for a source
     *         that declared and wrote nothing yet
     * @throws IllegalArgumentException if no such source is registered
     */
    List<MetricInfo> metrics(String source);
}
