package dev.osgimon.logging.internal;

import java.io.IOException;
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

import dev.osgimon.api.admin.LogLevel;
import dev.osgimon.api.admin.LogLevelAdmin;

/**
 * Log levels kept in pax-logging's ConfigurationAdmin PID {@value #PID}, in the log4j2 properties
 * format ({@code log4j2.rootLogger.level}, {@code log4j2.logger.<id>.name} / {@code .level}).
 * Changes are merged into the properties already there, so appenders and every other setting
 * survive; pax-logging then reconfigures log4j2 by itself.
 */
final class PaxLogLevels implements LogLevelAdmin {

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

    /**
     * Creates the admin.
     *
     * @param cm configuration admin
     * @param seen the names of loggers that have logged
     * @param unconfiguredRoot pax-logging's root level while the PID has no log4j2 configuration
     */
    PaxLogLevels(ConfigurationAdmin cm, Supplier<Set<String>> seen, LogLevel unconfiguredRoot) {
        this.cm = Objects.requireNonNull(cm, "cm");
        this.seen = Objects.requireNonNull(seen, "seen");
        this.unconfiguredRoot = Objects.requireNonNull(unconfiguredRoot, "unconfiguredRoot");
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
    public synchronized void setLevels(LogLevel setAll, Map<String, LogLevel> loggers) {
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
            Map<String, List<String>> ids = loggerIds(props);
            if (setAll != null) {
                setRoot(props, setAll);
                ids.values().forEach(list -> list.forEach(id -> props.put(LOGGER + id + LEVEL, log4j(setAll))));
            }
            loggers.forEach((name, level) -> {
                List<String> existing = ids.get(name);
                if (existing == null) {
                    String id = newId(props, name);
                    props.put(LOGGER + id + NAME, name);
                    props.put(LOGGER + id + LEVEL, log4j(level));
                    ids.put(name, List.of(id));
                } else {
                    existing.forEach(id -> props.put(LOGGER + id + LEVEL, log4j(level)));
                }
            });
            config.update(props);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot update the logging configuration " + PID + ": " + e.getMessage(), e);
        }
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
        Map<String, Object> map = new HashMap<>();
        for (Enumeration<String> keys = props.keys(); keys.hasMoreElements(); ) {
            String key = keys.nextElement();
            map.put(key, props.get(key));
        }
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
