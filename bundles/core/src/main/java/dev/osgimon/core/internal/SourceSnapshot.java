package dev.osgimon.core.internal;

import java.util.List;

import dev.osgimon.api.admin.SourceStatus;

/** The registry's {@link SourceStatus}: a snapshot taken under its lock. */
record SourceSnapshot(boolean defaultEnabled, List<TagRule> tagRules, List<SourceState> sources)
        implements SourceStatus {

    SourceSnapshot {
        tagRules = List.copyOf(tagRules);
        sources = List.copyOf(sources);
    }
}
