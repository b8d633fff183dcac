package dev.osgimon.core.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A parsed push target.
 *
 * @param uri the URI as configured
 * @param scheme its scheme, lower case
 * @param host the host (tcp and udp)
 * @param port the port (tcp and udp)
 */
record Target(URI uri, String scheme, String host, int port) {

    /**
     * Parses and checks a target.
     *
     * @param text e.g. {@code tcp://127.0.0.1:8094}
     * @return the target
     * @throws IllegalArgumentException saying what is wrong
     */
    static Target parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("target is empty");
        }
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("target '" + text + "' is not a URI: " + e.getMessage());
        }
        if (uri.getScheme() == null) {
            throw new IllegalArgumentException("target '" + text + "' has no scheme (tcp://, udp://, http://, https://)");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("tcp") || scheme.equals("udp")) {
            if (uri.getHost() == null || uri.getPort() <= 0) {
                throw new IllegalArgumentException("target '" + text + "' needs a host and a port, e.g. " + scheme
                        + "://127.0.0.1:8094");
            }
        }
        return new Target(uri, scheme, uri.getHost(), uri.getPort());
    }

    @Override
    public String toString() {
        return uri.toString();
    }
}
