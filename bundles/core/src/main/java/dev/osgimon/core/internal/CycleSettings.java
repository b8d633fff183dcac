package dev.osgimon.core.internal;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of the configuration a cycle reads, checked once.
 *
 * @param intervalSeconds seconds between cycles
 * @param tagKeys global tag keys
 * @param tagValues global tag values
 * @param uintSupport whether unsigned integers get the {@code u} suffix
 */
record CycleSettings(int intervalSeconds, String[] tagKeys, String[] tagValues, boolean uintSupport) {

    private static final Logger LOG = LoggerFactory.getLogger(CycleSettings.class);

    /** Checks {@code c}; a bad value is logged and the previous one (or the default) kept. */
    static CycleSettings of(CoreConfig c, CycleSettings previous) {
        int interval = c.interval();
        if (interval < 1) {
            int fallback = previous == null ? CoreConfig.DEFAULT_INTERVAL : previous.intervalSeconds;
            LOG.error("Invalid configuration {} interval={}: must be at least 1 second; using {}", CoreConfig.PID,
                    interval, fallback);
            interval = fallback;
        }
        List<String> keys = new ArrayList<>();
        List<String> values = new ArrayList<>();
        String host = c.hostname() == null ? "" : c.hostname().trim();
        if (!host.isEmpty()) {
            keys.add("vm");
            values.add(host);
        }
        for (String kv : c.tags() == null ? new String[0] : c.tags()) {
            if (kv == null || kv.isBlank()) {
                continue;
            }
            int eq = kv.indexOf('=');
            if (eq <= 0 || eq == kv.length() - 1) {
                LOG.error("Invalid configuration {} tags entry '{}': must be key=value; ignored", CoreConfig.PID, kv);
                continue;
            }
            String k = kv.substring(0, eq).trim();
            if (keys.contains(k)) {
                LOG.error("Invalid configuration {} tags entry '{}': tag {} is set twice; ignored", CoreConfig.PID, kv,
                        k);
                continue;
            }
            keys.add(k);
            values.add(kv.substring(eq + 1).trim());
        }
        return new CycleSettings(interval, keys.toArray(new String[0]), values.toArray(new String[0]),
                c.uintSupport());
    }
}
