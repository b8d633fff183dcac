package dev.osgimon.influxdb.http.internal;

import java.lang.annotation.Annotation;
import java.util.Map;

import dev.osgimon.api.transport.Target;
import dev.osgimon.core.internal.delivery.ParsedTarget;

/** Builds {@link InfluxHttpConfig} instances and targets for tests. */
final class TestConfigs {

    private TestConfigs() {
    }

    /** A target as the core hands it to a factory: parsed by the core's own parser. */
    static Target target(String text) {
        return ParsedTarget.parse(text);
    }

    static InfluxHttpConfig config(Map<String, Object> overrides) {
        return new InfluxHttpConfig() {
            private <T> T get(String key, T fallback) {
                @SuppressWarnings("unchecked")
                T v = (T) overrides.getOrDefault(key, fallback);
                return v;
            }

            @Override public Class<? extends Annotation> annotationType() { return InfluxHttpConfig.class; }
            @Override public String org() { return get("org", "osgimon"); }
            @Override public String bucket() { return get("bucket", "osgimon"); }
            @Override public String token() { return get("token", ""); }
            @Override public String database() { return get("database", ""); }
            @Override public String retentionPolicy() { return get("retentionPolicy", ""); }
            @Override public String username() { return get("username", ""); }
            @Override public String password() { return get("password", ""); }
            @Override public boolean gzip() { return get("gzip", true); }
            @Override public int batchSize() { return get("batchSize", 5000); }
            @Override public int timeout() { return get("timeout", 2000); }
        };
    }
}
