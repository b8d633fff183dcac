package dev.osgimon.api.admin;

import java.util.Locale;
import java.util.Optional;

/** Log levels, in the vocabulary the command protocol answers with. */
public enum LogLevel {
    /** Everything. */
    TRACE,
    /** Debugging detail. */
    DEBUG,
    /** Normal operation. */
    INFO,
    /** Something unexpected that was handled. */
    WARN,
    /** A failure. */
    ERROR,
    /** A failure that stops the application; mirage's {@code app} maps here. */
    FATAL,
    /** Nothing at all; mirage's {@code quiet} maps here. */
    OFF;

    /**
     * The lower-case name used in answers.
     *
     * @return e.g. {@code debug}
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a level in any case, accepting both vocabularies: {@code trace debug info
     * warn|warning error fatal|app off|quiet}.
     *
     * @param text the text
     * @return the level, or empty if the text is not a level
     */
    public static Optional<LogLevel> parse(String text) {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "trace": return Optional.of(TRACE);
            case "debug": return Optional.of(DEBUG);
            case "info": return Optional.of(INFO);
            case "warn": case "warning": return Optional.of(WARN);
            case "error": return Optional.of(ERROR);
            case "fatal": case "app": return Optional.of(FATAL);
            case "off": case "quiet": return Optional.of(OFF);
            default: return Optional.empty();
        }
    }
}
