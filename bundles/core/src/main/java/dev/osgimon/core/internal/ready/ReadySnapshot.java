package dev.osgimon.core.internal.ready;

import java.util.List;

import dev.osgimon.api.admin.Ready;

/**
 * The registered {@link Ready} service.
 *
 * @param missing what was still missing when the wait ran out; empty when everything came
 */
record ReadySnapshot(List<String> missing) implements Ready {

    ReadySnapshot {
        missing = List.copyOf(missing);
    }
}
