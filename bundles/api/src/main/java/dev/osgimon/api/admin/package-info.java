/**
 * Services the osgimon platform provides to control it at runtime: switching metric sources on
 * and off, log levels, the text command protocol, a preview of one collection cycle, the delivery
 * state, the metric catalog and readiness.
 *
 * <p>2.0.0: {@code DeliveryStatus} and {@code SourceStatus} are {@code @ProviderType} interfaces
 * instead of records (their accessors are unchanged; a new counter is a minor change from now on);
 * new {@code MetricCatalog} and {@code Ready}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.0.0")
package dev.osgimon.api.admin;
