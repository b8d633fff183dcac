package dev.osgimon.api.admin;

import java.util.Objects;

/**
 * One rule that switches metric sources on or off.
 *
 * @param scope what the rule matches
 * @param target the tag or source name; empty for {@link Scope#ALL}
 * @param enable {@code true} to enable, {@code false} to disable
 */
public record SourceRule(Scope scope, String target, boolean enable) {

    /** What a rule matches. */
    public enum Scope {
        /** Every source: sets the default and replaces every earlier rule ({@code *:enable}). */
        ALL,
        /** Every source carrying a tag ({@code tag:http:enable}). */
        TAG,
        /** One source by name ({@code memory:enable}). */
        SOURCE
    }

    /**
     * Validates the components.
     *
     * @param scope what the rule matches
     * @param target the tag or source name; empty for {@link Scope#ALL}
     * @param enable on or off
     */
    public SourceRule {
        Objects.requireNonNull(scope, "scope");
        target = scope == Scope.ALL ? "" : Objects.requireNonNull(target, "target");
    }

    /**
     * A rule for every source.
     *
     * @param enable on or off
     * @return the rule
     */
    public static SourceRule all(boolean enable) {
        return new SourceRule(Scope.ALL, "", enable);
    }

    /**
     * A rule for every source with a tag.
     *
     * @param tag the tag
     * @param enable on or off
     * @return the rule
     */
    public static SourceRule tag(String tag, boolean enable) {
        return new SourceRule(Scope.TAG, tag, enable);
    }

    /**
     * A rule for one source.
     *
     * @param source the source name
     * @param enable on or off
     * @return the rule
     */
    public static SourceRule source(String source, boolean enable) {
        return new SourceRule(Scope.SOURCE, source, enable);
    }
}
