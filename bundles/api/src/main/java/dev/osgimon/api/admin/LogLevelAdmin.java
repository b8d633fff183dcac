package dev.osgimon.api.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads and changes log levels at runtime, per logger (Java logger names, dots allowed).
 * Children of a configured logger inherit its level.
 */
@ProviderType
public interface LogLevelAdmin {

    /**
     * The root (default) level.
     *
     * @return the level
     */
    LogLevel rootLevel();

    /**
     * The loggers that have a configured level, by name.
     *
     * @return an immutable map, sorted by name
     */
    Map<String, LogLevel> configuredLevels();

    /**
     * The loggers known: those configured plus those that have logged since start.
     *
     * @return an immutable set, sorted by name
     */
    Set<String> knownLoggers();

    /**
     * The effective level of a logger: its own configured level, else that of its nearest
     * configured ancestor, else the root level.
     *
     * @param logger the logger name
     * @return the level
     */
    LogLevel effectiveLevel(String logger);

    /**
     * Changes levels atomically. When {@code setAll} is given the root and every configured
     * logger take that level first; then the named loggers take theirs.
     *
     * @param setAll the level for the root and every configured logger, or {@code null}
     * @param loggers levels per logger name, applied after {@code setAll}
     * @throws IllegalStateException if the logging backend could not be updated; nothing changed
     */
    void setLevels(LogLevel setAll, Map<String, LogLevel> loggers);

    /**
     * Changes levels atomically, some of them for a while only. Like
     * {@link #setLevels(LogLevel, Map)}; a level with a duration in {@code expiring} (key
     * {@code "*"} for {@code setAll}, else the logger name) is taken back when the duration has
     * passed: the logger returns to the level it had before (none, if it had no level of its
     * own), also across a restart. A level set without a duration cancels a pending expiry of
     * that logger ({@code setAll} without a duration cancels every one).
     *
     * @param setAll the level for the root and every configured logger, or {@code null}
     * @param loggers levels per logger name, applied after {@code setAll}
     * @param expiring durations by {@code "*"} or logger name, each positive and at most
     *        {@link #MAX_EXPIRY}
     * @throws IllegalArgumentException if a duration is out of range; nothing changed
     * @throws IllegalStateException if the logging backend could not be updated; nothing changed
     * @since 1.1
     */
    void setLevels(LogLevel setAll, Map<String, LogLevel> loggers, Map<String, Duration> expiring);

    /**
     * When the expiring levels run out.
     *
     * @return due times by {@code "*"} (the root) or logger name; an immutable map, empty when
     *         no level expires
     * @since 1.1
     */
    Map<String, Instant> expiries();

    /** The longest an expiring level may last: 24 hours. */
    Duration MAX_EXPIRY = Duration.ofHours(24);
}
