/**
 * What the bridges of application metrics and the jmx source share:
 * {@link dev.osgimon.sourcekit.internal.Registrar} (a metric source registered once, whose service
 * properties are modified so that the core declares it again when names that appeared at runtime
 * must be declared: all three), {@link dev.osgimon.sourcekit.internal.BridgeSource} (the registered
 * source of a bridge) and {@link dev.osgimon.sourcekit.internal.RegistryBridge} with its
 * {@link dev.osgimon.sourcekit.internal.Declared} snapshot (the mapping of a registry's metrics onto
 * measurements, the {@code maxSeries} cut-off and the bridge's own point). Not exported: each bundle
 * that uses it embeds a private copy (bnd {@code -conditionalpackage}).
 */
package dev.osgimon.sourcekit.internal;
