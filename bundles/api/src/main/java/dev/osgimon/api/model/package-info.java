/**
 * The metric model every wire format renders: what a field means ({@link dev.osgimon.api.model.Kind},
 * unit, description, as {@link dev.osgimon.api.model.MetricInfo}) and one collected cycle as
 * structured points ({@link dev.osgimon.api.model.Cycle}), handed to
 * {@link dev.osgimon.api.model.CycleObserver}s. Influx line protocol, Prometheus and OTLP are all
 * renderings of this model; none of them parses another's bytes.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.osgimon.api.model;
