/**
 * What the bridges of application metrics share: {@link dev.osgimon.sourcekit.internal.Registrar}
 * (a metric source registered once, whose service properties are modified so that the core declares it again when
 * names that appeared at runtime must be declared). Not
 * exported: each bundle that uses it embeds a private copy (bnd {@code -conditionalpackage}).
 */
package dev.osgimon.sourcekit.internal;
