package dev.osgimon.api.transport;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A push target, parsed and checked once by the core from its {@code target} setting, e.g.
 * {@code https://user:secret@influx.example:8086/base}. Writers build their connection from these
 * parts and never parse the text again.
 *
 * <p>Every target has a scheme and a host; the core refuses a target with a fragment. Its
 * {@link #toString()} is {@link #redacted()}: no credentials, no query values.
 */
@ProviderType
public interface Target {

    /** @return the scheme, lower case, e.g. {@code tcp}, {@code https} */
    String scheme();

    /** @return the host name or address, never empty; an IPv6 address without brackets */
    String host();

    /** @return the port (1 to 65535), or {@code -1} when the target names none (the scheme's default) */
    int port();

    /** @return the path as written (percent-encoded), or {@code ""} */
    String path();

    /** @return the query parameters, decoded, in the order written; empty when there is no query */
    Map<String, String> query();

    /** @return the user of the target's user info, decoded, or {@code ""} */
    String user();

    /**
     * The password of the target's user info, decoded, or {@code ""}. A secret: use it to
     * authenticate, never in a message.
     *
     * @return the password
     */
    String password();

    /**
     * The target without user info and query: {@code scheme://host[:port]path}, an IPv6 host in
     * brackets. Safe to log; the base of a request URL.
     *
     * @return the location
     */
    String location();

    /**
     * The target as it may be shown: {@link #location()} followed by the query's names with every
     * value masked ({@code ?db=****}). Used in logs, status and error messages.
     *
     * @return the redacted target
     */
    String redacted();
}
