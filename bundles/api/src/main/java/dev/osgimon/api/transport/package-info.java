/**
 * The transport SPI: how encoded lines leave the core. A transport is a stateless
 * {@link dev.osgimon.api.transport.LineWriter}: the core's outbox keeps the lines, in order, and
 * hands them to the writer one batch at a time. The core ships {@code tcp://} and {@code udp://};
 * other bundles add schemes (such as {@code http://}) by registering a
 * {@link dev.osgimon.api.transport.TransportFactory}.
 *
 * <p>3.1.0: a transport may speak another format than line protocol: its factory's
 * {@link dev.osgimon.api.transport.TransportFactory#encoder} returns a
 * {@link dev.osgimon.api.transport.CycleEncoder} that turns each structured cycle into records the
 * outbox keeps and spools like lines.
 *
 * <p>3.0.0: {@link dev.osgimon.api.transport.TransportFactory#create} takes a
 * {@link dev.osgimon.api.transport.Target} instead of a {@code java.net.URI}: the core parses,
 * checks and redacts the target once, and writers get its parts. The outbox alone owns and closes
 * writers; factories keep none.
 *
 * <p>2.0.0: the buffering {@code Transport}, {@code LineSink}, {@code LineBuffer} and
 * {@code TransportStats} are gone; buffering, retries and counters belong to the core.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("3.1.0")
package dev.osgimon.api.transport;
