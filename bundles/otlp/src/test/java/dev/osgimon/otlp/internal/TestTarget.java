package dev.osgimon.otlp.internal;

import java.util.Map;

import dev.osgimon.api.transport.Target;

/** A parsed target as the core would hand it to the factory. */
record TestTarget(String scheme, String host, int port, String path, Map<String, String> query, String user,
        String password) implements Target {

    static TestTarget of(String scheme, int port, String path) {
        return new TestTarget(scheme, "127.0.0.1", port, path, Map.of(), "", "");
    }

    @Override
    public String location() {
        return scheme + "://" + host + (port < 0 ? "" : ":" + port) + path;
    }

    @Override
    public String redacted() {
        return location() + (query.isEmpty() ? "" : "?" + String.join("=****&", query.keySet()) + "=****");
    }

    @Override
    public String toString() {
        return redacted();
    }
}
