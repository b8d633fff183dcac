package dev.osgimon.influxdb.http.internal;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Everything one transport needs, resolved from the target URI and {@link InfluxHttpConfig}.
 * {@link #toString()} masks the token and the password.
 *
 * @param baseUrl scheme, host, port and path of the target, without user info, ending in {@code /}
 * @param v1 whether the InfluxDB 1.x {@code /write} API is used (a database is set)
 * @param org v2 organization
 * @param bucket v2 bucket
 * @param token API token
 * @param database 1.x database
 * @param retentionPolicy 1.x retention policy
 * @param username 1.x user
 * @param password 1.x password
 * @param gzip whether bodies are gzip-compressed
 * @param batchSize most lines per request
 * @param timeoutMillis connect and request timeout
 */
record Settings(String baseUrl, boolean v1, String org, String bucket, Secret token, String database,
        String retentionPolicy, String username, Secret password, boolean gzip, int batchSize, int timeoutMillis) {

    static final String DEFAULT_NAME = "osgimon";

    /**
     * Resolves the settings for one target.
     *
     * @throws IllegalArgumentException if the target is not an absolute http(s) URI with a host; the
     *         message never contains the URI's user info
     */
    static Settings of(URI target, InfluxHttpConfig config) {
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("not an http(s) target: " + redact(target));
        }
        if (target.getHost() == null || target.getHost().isEmpty()) {
            throw new IllegalArgumentException("target has no host: " + redact(target));
        }
        if (target.getRawQuery() != null || target.getRawFragment() != null) {
            throw new IllegalArgumentException("target must not have a query or fragment (set database, bucket, ..."
                    + " in " + InfluxHttpConfig.PID + "): " + redact(target));
        }
        String username = config.username();
        String password = config.password();
        String userInfo = target.getUserInfo();
        if (userInfo != null && !userInfo.isEmpty() && blank(username)) {
            int colon = userInfo.indexOf(':');
            username = colon < 0 ? userInfo : userInfo.substring(0, colon);
            password = colon < 0 ? password : userInfo.substring(colon + 1);
        }
        return new Settings(baseUrl(target), !blank(config.database()), orDefault(config.org()),
                orDefault(config.bucket()), Secret.of(trim(config.token())), trim(config.database()),
                trim(config.retentionPolicy()), trim(username), Secret.of(password), config.gzip(),
                Math.max(1, config.batchSize()), Math.max(1, config.timeout()));
    }

    /** The target without user info, query or fragment: safe to log. */
    static String redact(URI target) {
        try {
            return new URI(target.getScheme(), null, target.getHost(), target.getPort(), target.getPath(), null, null)
                    .toString();
        } catch (URISyntaxException | RuntimeException e) {
            return "<unparsable URI>";
        }
    }

    private static String baseUrl(URI target) {
        String path = target.getRawPath() == null ? "" : target.getRawPath();
        if (!path.endsWith("/")) {
            path = path + "/";
        }
        String host = target.getHost().contains(":") && !target.getHost().startsWith("[")
                ? "[" + target.getHost() + "]" : target.getHost();
        return target.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + host
                + (target.getPort() < 0 ? "" : ":" + target.getPort()) + path;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    private static String orDefault(String s) {
        return blank(s) ? DEFAULT_NAME : s.trim();
    }

    /** The API this transport talks to, e.g. {@code v1 /write db=telegraf}. */
    String describe() {
        return v1 ? "InfluxDB 1.x /write db=" + database + (retentionPolicy.isEmpty() ? "" : " rp=" + retentionPolicy)
                : "v2 /api/v2/write org=" + org + " bucket=" + bucket;
    }
}
