package dev.osgimon.influxdb.http.internal;

import java.lang.annotation.Annotation;
import java.util.Map;

/** Builds {@link InfluxHttpConfig} instances for tests: defaults plus overrides. */
final class TestConfigs {

    private TestConfigs() {
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
