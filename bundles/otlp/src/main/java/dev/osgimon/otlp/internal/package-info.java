/** The OTLP/HTTP transport: encoder, writer, name mapping and component; private to the bundle. */
package dev.osgimon.otlp.internal;
