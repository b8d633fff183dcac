package dev.osgimon.influxdb.http.internal;

/**
 * A token or password. Its {@link #toString()} never shows the value, so that it cannot reach a log
 * line, an exception message or a {@code toString} by accident.
 */
final class Secret {

    private static final Secret NONE = new Secret("");

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    static Secret of(String value) {
        return value == null || value.isEmpty() ? NONE : new Secret(value);
    }

    boolean isEmpty() {
        return value.isEmpty();
    }

    /** The clear text, only for building an {@code Authorization} header. */
    String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return value.isEmpty() ? "(none)" : "****";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
