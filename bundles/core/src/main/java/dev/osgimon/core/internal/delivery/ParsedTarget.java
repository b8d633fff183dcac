package dev.osgimon.core.internal.delivery;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.osgimon.api.transport.Target;

/**
 * The one place where the core's {@code target} setting is parsed, checked and redacted. Every
 * message it throws names the target without its credentials.
 *
 * @param scheme lower case
 * @param host without IPv6 brackets
 * @param port 1..65535 or -1
 * @param path raw path or ""
 * @param query decoded parameters, unmodifiable
 * @param user decoded user or ""
 * @param password decoded password or ""
 * @param location {@code scheme://host[:port]path}
 * @param redacted location and query names, values masked
 */
public record ParsedTarget(String scheme, String host, int port, String path, Map<String, String> query,
        String user, String password, String location, String redacted) implements Target {

    private static final String MASK = "****";

    /**
     * Parses and checks a target.
     *
     * @param text e.g. {@code tcp://127.0.0.1:8094}
     * @return the target
     * @throws IllegalArgumentException saying what is wrong, without the target's credentials
     */
    public static ParsedTarget parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("target is empty");
        }
        String trimmed = text.trim();
        String shown = maskUserInfo(trimmed);
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("target '" + shown + "' is not a URI: " + e.getReason());
        }
        if (uri.getScheme() == null) {
            throw new IllegalArgumentException(
                    "target '" + shown + "' has no scheme (tcp://, udp://, http://, https://)");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        boolean socket = scheme.equals("tcp") || scheme.equals("udp");
        if (uri.getHost() == null || uri.getHost().isEmpty() || (socket && uri.getPort() <= 0)) {
            throw new IllegalArgumentException("target '" + shown + "' needs a host"
                    + (socket ? " and a port" : "") + ", e.g. " + scheme + "://127.0.0.1"
                    + (socket ? ":8094" : ":8086"));
        }
        if (uri.getPort() > 65_535) {
            throw new IllegalArgumentException("target '" + shown + "' has port " + uri.getPort()
                    + ", beyond 65535");
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("target '" + shown + "' must not have a fragment (#...)");
        }
        String host = uri.getHost();
        boolean ipv6 = host.startsWith("[");
        if (ipv6) {
            host = host.substring(1, host.length() - 1);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String location = scheme + "://" + (ipv6 ? "[" + host + "]" : host)
                + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + path;
        Map<String, String> query = query(uri.getRawQuery(), location);
        StringBuilder redacted = new StringBuilder(location);
        char sep = '?';
        for (String name : query.keySet()) {
            redacted.append(sep).append(name).append('=').append(MASK);
            sep = '&';
        }
        String user = "";
        String password = "";
        String userInfo = uri.getUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            user = colon < 0 ? userInfo : userInfo.substring(0, colon);
            password = colon < 0 ? "" : userInfo.substring(colon + 1);
        }
        return new ParsedTarget(scheme, host, uri.getPort() > 0 ? uri.getPort() : -1, path, query, user,
                password, location, redacted.toString());
    }

    private static Map<String, String> query(String raw, String location) {
        if (raw == null || raw.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : raw.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("target '" + location + "' has a query that is not"
                        + " percent-encoded correctly");
            }
            if (name.isEmpty() || out.putIfAbsent(name, value) != null) {
                throw new IllegalArgumentException("target '" + location + "' has query parameter '" + name
                        + "' " + (name.isEmpty() ? "without a name" : "twice"));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** The text with what stands between {@code //} and the authority's {@code @} masked. */
    static String maskUserInfo(String text) {
        int start = text.indexOf("//");
        if (start < 0) {
            return text;
        }
        start += 2;
        int end = start;
        while (end < text.length() && "/?#".indexOf(text.charAt(end)) < 0) {
            end++;
        }
        int at = text.lastIndexOf('@', end - 1);
        return at < start ? text : text.substring(0, start) + MASK + text.substring(at);
    }

    @Override
    public String toString() {
        return redacted;
    }
}
