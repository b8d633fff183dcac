package dev.osgimon.api.transport;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Creates writers for the URI schemes listed in its service property {@link #SCHEMES}, e.g.
 * {@code {"http", "https"}}. The core picks the factory for its {@code target}'s scheme.
 *
 * <p>The core's outbox is the only owner of the writers a factory creates: it uses them and closes
 * them on its sender thread. A factory keeps no writer; when its service goes away the core closes
 * the writer it created before the unregistration returns (within a few seconds).
 */
@ConsumerType
public interface TransportFactory {

    /** Service property: the URI schemes this factory serves, a {@code String[]}. */
    String SCHEMES = "osgimon.transport.schemes";

    /**
     * Creates a writer. It may connect lazily; it must not block for long. Called on the core's
     * sender thread, never on a configuration thread.
     *
     * @param target the target, parsed and checked by the core; its scheme is one of {@link #SCHEMES}
     * @return the writer
     * @throws IllegalArgumentException if this transport cannot use the target (e.g. a query it does
     *         not understand); the message names the target by {@link Target#redacted()} only
     */
    LineWriter create(Target target);

    /**
     * The format this factory's writers read. {@code null} (the default) is Influx line protocol,
     * rendered by the core; a factory for another format returns a new {@link CycleEncoder} each call.
     * Called on a core thread, never per point.
     *
     * @param target the target, as for {@link #create}
     * @return a new encoder, or {@code null} for line protocol
     * @since 3.1
     */
    default CycleEncoder encoder(Target target) {
        return null;
    }
}
