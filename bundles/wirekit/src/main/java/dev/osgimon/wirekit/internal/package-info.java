/**
 * What the binary push encoders share: {@link dev.osgimon.wirekit.internal.Utf8}, strings as UTF-8
 * into a byte array without allocating, and {@link dev.osgimon.wirekit.internal.Varint}, protobuf's
 * base-128 varints (snappy's length preamble is one too). Not exported: each bundle that uses it
 * embeds a private copy (bnd {@code -conditionalpackage}).
 */
package dev.osgimon.wirekit.internal;
