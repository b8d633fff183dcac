package dev.osgimon.memtrace.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One validated snapshot of the memtrace configuration.
 *
 * @param port TCP port, 0 = listener off
 * @param bind address the listener binds to
 * @param samplingRate probability per 8-byte word allocated that a sample is taken
 * @param throttle explicit JFR throttle ({@code 500/s}) or empty to derive it from {@code samplingRate}
 * @param chunk time between two chunks sent to the client
 * @param oldObjects whether {@code jdk.OldObjectSample} is recorded too
 * @param writeTimeout how long a write to the client may make no progress
 */
public record MemtraceSettings(int port, String bind, double samplingRate, String throttle, Duration chunk,
        boolean oldObjects, Duration writeTimeout) {

    private static final Pattern THROTTLE = Pattern.compile("\\d{1,12}\\s*/\\s*(ns|us|ms|s|m|h|d)");

    /** Validates the values; throws {@link IllegalArgumentException} naming the bad property. */
    public MemtraceSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        bind = bind == null || bind.isBlank() ? "127.0.0.1" : bind.trim();
        if (!(samplingRate > 0 && samplingRate <= 1)) {
            throw new IllegalArgumentException("samplingRate must be in (0, 1]: " + samplingRate);
        }
        throttle = throttle == null ? "" : throttle.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        if (!throttle.isEmpty() && !THROTTLE.matcher(throttle).matches()) {
            throw new IllegalArgumentException("throttle must look like 500/s (units ns us ms s m h d): " + throttle);
        }
        if (chunk.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("chunkSeconds must be at least 1: " + chunk);
        }
        if (writeTimeout.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("writeTimeoutSeconds must be at least 1: " + writeTimeout);
        }
    }

    /** The settings of a typed configuration. */
    public static MemtraceSettings of(MemtraceConfig config) {
        return new MemtraceSettings(config.port(), config.bind(), config.samplingRate(), config.throttle(),
                Duration.ofSeconds(config.chunkSeconds()), config.oldObjects(),
                Duration.ofSeconds(config.writeTimeoutSeconds()));
    }

    /** Whether switching from {@code other} to these settings needs a new listener socket. */
    boolean sameListener(MemtraceSettings other) {
        return port == other.port && bind.equals(other.bind);
    }
}
