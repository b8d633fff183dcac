package dev.osgimon.core.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.MetricSource;
import dev.osgimon.api.admin.SourceRule;
import dev.osgimon.api.admin.SourceStatus;
import dev.osgimon.api.admin.SourceStatus.SourceState;
import dev.osgimon.core.internal.catalog.SourceMetrics;
import dev.osgimon.core.internal.delivery.Delivery;
import dev.osgimon.core.internal.state.SourceRules;

/**
 * The registered metric sources and the enable/disable rules: decides which sources a cycle
 * collects ({@link #active()}). Thread-safe.
 */
final class SourceRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(SourceRegistry.class);
    private static final Pattern NAME = Pattern.compile(MetricSource.NAME_PATTERN);

    private final Object lock = new Object();
    private final Map<Long, SourceEntry> sources = new java.util.HashMap<>();
    private SourceRules rules = SourceRules.ALL_ENABLED;
    /** Enabled, unshadowed sources in name order: what a cycle collects. */
    private volatile SourceEntry[] active = new SourceEntry[0];

    /** @return the sources a cycle collects, in name order */
    SourceEntry[] active() {
        return active;
    }

    /**
     * Registers a source service; one with a bad name is logged and ignored.
     *
     * @param declare takes the source's declarations (given its checked name) before it is listed, so
     *        that whoever sees the source listed finds its meaning in the catalog
     * @return whether it is registered (its name is valid)
     */
    boolean add(long id, MetricSource source, Object nameProp, Object tagsProp, Function<String, SourceMetrics> declare) {
        String name = checkedName(id, source, nameProp);
        if (name == null) {
            return false;
        }
        SourceEntry entry = new SourceEntry(id, name, checkedTags(name, tagsProp), source);
        entry.metrics = declare.apply(name);
        synchronized (lock) {
            sources.put(id, entry);
            recompute();
        }
        LOG.debug("Metric source {} {} registered", name, entry.tags);
        return true;
    }

    /**
     * A registered source service's properties were modified: takes its declarations again. With the
     * same name and tags it keeps its entry (counters, rules, place in the cycle) and only its
     * declarations are swapped, whole, in one volatile write: a cycle collects it either with the
     * declarations before or with the new ones, never with a mix. A new name or new tags are handled
     * as if the service had gone and come again (a new entry; a bad name unlists it).
     *
     * @param declare as for {@link #add}
     * @param undeclare forgets the source's declarations (called when it ends up unlisted)
     */
    void update(long id, MetricSource source, Object nameProp, Object tagsProp, Function<String, SourceMetrics> declare,
            Runnable undeclare) {
        SourceEntry entry;
        synchronized (lock) {
            entry = sources.get(id);
        }
        String name = nameProp instanceof String ? (String) nameProp : null;
        if (entry == null || !entry.name.equals(name) || !entry.tags.equals(checkedTags(entry.name, tagsProp))) {
            if (entry != null) {
                LOG.info("Metric source {} {} has new properties (name {}, tags {}); listed anew", entry.name, entry.tags,
                        nameProp, tagsProp);
            }
            remove(id);
            if (!add(id, source, nameProp, tagsProp, declare)) {
                undeclare.run();
            }
            return;
        }
        synchronized (entry) { // two updates of one source at once: the last one declared is the one kept
            entry.metrics = declare.apply(name);
            if (entry.removed) { // it went while declaring: do not leave its declarations behind
                undeclare.run();
            }
        }
        LOG.debug("Metric source {} declared again", name);
    }

    private static String checkedName(long id, MetricSource source, Object nameProp) {
        String name = nameProp instanceof String ? (String) nameProp : null;
        if (name == null || !NAME.matcher(name).matches()) {
            LOG.warn("Ignoring metric source service {} ({}): property {} must match {}, was {}", id,
                    source.getClass().getName(), MetricSource.NAME, MetricSource.NAME_PATTERN, nameProp);
            return null;
        }
        return name;
    }

    private static List<String> checkedTags(String name, Object tagsProp) {
        List<String> tags = new ArrayList<>();
        for (String t : Delivery.strings(tagsProp)) {
            if (NAME.matcher(t).matches()) {
                tags.add(t);
            } else {
                LOG.warn("Metric source {}: ignoring tag '{}' (must match {})", name, t, MetricSource.NAME_PATTERN);
            }
        }
        return tags;
    }

    void remove(long id) {
        synchronized (lock) {
            SourceEntry gone = sources.remove(id);
            if (gone != null) {
                gone.removed = true;
                recompute();
            }
        }
    }

    /** Recomputes every entry's state and the active list. Callers hold {@link #lock}. */
    private void recompute() {
        Map<String, SourceEntry> byName = new LinkedHashMap<>();
        List<SourceEntry> all = new ArrayList<>(sources.values());
        all.sort(Comparator.comparingLong(e -> e.serviceId));
        for (SourceEntry e : all) {
            SourceEntry first = byName.putIfAbsent(e.name, e);
            boolean shadowed = first != null;
            if (shadowed && !e.shadowed) {
                LOG.warn("Two metric sources are named '{}' (services {} and {}); collecting only {}", e.name,
                        first.serviceId, e.serviceId, first.serviceId);
            }
            e.shadowed = shadowed;
            e.enabled = rules.isEnabled(e.name, e.tags);
        }
        List<SourceEntry> on = new ArrayList<>();
        for (SourceEntry e : byName.values()) {
            if (e.enabled) {
                on.add(e);
            }
        }
        on.sort(Comparator.comparing(e -> e.name));
        active = on.toArray(new SourceEntry[0]);
    }

    /** Applies rules; a rule naming an unknown source or a bad tag changes nothing. */
    void apply(List<SourceRule> changes) {
        synchronized (lock) {
            for (SourceRule r : changes) {
                switch (r.scope()) {
                    case ALL:
                        break;
                    case TAG:
                        if (!NAME.matcher(r.target()).matches()) {
                            throw new IllegalArgumentException("invalid tag: " + r.target());
                        }
                        break;
                    case SOURCE:
                        if (sources.values().stream().noneMatch(e -> e.name.equals(r.target()))) {
                            throw new IllegalArgumentException("unknown source: " + r.target());
                        }
                        break;
                    default:
                        throw new IllegalArgumentException("unknown rule scope: " + r.scope());
                }
            }
            rules = rules.with(changes);
            recompute();
        }
        LOG.info("Metric sources now: {}", describe());
    }

    private String describe() {
        StringBuilder sb = new StringBuilder();
        for (SourceState s : status().sources()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(s.name()).append(s.enabled() ? " on" : " off");
        }
        return sb.toString();
    }

    SourceStatus status() {
        synchronized (lock) {
            Map<String, SourceState> byName = new TreeMap<>();
            List<SourceEntry> all = new ArrayList<>(sources.values());
            all.sort(Comparator.comparingLong(e -> e.serviceId));
            for (SourceEntry e : all) {
                byName.putIfAbsent(e.name, new SourceState(e.name, e.tags, e.enabled));
            }
            return new SourceSnapshot(rules.defaultEnabled(), rules.tagRules(), new ArrayList<>(byName.values()));
        }
    }

    boolean isEnabled(String source) {
        for (SourceEntry e : active) {
            if (e.name.equals(source)) {
                return true;
            }
        }
        return false;
    }
}
