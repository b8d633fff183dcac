package dev.osgimon.api.admin;

import org.osgi.annotation.versioning.ProviderType;

/** Runs one collection cycle without sending it, like {@code telegraf --test}. */
@ProviderType
public interface CollectionPreview {

    /**
     * Collects every enabled source once and returns the line-protocol text that would be sent.
     * Self-metrics counters are not changed by a preview.
     *
     * @return the lines, each ending in {@code \n}
     */
    String preview();
}
