package dev.osgimon.api.admin;

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
}
