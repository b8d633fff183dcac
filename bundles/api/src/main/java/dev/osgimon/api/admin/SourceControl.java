package dev.osgimon.api.admin;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Switches metric sources on and off by rules, with the semantics of mirage-monitoring: a
 * source's state is decided by the most recent rule that matches it; a source that registers
 * later is judged by the same rules; an {@link SourceRule.Scope#ALL} rule sets the default and
 * replaces every earlier rule.
 */
@ProviderType
public interface SourceControl {

    /**
     * Applies rules atomically: first every {@code ALL} rule, then every {@code TAG} rule, then
     * every {@code SOURCE} rule, each group in the given order. Nothing changes unless every rule
     * is valid.
     *
     * @param rules the rules
     * @throws IllegalArgumentException naming the first invalid rule (an unknown source, a
     *         malformed tag); no state changed
     */
    void apply(List<SourceRule> rules);

    /**
     * The current state.
     *
     * @return a snapshot
     */
    SourceStatus status();

    /**
     * Whether a source is collected now.
     *
     * @param source the source name
     * @return {@code true} if it is registered and enabled
     */
    boolean isEnabled(String source);
}
