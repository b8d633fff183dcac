package dev.osgimon.api.transport;

import java.net.URI;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Creates writers for the URI schemes listed in its service property {@link #SCHEMES}, e.g.
 * {@code {"http", "https"}}. The core picks the factory for its {@code target}'s scheme.
 */
@ConsumerType
public interface TransportFactory {

    /** Service property: the URI schemes this factory serves, a {@code String[]}. */
    String SCHEMES = "osgimon.transport.schemes";

    /**
     * Creates a writer. It may connect lazily; it must not block for long. Called on the core's
     * sender thread, never on a configuration thread.
     *
     * @param target the target URI from the core configuration
     * @return the writer
     * @throws IllegalArgumentException if the URI is not usable (missing host, port, …)
     */
    LineWriter create(URI target);
}
