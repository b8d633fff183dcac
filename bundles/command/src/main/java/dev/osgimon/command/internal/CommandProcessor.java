package dev.osgimon.command.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.osgimon.api.admin.LogLevel;
import dev.osgimon.api.admin.LogLevelAdmin;
import dev.osgimon.api.admin.MetricCatalog;
import dev.osgimon.api.admin.SourceControl;
import dev.osgimon.api.admin.SourceRule;
import dev.osgimon.api.admin.SourceStatus;
import dev.osgimon.api.model.MetricInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs command lines against the admin services and formats the answers: the one parser and
 * formatter shared by the TCP server and the Gogo commands.
 */
public final class CommandProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(CommandProcessor.class);

    static final String OK = "ok";
    static final String NO_LOG_LEVELS = "log levels unavailable";
    static final String NO_CATALOG = "metric catalog unavailable";

    private final SourceControl sources;
    private final Supplier<LogLevelAdmin> levels;
    private final Supplier<MetricCatalog> catalog;
    private final Clock clock;

    /**
     * Creates a processor without a metric catalog ({@code c} answers that it is unavailable).
     *
     * @param sources the source switch
     * @param levels gives the log level admin, or {@code null} while there is none
     */
    public CommandProcessor(SourceControl sources, Supplier<LogLevelAdmin> levels) {
        this(sources, levels, () -> null, Clock.systemUTC());
    }

    /**
     * Creates a processor.
     *
     * @param sources the source switch
     * @param levels gives the log level admin, or {@code null} while there is none
     * @param catalog gives the metric catalog, or {@code null} while there is none
     */
    public CommandProcessor(SourceControl sources, Supplier<LogLevelAdmin> levels, Supplier<MetricCatalog> catalog) {
        this(sources, levels, catalog, Clock.systemUTC());
    }

    CommandProcessor(SourceControl sources, Supplier<LogLevelAdmin> levels, Clock clock) {
        this(sources, levels, () -> null, clock);
    }

    CommandProcessor(SourceControl sources, Supplier<LogLevelAdmin> levels, Supplier<MetricCatalog> catalog,
            Clock clock) {
        this.sources = Objects.requireNonNull(sources, "sources");
        this.levels = Objects.requireNonNull(levels, "levels");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Runs one line for no one in particular.
     *
     * @param line the line without terminator
     * @return {@code ok}, {@code ok: <text>} or {@code error: <message>}, without terminator
     */
    public String execute(String line) {
        return execute(line, "unnamed client");
    }

    /**
     * Runs one line; a change of state is logged at info with {@code who} and the states before and after.
     *
     * @param line the line without terminator
     * @param who who sent it
     * @return {@code ok}, {@code ok: <text>} or {@code error: <message>}, without terminator
     */
    public String execute(String line, String who) {
        try {
            Command command = CommandParser.parse(line);
            if (command instanceof Command.SetLevels set) {
                // logged before the change: pax-logging reconfigures log4j2 right after it, and a line logged
                // meanwhile can be lost; the state after is what the LogLevelAdmin contract makes of the change
                LogLevelAdmin admin = levels();
                audit(who, line, "log levels", changedLevels(admin.rootLevel(), admin.configuredLevels(),
                        admin.expiries()), predictedLevels(admin, set));
                return setLevels(set);
            } else if (command instanceof Command.ShowLevels show) {
                return showLevels(show);
            } else if (command instanceof Command.SwitchSources sw) {
                String before = sourceState();
                String answer = switchSources(sw);
                audit(who, line, "sources", before, sourceState());
                return answer;
            } else if (command instanceof Command.ShowCatalog show) {
                return showCatalog(show);
            } else {
                return showSources((Command.ShowSources) command);
            }
        } catch (CommandException e) {
            return "error: " + e.getMessage();
        } catch (IllegalArgumentException | IllegalStateException e) {
            return "error: " + oneLine(e.getMessage());
        }
    }

    private LogLevelAdmin levels() throws CommandException {
        LogLevelAdmin admin = levels.get();
        if (admin == null) {
            throw new CommandException(NO_LOG_LEVELS);
        }
        return admin;
    }

    private String setLevels(Command.SetLevels set) throws CommandException {
        if (set.expiring().isEmpty()) {
            levels().setLevels(set.all(), set.loggers());
        } else {
            levels().setLevels(set.all(), set.loggers(), set.expiring());
        }
        return OK;
    }

    /** What {@code l} shows after {@code set}: the root and configured loggers as its contract changes them. */
    private String predictedLevels(LogLevelAdmin admin, Command.SetLevels set) {
        Instant now = clock.instant();
        LogLevel root = admin.rootLevel();
        Map<String, LogLevel> configured = new TreeMap<>(admin.configuredLevels());
        Map<String, Instant> expiries = new HashMap<>(admin.expiries());
        if (set.all() != null) {
            root = set.all();
            configured.replaceAll((name, level) -> set.all());
            Duration d = set.expiring().get("*");
            expiries.clear();
            if (d != null) {
                Instant due = now.plus(d);
                expiries.put("*", due);
                configured.keySet().forEach(name -> expiries.put(name, due));
            }
        }
        set.loggers().forEach((name, level) -> {
            configured.put(name, level);
            Duration d = set.expiring().get(name);
            if (d == null) {
                expiries.remove(name);
            } else {
                expiries.put(name, now.plus(d));
            }
        });
        return changedLevels(root, configured, expiries);
    }

    /** The root and every configured level that differs from it, as {@code l} shows them. */
    private String changedLevels(LogLevel root, Map<String, LogLevel> configured, Map<String, Instant> expiries) {
        StringBuilder out = new StringBuilder("*:").append(root.label()).append(left(expiries, "*"));
        configured.forEach((name, level) -> {
            if (level != root) {
                out.append(',').append(name).append(':').append(level.label()).append(left(expiries, name));
            }
        });
        return out.toString();
    }

    private String sourceState() throws CommandException {
        return showSources(new Command.ShowSources(Command.Scope.ALL, List.of())).substring(4);
    }

    private static void audit(String who, String line, String what, String before, String after) {
        LOG.info("{} by {}: {}; before: {}; after: {}", what, who == null ? "unnamed client" : who,
                Text.quote(line), before, after);
    }

    /** {@code @9m58s} when the level of {@code name} ({@code *}: the root) expires, else nothing. */
    private String left(Map<String, Instant> expiries, String name) {
        Instant due = expiries.get(name);
        if (due == null) {
            return "";
        }
        Duration left = Duration.between(clock.instant(), due);
        return "@" + Text.timeLeft(left);
    }

    private String showLevels(Command.ShowLevels show) throws CommandException {
        LogLevelAdmin admin = levels();
        LogLevel root = admin.rootLevel();
        Map<String, Instant> expiries = admin.expiries();
        StringBuilder out = new StringBuilder("ok: ");
        switch (show.scope()) {
            case CHANGED:
                out.append(changedLevels(root, admin.configuredLevels(), expiries));
                break;
            case ALL:
                out.append("*:").append(root.label()).append(left(expiries, "*"));
                for (String name : admin.knownLoggers()) {
                    out.append(',').append(name).append(':').append(admin.effectiveLevel(name).label())
                            .append(left(expiries, name));
                }
                break;
            default:
                appendEach(out, show.loggers(), name -> admin.effectiveLevel(name).label() + left(expiries, name));
        }
        return out.toString();
    }

    private String switchSources(Command.SwitchSources sw) throws CommandException {
        Set<String> registered = registeredNames(sources.status());
        for (SourceRule rule : sw.rules()) {
            if (rule.scope() == SourceRule.Scope.SOURCE && !registered.contains(rule.target())) {
                throw new CommandException("unknown source: " + rule.target());
            }
        }
        sources.apply(sw.rules());
        return OK;
    }

    private String showSources(Command.ShowSources show) throws CommandException {
        SourceStatus status = sources.status();
        StringBuilder out = new StringBuilder("ok: ");
        switch (show.scope()) {
            case CHANGED:
                out.append("*:").append(state(status.defaultEnabled()));
                for (SourceStatus.SourceState s : status.sources()) {
                    if (s.enabled() != status.defaultEnabled()) {
                        out.append(',').append(s.name()).append(':').append(state(s.enabled()));
                    }
                }
                break;
            case ALL:
                out.append("*:").append(state(status.defaultEnabled()));
                for (SourceStatus.TagRule t : status.tagRules()) {
                    out.append(",tag:").append(t.tag()).append(':').append(state(t.enabled()));
                }
                for (SourceStatus.SourceState s : status.sources()) {
                    out.append(',').append(s.name()).append(':').append(state(s.enabled()));
                }
                break;
            default:
                Map<String, Boolean> byName = new HashMap<>();
                status.sources().forEach(s -> byName.put(s.name(), s.enabled()));
                for (String name : show.sources()) {
                    if (!byName.containsKey(name)) {
                        throw new CommandException("unknown source: " + name);
                    }
                }
                appendEach(out, show.sources(), name -> state(byName.get(name)));
        }
        return out.toString();
    }

    /** {@code ok: <entries>} as {@link CatalogText} writes them, or {@code ok} when there is none. */
    private String showCatalog(Command.ShowCatalog show) throws CommandException {
        MetricCatalog metrics = catalog.get();
        if (metrics == null) {
            throw new CommandException(NO_CATALOG);
        }
        List<MetricInfo> entries = new java.util.ArrayList<>();
        if (show.scope() == Command.Scope.ALL) {
            entries.addAll(metrics.metrics());
        } else {
            Set<String> registered = registeredNames(sources.status());
            for (String name : show.sources()) {
                if (!registered.contains(name)) {
                    throw new CommandException("unknown source: " + name);
                }
            }
            for (String name : show.sources()) {
                try {
                    entries.addAll(metrics.metrics(name));
                } catch (IllegalArgumentException gone) {
                    // unregistered between the two looks
                    throw new CommandException("unknown source: " + name);
                }
            }
        }
        String text = CatalogText.format(entries);
        return text.isEmpty() ? OK : "ok: " + text;
    }

    private static void appendEach(StringBuilder out, List<String> names, Function<String, String> value) {
        boolean first = true;
        for (String name : names) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append(name).append(':').append(value.apply(name));
        }
    }

    private static Set<String> registeredNames(SourceStatus status) {
        Set<String> names = new HashSet<>();
        status.sources().forEach(s -> names.add(s.name()));
        return names;
    }

    private static String state(boolean enabled) {
        return enabled ? "enabled" : "disabled";
    }

    private static String oneLine(String message) {
        if (message == null || message.isEmpty()) {
            return "failed";
        }
        return message.replace('\r', ' ').replace('\n', ' ');
    }
}
