package dev.osgimon.api.admin;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A marker service the core registers once the agent can answer truly: the framework has started,
 * and the sources and services it was told to expect are bound (or a bounded wait for them ran out,
 * which is logged). Front ends that open a port (the command server, memtrace, the operator page)
 * reference it, so that from the moment a port accepts, every answer is the one it will be later.
 */
@ProviderType
public interface Ready {

    /** @return the names of the expected sources and services still missing when the wait ran out; empty when all came */
    java.util.List<String> missing();
}
