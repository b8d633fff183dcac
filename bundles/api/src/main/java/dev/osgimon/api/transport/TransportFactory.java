package dev.osgimon.api.transport;

import java.net.URI;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Creates transports for the URI schemes listed in its service property {@link #SCHEMES}, e.g.
 * {@code {"http", "https"}}. The core picks the factory for its {@code target}'s scheme.
 */
@ConsumerType
public interface TransportFactory {

    /** Service property: the URI schemes this factory serves, a {@code String[]}. */
    String SCHEMES = "osgimon.transport.schemes";

    /**
     * Creates a transport. It may connect lazily; it must not block for long.
     *
     * @param target the target URI from the core configuration
     * @param bufferLines the most lines to keep while the target is unreachable
     * @return the transport
     * @throws IllegalArgumentException if the URI is not usable (missing host, port, …)
     */
    Transport create(URI target, int bufferLines);
}
