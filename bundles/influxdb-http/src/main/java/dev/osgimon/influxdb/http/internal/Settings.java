package dev.osgimon.influxdb.http.internal;

import dev.osgimon.api.transport.Target;

/**
 * Everything one writer needs, resolved from the {@link Target} and {@link InfluxHttpConfig}.
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

    /**
     * Resolves the settings for one target, parsed and checked by the core.
     *
     * @throws IllegalArgumentException if the target has a query (settings belong in
     *         {@link InfluxHttpConfig}); the message names the target by its redacted form only
     */
    static Settings of(Target target, InfluxHttpConfig config) {
        if (!target.query().isEmpty()) {
            throw new IllegalArgumentException("target must not have a query (set database, bucket, ... in "
                    + InfluxHttpConfig.PID + "): " + target.redacted());
        }
        String username = config.username();
        String password = config.password();
        if (!target.user().isEmpty() && blank(username)) {
            username = target.user();
            password = target.password().isEmpty() ? password : target.password();
        }
        return new Settings(baseUrl(target), !blank(config.database()), orDefault(config.org()),
                orDefault(config.bucket()), Secret.of(trim(config.token())), trim(config.database()),
                trim(config.retentionPolicy()), trim(username), Secret.of(password), config.gzip(),
                Math.max(1, config.batchSize()), Math.max(1, config.timeout()));
    }

    private static String baseUrl(Target target) {
        String location = target.location();
        return location.endsWith("/") ? location : location + "/";
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    private static String orDefault(String s) {
        return blank(s) ? InfluxHttpConfig.DEFAULT_NAME : s.trim();
    }

    /** The API this transport talks to, e.g. {@code v1 /write db=telegraf}. */
    String describe() {
        return v1 ? "InfluxDB 1.x /write db=" + database + (retentionPolicy.isEmpty() ? "" : " rp=" + retentionPolicy)
                : "v2 /api/v2/write org=" + org + " bucket=" + bucket;
    }
}
