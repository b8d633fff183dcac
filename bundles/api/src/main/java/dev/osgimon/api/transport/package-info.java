/**
 * The transport SPI: how encoded lines leave the core. The core ships {@code tcp://} and
 * {@code udp://}; other bundles add schemes (such as {@code http://}) by registering a
 * {@link dev.osgimon.api.transport.TransportFactory}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.osgimon.api.transport;
