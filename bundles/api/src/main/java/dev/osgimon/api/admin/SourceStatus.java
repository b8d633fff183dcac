package dev.osgimon.api.admin;

import java.util.List;

/**
 * A snapshot of the enable/disable state.
 *
 * @param defaultEnabled the state of a source no rule matches ({@code *})
 * @param tagRules the tag rules in force, oldest first
 * @param sources every registered source with its decided state, sorted by name
 */
public record SourceStatus(boolean defaultEnabled, List<TagRule> tagRules, List<SourceState> sources) {

    /**
     * Copies the lists.
     *
     * @param defaultEnabled the default state
     * @param tagRules the tag rules
     * @param sources the sources
     */
    public SourceStatus {
        tagRules = List.copyOf(tagRules);
        sources = List.copyOf(sources);
    }

    /**
     * A tag rule in force.
     *
     * @param tag the tag
     * @param enabled its state
     */
    public record TagRule(String tag, boolean enabled) {
    }

    /**
     * A registered source.
     *
     * @param name its name
     * @param tags its tags
     * @param enabled whether it is collected
     */
    public record SourceState(String name, List<String> tags, boolean enabled) {

        /**
         * Copies the tags.
         *
         * @param name its name
         * @param tags its tags
         * @param enabled whether it is collected
         */
        public SourceState {
            tags = List.copyOf(tags);
        }
    }
}
