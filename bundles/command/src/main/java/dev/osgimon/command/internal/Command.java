package dev.osgimon.command.internal;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.osgimon.api.admin.LogLevel;
import dev.osgimon.api.admin.SourceRule;

/** One parsed line of the command protocol. */
sealed interface Command {

    /**
     * {@code L…}: set log levels.
     *
     * @param all the level for the root and every configured logger, or {@code null}
     * @param loggers levels per logger, in the order given (a later part for the same logger wins)
     * @param expiring how long a level holds, by {@code "*"} or logger name; a level not in it holds until changed
     */
    record SetLevels(LogLevel all, Map<String, LogLevel> loggers, Map<String, Duration> expiring) implements Command {
        public SetLevels {
            loggers = Collections.unmodifiableMap(new LinkedHashMap<>(loggers));
            expiring = Collections.unmodifiableMap(new LinkedHashMap<>(expiring));
        }
    }

    /**
     * {@code l…}: show log levels.
     *
     * @param scope which loggers
     * @param loggers the named loggers for {@link Scope#NAMED}, else empty
     */
    record ShowLevels(Scope scope, List<String> loggers) implements Command {
        public ShowLevels {
            loggers = List.copyOf(loggers);
        }
    }

    /**
     * {@code M…}: switch metric sources.
     *
     * @param rules the rules, in the order given
     */
    record SwitchSources(List<SourceRule> rules) implements Command {
        public SwitchSources {
            rules = List.copyOf(rules);
        }
    }

    /**
     * {@code m…}: show metric sources.
     *
     * @param scope which sources
     * @param sources the named sources for {@link Scope#NAMED}, else empty
     */
    record ShowSources(Scope scope, List<String> sources) implements Command {
        public ShowSources {
            sources = List.copyOf(sources);
        }
    }

    /**
     * {@code c…}: show the metric catalog (an extension of the protocol).
     *
     * @param scope {@link Scope#ALL} for {@code c} and {@code c*}, {@link Scope#NAMED} for {@code c<source>,…}
     * @param sources the named sources for {@link Scope#NAMED}, else empty
     */
    record ShowCatalog(Scope scope, List<String> sources) implements Command {
        public ShowCatalog {
            sources = List.copyOf(sources);
        }
    }

    /** What a show command covers. */
    enum Scope {
        /** The default and what differs from it ({@code l}, {@code m}). */
        CHANGED,
        /** Everything known ({@code l*}, {@code m*}). */
        ALL,
        /** The names given ({@code la,b}, {@code ma,b}). */
        NAMED
    }
}
