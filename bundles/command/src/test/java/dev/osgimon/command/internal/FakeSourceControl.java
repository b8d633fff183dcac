package dev.osgimon.command.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.osgimon.testing.Statuses;
import dev.osgimon.api.admin.SourceControl;
import dev.osgimon.api.admin.SourceRule;
import dev.osgimon.api.admin.SourceStatus;

/** An in-test {@link SourceControl} with mirage's rules: the most recent matching rule decides. */
final class FakeSourceControl implements SourceControl {

    private final Map<String, List<String>> registered = new TreeMap<>();
    private boolean defaultEnabled = true;
    private final Map<String, long[]> tagRules = new LinkedHashMap<>();    // tag -> {seq, enabled}
    private final Map<String, long[]> sourceRules = new LinkedHashMap<>(); // source -> {seq, enabled}
    private long seq;
    int applied;

    FakeSourceControl register(String name, String... tags) {
        registered.put(name, List.of(tags));
        return this;
    }

    @Override
    public synchronized void apply(List<SourceRule> rules) {
        for (SourceRule r : rules) {
            if (r.scope() == SourceRule.Scope.SOURCE && !registered.containsKey(r.target())) {
                throw new IllegalArgumentException("unknown source: " + r.target());
            }
        }
        applied++;
        for (SourceRule.Scope scope : SourceRule.Scope.values()) {
            for (SourceRule r : rules) {
                if (r.scope() != scope) {
                    continue;
                }
                long[] rule = {++seq, r.enable() ? 1 : 0};
                switch (scope) {
                    case ALL:
                        defaultEnabled = r.enable();
                        tagRules.clear();
                        sourceRules.clear();
                        break;
                    case TAG:
                        tagRules.remove(r.target());
                        tagRules.put(r.target(), rule);
                        break;
                    default:
                        sourceRules.put(r.target(), rule);
                }
            }
        }
    }

    @Override
    public synchronized SourceStatus status() {
        List<SourceStatus.TagRule> tags = new ArrayList<>();
        tagRules.forEach((t, r) -> tags.add(new SourceStatus.TagRule(t, r[1] == 1)));
        List<SourceStatus.SourceState> sources = new ArrayList<>();
        registered.forEach((name, t) -> sources.add(new SourceStatus.SourceState(name, t, isEnabled(name))));
        return new Statuses.Sources(defaultEnabled, tags, sources);
    }

    @Override
    public synchronized boolean isEnabled(String source) {
        List<String> tags = registered.get(source);
        if (tags == null) {
            return false;
        }
        long best = -1;
        boolean state = defaultEnabled;
        long[] own = sourceRules.get(source);
        if (own != null) {
            best = own[0];
            state = own[1] == 1;
        }
        for (String tag : tags) {
            long[] r = tagRules.get(tag);
            if (r != null && r[0] > best) {
                best = r[0];
                state = r[1] == 1;
            }
        }
        return state;
    }
}
