package dev.osgimon.logging.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.admin.LogLevel;
import dev.osgimon.api.admin.LogLevelAdmin;

/**
 * Log levels kept in pax-logging's ConfigurationAdmin PID {@value #PID}, in the log4j2 properties
 * format ({@code log4j2.rootLogger.level}, {@code log4j2.logger.<id>.name} / {@code .level}).
 * Changes are merged into the properties already there, so appenders and every other setting
 * survive; pax-logging then reconfigures log4j2 by itself.
 *
 * <p>A level that expires is written with a record of its own in the same PID,
 * {@code osgimon.expiry.<n> = <logger or *> <level> <previous level or -> <due time>}, which pax-logging
 * ignores (it reads only {@code log4j2.*}). Kept next to the level, the record goes wherever the level goes:
 * where FileInstall writes the PID back to {@code etc/org.ops4j.pax.logging.cfg} (Karaf), the due time
 * survives a restart with the level, and {@link #expire()} at start takes back what is past due.
 */
final class PaxLogLevels implements LogLevelAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(PaxLogLevels.class);

    /** Prefix of the expiry records. */
    static final String EXPIRY = "osgimon.expiry.";
    /** Marks a logger that had no level of its own before an expiring one. */
    private static final String NONE = "-";

    /** pax-logging's configuration PID. */
    static final String PID = "org.ops4j.pax.logging";

    static final String ROOT_LEVEL = "log4j2.rootLogger.level";
    static final String ROOT_SHORT = "log4j2.rootLogger";
    static final String LOGGER = "log4j2.logger.";
    static final String NAME = ".name";
    static final String LEVEL = ".level";

    /** Used when the PID holds no appender at all, so that setting a level does not silence logging. */
    static final Map<String, String> CONSOLE_DEFAULTS = Map.of(
            "log4j2.appender.osgimon_console.type", "Console",
            "log4j2.appender.osgimon_console.name", "osgimon_console",
            "log4j2.appender.osgimon_console.layout.type", "PatternLayout",
            "log4j2.appender.osgimon_console.layout.pattern", "%d{ISO8601} %-5level [%t] %c - %msg%n",
            "log4j2.rootLogger.appenderRef.osgimon_console.ref", "osgimon_console");

    private final ConfigurationAdmin cm;
    private final Supplier<Set<String>> seen;
    private final LogLevel unconfiguredRoot;
    private final Clock clock;

    /**
     * Creates the admin.
     *
     * @param cm configuration admin
     * @param seen the names of loggers that have logged
     * @param unconfiguredRoot pax-logging's root level while the PID has no log4j2 configuration
     */
    PaxLogLevels(ConfigurationAdmin cm, Supplier<Set<String>> seen, LogLevel unconfiguredRoot) {
        this(cm, seen, unconfiguredRoot, Clock.systemUTC());
    }

    PaxLogLevels(ConfigurationAdmin cm, Supplier<Set<String>> seen, LogLevel unconfiguredRoot, Clock clock) {
        this.cm = Objects.requireNonNull(cm, "cm");
        this.seen = Objects.requireNonNull(seen, "seen");
        this.unconfiguredRoot = Objects.requireNonNull(unconfiguredRoot, "unconfiguredRoot");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * One expiring level: {@code name} ({@code *}: the root) holds {@code level} until {@code due}, then
     * returns to {@code previous} ({@code null}: no level of its own).
     */
    record Expiry(String name, LogLevel level, LogLevel previous, Instant due) {

        String text() {
            return name + " " + log4j(level) + " " + (previous == null ? NONE : log4j(previous)) + " " + due;
        }

        static Expiry parse(String text) {
            String[] f = text == null ? new String[0] : text.strip().split("\\s+");
            if (f.length != 4) {
                return null;
            }
            try {
                LogLevel level = LogLevel.parse(f[1].toLowerCase(Locale.ROOT)).orElse(null);
                LogLevel previous = f[2].equals(NONE) ? null : LogLevel.parse(f[2].toLowerCase(Locale.ROOT)).orElse(null);
                if (level == null || (previous == null && !f[2].equals(NONE)) || (previous == null && f[0].equals("*"))) {
                    return null;
                }
                return new Expiry(f[0], level, previous, Instant.parse(f[3]));
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }

    /** What the PID says now. */
    private record Snapshot(LogLevel root, Map<String, LogLevel> loggers) {
    }

    @Override
    public LogLevel rootLevel() {
        return snapshot().root();
    }

    @Override
    public Map<String, LogLevel> configuredLevels() {
        return snapshot().loggers();
    }

    @Override
    public Set<String> knownLoggers() {
        Set<String> names = new TreeSet<>(seen.get());
        names.addAll(snapshot().loggers().keySet());
        return Collections.unmodifiableSet(names);
    }

    @Override
    public LogLevel effectiveLevel(String logger) {
        Snapshot s = snapshot();
        for (String name = logger; ; ) {
            LogLevel level = s.loggers().get(name);
            if (level != null) {
                return level;
            }
            int dot = name.lastIndexOf('.');
            if (dot < 0) {
                return s.root();
            }
            name = name.substring(0, dot);
        }
    }

    @Override
    public void setLevels(LogLevel setAll, Map<String, LogLevel> loggers) {
        setLevels(setAll, loggers, Map.of());
    }

    @Override
    public synchronized void setLevels(LogLevel setAll, Map<String, LogLevel> loggers, Map<String, Duration> expiring) {
        for (Map.Entry<String, Duration> e : expiring.entrySet()) {
            Duration d = e.getValue();
            if (d == null || d.isNegative() || d.isZero() || d.compareTo(MAX_EXPIRY) > 0) {
                throw new IllegalArgumentException("duration of " + e.getKey() + " must be more than 0 and at most 24h");
            }
            if (e.getKey().equals("*") ? setAll == null : !loggers.containsKey(e.getKey())) {
                throw new IllegalArgumentException("a duration for " + e.getKey() + ", which gets no level");
            }
        }
        Instant now = clock.instant();
        update(props -> {
            Map<String, Expiry> records = expiries(props);
            Map<String, List<String>> ids = loggerIds(props);
            if (setAll != null) {
                Duration d = expiring.get("*");
                if (d == null) {
                    records.clear();
                } else {
                    Snapshot before = snapshot(props);
                    Instant due = now.plus(d);
                    records.put("*", new Expiry("*", setAll, previous(records, "*", before.root()), due));
                    before.loggers().forEach((name, level) ->
                            records.put(name, new Expiry(name, setAll, previous(records, name, level), due)));
                }
                setRoot(props, setAll);
                ids.values().forEach(list -> list.forEach(id -> props.put(LOGGER + id + LEVEL, log4j(setAll))));
            }
            Map<String, LogLevel> configured = snapshot(props).loggers();
            loggers.forEach((name, level) -> {
                Duration d = expiring.get(name);
                if (d == null) {
                    records.remove(name);
                } else {
                    records.put(name, new Expiry(name, level, previous(records, name, configured.get(name)), now.plus(d)));
                }
                setLogger(props, ids, name, level);
            });
            writeExpiries(props, records);
        });
    }

    /** The level to return to: that of an earlier expiring level still pending, else the current one. */
    private static LogLevel previous(Map<String, Expiry> records, String name, LogLevel current) {
        Expiry pending = records.get(name);
        return pending != null ? pending.previous() : current;
    }

    @Override
    public Map<String, Instant> expiries() {
        Dictionary<String, Object> props = read();
        if (props == null) {
            return Map.of();
        }
        Map<String, Instant> due = new TreeMap<>();
        expiries(toMap(props)).forEach((name, e) -> due.put(name, e.due()));
        return Collections.unmodifiableMap(due);
    }

    /**
     * Takes back every expiring level that is due: the logger returns to its previous level, unless its level
     * was changed since by other means (then only the record goes).
     *
     * @return when the next one is due, or {@code null} when none is left
     */
    synchronized Instant expire() {
        Dictionary<String, Object> current = read();
        if (current == null) {
            return null;
        }
        Instant now = clock.instant();
        Map<String, Expiry> records = expiries(toMap(current));
        List<Expiry> due = new ArrayList<>();
        records.values().forEach(e -> {
            if (!e.due().isAfter(now)) {
                due.add(e);
            }
        });
        if (!due.isEmpty()) {
            List<String> taken = new ArrayList<>();
            update(props -> {
                Snapshot before = snapshot(props);
                Map<String, List<String>> ids = loggerIds(props);
                for (Expiry e : due) {
                    records.remove(e.name());
                    LogLevel level = e.name().equals("*") ? before.root() : before.loggers().get(e.name());
                    if (level != e.level()) {
                        continue; // changed by other means since: that change stands
                    }
                    if (e.name().equals("*")) {
                        setRoot(props, e.previous());
                    } else if (e.previous() == null) {
                        removeLevel(props, ids.getOrDefault(e.name(), List.of()));
                    } else {
                        setLogger(props, ids, e.name(), e.previous());
                    }
                    taken.add(e.name() + ":" + e.level().label() + " -> "
                            + (e.previous() == null ? "inherited" : e.previous().label()));
                }
                writeExpiries(props, records);
                // before the update: pax-logging reconfigures log4j2 right after it, and a line logged meanwhile
                // can be lost
                if (!taken.isEmpty()) {
                    LOG.info("log levels by expiry: {}; due at {}", taken, due.get(0).due());
                }
            });
        }
        return records.values().stream().map(Expiry::due).min(Instant::compareTo).orElse(null);
    }

    private interface Change {
        void apply(Hashtable<String, Object> props);
    }

    /** Reads the PID, applies {@code change} to a copy of its properties and writes it back in one update. */
    private void update(Change change) {
        try {
            Configuration config = cm.getConfiguration(PID, null);
            Dictionary<String, Object> current = config.getProperties();
            Hashtable<String, Object> props = new Hashtable<>();
            if (current != null) {
                for (Enumeration<String> keys = current.keys(); keys.hasMoreElements(); ) {
                    String key = keys.nextElement();
                    props.put(key, current.get(key));
                }
            }
            if (props.keySet().stream().noneMatch(k -> k.startsWith("log4j2.appender."))) {
                if (!props.containsKey(ROOT_LEVEL) && !props.containsKey(ROOT_SHORT)) {
                    props.put(ROOT_LEVEL, log4j(rootLevel()));
                }
                props.putAll(CONSOLE_DEFAULTS);
            }
            change.apply(props);
            config.update(props);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot update the logging configuration " + PID + ": " + e.getMessage(), e);
        }
    }

    private static void setLogger(Hashtable<String, Object> props, Map<String, List<String>> ids, String name,
            LogLevel level) {
        List<String> existing = ids.get(name);
        if (existing == null) {
            String id = newId(props, name);
            props.put(LOGGER + id + NAME, name);
            props.put(LOGGER + id + LEVEL, log4j(level));
            ids.put(name, new ArrayList<>(List.of(id)));
        } else {
            existing.forEach(id -> props.put(LOGGER + id + LEVEL, log4j(level)));
        }
    }

    /** Removes the level of a logger; a logger entry left with nothing but its name goes too. */
    private static void removeLevel(Hashtable<String, Object> props, List<String> ids) {
        for (String id : ids) {
            props.remove(LOGGER + id + LEVEL);
            String prefix = LOGGER + id + ".";
            if (props.keySet().stream().filter(k -> k.startsWith(prefix)).allMatch(k -> k.equals(LOGGER + id + NAME))) {
                props.remove(LOGGER + id + NAME);
            }
        }
    }

    private static Map<String, Expiry> expiries(Map<String, Object> props) {
        Map<String, Expiry> records = new TreeMap<>();
        new TreeMap<>(props).forEach((key, value) -> {
            if (key.startsWith(EXPIRY)) {
                Expiry e = Expiry.parse(value == null ? null : value.toString());
                if (e == null) {
                    LOG.warn("Ignoring a malformed expiry record {}={} in {}", key, value, PID);
                } else {
                    records.put(e.name(), e);
                }
            }
        });
        return records;
    }

    private static void writeExpiries(Hashtable<String, Object> props, Map<String, Expiry> records) {
        props.keySet().removeIf(k -> k.startsWith(EXPIRY));
        int n = 0;
        for (Expiry e : records.values()) {
            props.put(EXPIRY + ++n, e.text());
        }
    }

    private static Map<String, Object> toMap(Dictionary<String, Object> props) {
        Map<String, Object> map = new HashMap<>();
        for (Enumeration<String> keys = props.keys(); keys.hasMoreElements(); ) {
            String key = keys.nextElement();
            map.put(key, props.get(key));
        }
        return map;
    }

    private static void setRoot(Hashtable<String, Object> props, LogLevel level) {
        props.put(ROOT_LEVEL, log4j(level));
        Object shorthand = props.get(ROOT_SHORT);
        if (shorthand != null) {
            // "INFO, appender1, appender2": replace the level, keep the appenders
            String text = shorthand.toString();
            int comma = text.indexOf(',');
            props.put(ROOT_SHORT, log4j(level) + (comma < 0 ? "" : text.substring(comma)));
        }
    }

    private Snapshot snapshot() {
        Dictionary<String, Object> props = read();
        if (props == null || !hasLog4j2(props)) {
            return new Snapshot(unconfiguredRoot, Map.of());
        }
        return snapshot(toMap(props));
    }

    private static Snapshot snapshot(Map<String, Object> map) {
        LogLevel root = LogLevel.ERROR; // log4j2's root level when none is given
        Object rootLevel = map.get(ROOT_LEVEL);
        if (rootLevel == null && map.get(ROOT_SHORT) != null) {
            rootLevel = map.get(ROOT_SHORT).toString().split(",", 2)[0];
        }
        if (rootLevel != null) {
            root = level(rootLevel.toString(), root);
        }
        Map<String, LogLevel> loggers = new TreeMap<>();
        for (Map.Entry<String, List<String>> e : loggerIds(map).entrySet()) {
            Object level = map.get(LOGGER + e.getValue().get(e.getValue().size() - 1) + LEVEL);
            if (level != null) {
                loggers.put(e.getKey(), level(level.toString(), root));
            }
        }
        return new Snapshot(root, Collections.unmodifiableMap(loggers));
    }

    private Dictionary<String, Object> read() {
        try {
            Configuration[] configs = cm.listConfigurations("(" + org.osgi.framework.Constants.SERVICE_PID + "=" + PID + ")");
            return configs == null || configs.length == 0 ? null : configs[0].getProperties();
        } catch (IOException | InvalidSyntaxException e) {
            throw new IllegalStateException("cannot read the logging configuration " + PID + ": " + e.getMessage(), e);
        }
    }

    private static boolean hasLog4j2(Dictionary<String, Object> props) {
        for (Enumeration<String> keys = props.keys(); keys.hasMoreElements(); ) {
            if (keys.nextElement().startsWith("log4j2.")) {
                return true;
            }
        }
        return false;
    }

    /** Logger name to the ids of its {@code log4j2.logger.<id>.name} entries, in id order. */
    private static Map<String, List<String>> loggerIds(Map<String, Object> props) {
        Map<String, List<String>> ids = new TreeMap<>();
        new TreeMap<>(props).forEach((key, value) -> {
            if (key.startsWith(LOGGER) && key.endsWith(NAME) && value != null) {
                String id = key.substring(LOGGER.length(), key.length() - NAME.length());
                if (!id.isEmpty() && id.indexOf('.') < 0) {
                    ids.computeIfAbsent(value.toString().strip(), k -> new java.util.ArrayList<>()).add(id);
                }
            }
        });
        return ids;
    }

    private static String newId(Map<String, Object> props, String name) {
        StringBuilder base = new StringBuilder("osgimon_");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            base.append(c < 0x80 && Character.isLetterOrDigit(c) ? c : '_');
        }
        String id = base.toString();
        for (int n = 2; props.containsKey(LOGGER + id + NAME) || props.containsKey(LOGGER + id + LEVEL); n++) {
            id = base + "_" + n;
        }
        return id;
    }

    private static String log4j(LogLevel level) {
        return level.name();
    }

    private static LogLevel level(String text, LogLevel fallback) {
        String t = text.strip();
        if (t.equalsIgnoreCase("all")) {
            return LogLevel.TRACE;
        }
        return LogLevel.parse(t.toLowerCase(Locale.ROOT)).orElse(fallback);
    }
}
