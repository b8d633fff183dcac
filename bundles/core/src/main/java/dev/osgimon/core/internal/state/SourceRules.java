package dev.osgimon.core.internal.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.osgimon.api.admin.SourceRule;
import dev.osgimon.api.admin.SourceRule.Scope;
import dev.osgimon.api.admin.SourceStatus.TagRule;

/**
 * The enable/disable rules: a default and an ordered list of tag and source rules. A source's
 * state is that of the newest rule that matches it, else the default. Immutable.
 *
 * @param defaultEnabled the state when no rule matches
 * @param rules tag and source rules, oldest first; at most one per (scope, target)
 */
public record SourceRules(boolean defaultEnabled, List<SourceRule> rules) {

    /** Everything enabled, no rules. */
    public static final SourceRules ALL_ENABLED = new SourceRules(true, List.of());

    /**
     * Copies the rules.
     *
     * @param defaultEnabled the default
     * @param rules the rules
     */
    public SourceRules {
        rules = List.copyOf(rules);
    }

    /**
     * Applies rules in the order of mirage-monitoring: every ALL rule, then every TAG rule, then
     * every SOURCE rule, each group in the given order. A rule for a target that already has one
     * replaces it and becomes the newest.
     *
     * @param changes the rules to apply
     * @return the new rules
     */
    public SourceRules with(Collection<SourceRule> changes) {
        boolean def = defaultEnabled;
        Map<String, SourceRule> ordered = new LinkedHashMap<>();
        for (SourceRule r : rules) {
            ordered.put(key(r), r);
        }
        for (Scope scope : Scope.values()) {
            for (SourceRule r : changes) {
                if (r.scope() != scope) {
                    continue;
                }
                if (scope == Scope.ALL) {
                    def = r.enable();
                    ordered.clear();
                } else {
                    ordered.remove(key(r));
                    ordered.put(key(r), r);
                }
            }
        }
        return new SourceRules(def, new ArrayList<>(ordered.values()));
    }

    /**
     * Decides a source's state.
     *
     * @param name the source name
     * @param tags its tags
     * @return whether it is enabled
     */
    public boolean isEnabled(String name, Collection<String> tags) {
        for (int i = rules.size() - 1; i >= 0; i--) {
            SourceRule r = rules.get(i);
            if (r.scope() == Scope.SOURCE ? r.target().equals(name) : tags.contains(r.target())) {
                return r.enable();
            }
        }
        return defaultEnabled;
    }

    /** @return the tag rules in force, oldest first */
    public List<TagRule> tagRules() {
        List<TagRule> out = new ArrayList<>();
        for (SourceRule r : rules) {
            if (r.scope() == Scope.TAG) {
                out.add(new TagRule(r.target(), r.enable()));
            }
        }
        return out;
    }

    private static String key(SourceRule r) {
        return r.scope().name() + ':' + r.target();
    }
}
