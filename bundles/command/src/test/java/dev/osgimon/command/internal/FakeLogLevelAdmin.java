package dev.osgimon.command.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.osgimon.api.admin.LogLevel;
import dev.osgimon.api.admin.LogLevelAdmin;

/** An in-memory {@link LogLevelAdmin}. */
class FakeLogLevelAdmin implements LogLevelAdmin {

    private LogLevel root = LogLevel.INFO;
    private final Map<String, LogLevel> configured = new TreeMap<>();
    private final Set<String> seen = new TreeSet<>();
    private final Map<String, Instant> expiries = new TreeMap<>();
    private final Instant now;
    int updates;

    /** @param now the time expiring levels count from */
    FakeLogLevelAdmin(Instant now) {
        this.now = now;
    }

    FakeLogLevelAdmin() {
        this(Instant.EPOCH);
    }

    FakeLogLevelAdmin seen(String... names) {
        seen.addAll(Set.of(names));
        return this;
    }

    @Override
    public synchronized LogLevel rootLevel() {
        return root;
    }

    @Override
    public synchronized Map<String, LogLevel> configuredLevels() {
        return Collections.unmodifiableMap(new TreeMap<>(configured));
    }

    @Override
    public synchronized Set<String> knownLoggers() {
        Set<String> all = new TreeSet<>(seen);
        all.addAll(configured.keySet());
        return Collections.unmodifiableSet(all);
    }

    @Override
    public synchronized LogLevel effectiveLevel(String logger) {
        for (String name = logger; ; name = name.substring(0, name.lastIndexOf('.'))) {
            LogLevel level = configured.get(name);
            if (level != null) {
                return level;
            }
            if (name.lastIndexOf('.') < 0) {
                return root;
            }
        }
    }

    @Override
    public synchronized void setLevels(LogLevel setAll, Map<String, LogLevel> loggers) {
        updates++;
        if (setAll != null) {
            root = setAll;
            configured.replaceAll((k, v) -> setAll);
        }
        configured.putAll(loggers);
    }

    @Override
    public synchronized void setLevels(LogLevel setAll, Map<String, LogLevel> loggers, Map<String, Duration> expiring) {
        setLevels(setAll, loggers);
        if (setAll != null && !expiring.containsKey("*")) {
            expiries.clear();
        }
        loggers.keySet().forEach(expiries::remove);
        expiring.forEach((name, d) -> expiries.put(name, now.plus(d)));
    }

    @Override
    public synchronized Map<String, Instant> expiries() {
        return Collections.unmodifiableMap(new HashMap<>(expiries));
    }
}
