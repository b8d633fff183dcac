/**
 * The osgimon API: what a metric source implements and what it writes into.
 *
 * <p>A metric source is an OSGi service implementing {@link dev.osgimon.api.MetricSource},
 * registered with the service properties {@value dev.osgimon.api.MetricSource#NAME} and
 * {@value dev.osgimon.api.MetricSource#TAGS} (see {@link dev.osgimon.api.MetricSourceProperties}).
 * Every collection cycle the core hands each enabled source a {@link dev.osgimon.api.PointWriter}
 * that records the points; a source may declare, once, what its fields mean
 * ({@link dev.osgimon.api.Declarations}).
 *
 * <p>1.2: {@code MetricSource.declare}, {@code Declarations}, {@code Histogram},
 * {@code PointWriter.histogram}; {@code CycleListener} is deprecated for
 * {@link dev.osgimon.api.model.CycleObserver}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package dev.osgimon.api;
