package dev.osgimon.source.micrometer.internal;

import dev.osgimon.sourcekit.internal.RegistryBridge;

/**
 * The naming rule of the bridge: a meter name or tag key becomes a measurement or tag key by replacing
 * every character other than an ASCII letter, digit or {@code _} with {@code _} (so {@code http.server.requests}
 * becomes {@code http_server_requests}); QuestDB, Prometheus and OpenTelemetry all take the result.
 */
final class Names {

    private Names() {
    }

    /**
     * @param name a meter name or tag key
     * @return it with every character outside {@code [A-Za-z0-9_]} replaced by {@code _}
     */
    static String sanitize(String name) {
        return RegistryBridge.sanitize(name);
    }

    /**
     * The UCUM-style unit of a Micrometer base unit: {@code seconds} is {@code s}, {@code milliseconds}
     * {@code ms}, {@code bytes} {@code By}, {@code percent} {@code %}; any other is a count of things
     * ({@code {tasks}}); none is empty.
     *
     * @param baseUnit Micrometer's base unit, or null
     * @return the unit
     */
    static String unit(String baseUnit) {
        if (baseUnit == null || baseUnit.isEmpty()) {
            return "";
        }
        switch (baseUnit) {
            case "seconds":
                return "s";
            case "milliseconds":
                return "ms";
            case "nanoseconds":
                return "ns";
            case "bytes":
                return "By";
            case "percent":
                return "%";
            default:
                return "{" + baseUnit + "}";
        }
    }
}
