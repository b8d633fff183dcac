package dev.osgimon.api.admin;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A snapshot of the enable/disable state. An interface the core implements, so that adding to it
 * is a minor change.
 */
@ProviderType
public interface SourceStatus {

    /** @return the state of a source no rule matches ({@code *}) */
    boolean defaultEnabled();

    /** @return the tag rules in force, oldest first */
    List<TagRule> tagRules();

    /** @return every registered source with its decided state, sorted by name */
    List<SourceState> sources();

    /**
     * A tag rule in force.
     *
     * @param tag the tag
     * @param enabled its state
     */
    record TagRule(String tag, boolean enabled) {
    }

    /**
     * A registered source.
     *
     * @param name its name
     * @param tags its tags
     * @param enabled whether it is collected
     */
    record SourceState(String name, List<String> tags, boolean enabled) {

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
