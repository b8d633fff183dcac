/**
 * Who may use an osgimon HTTP endpoint: {@link dev.osgimon.httpaccess.internal.ClientFilter}
 * (loopback plus allowed networks) and {@link dev.osgimon.httpaccess.internal.RequiredAuthorization}
 * (an optional exact {@code Authorization} header). Not exported: each bundle that serves HTTP
 * embeds a private copy (bnd {@code -conditionalpackage}).
 */
package dev.osgimon.httpaccess.internal;
