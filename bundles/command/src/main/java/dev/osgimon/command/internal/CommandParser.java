package dev.osgimon.command.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.osgimon.api.MetricSource;
import dev.osgimon.api.admin.LogLevel;
import dev.osgimon.api.admin.LogLevelAdmin;
import dev.osgimon.api.admin.SourceRule;

/**
 * Parses one line of the command protocol into a {@link Command}. The whole line is checked
 * before anything runs: the first malformed part rejects the command.
 *
 * <p>Whitespace around the line and around each comma-separated part is ignored.
 */
final class CommandParser {

    private static final Pattern SOURCE_NAME = Pattern.compile(MetricSource.NAME_PATTERN);
    private static final Pattern DURATION = Pattern.compile("(?:(\\d{1,5})h)?(?:(\\d{1,7})m)?(?:(\\d{1,9})s)?");

    private CommandParser() {
    }

    /**
     * Parses a line.
     *
     * @param line the line without its terminator
     * @return the command
     * @throws CommandException describing the first problem
     */
    static Command parse(String line) throws CommandException {
        String text = line.strip();
        if (text.isEmpty()) {
            throw new CommandException("empty command (expected L, l, M, m or c)");
        }
        String spec = text.substring(1).strip();
        switch (text.charAt(0)) {
            case 'L': return setLevels(spec);
            case 'l': return new Command.ShowLevels(scope(spec), names(spec, CommandParser::checkLogger));
            case 'M': return switchSources(spec);
            case 'm': return new Command.ShowSources(scope(spec), names(spec, CommandParser::checkSource));
            case 'c': {
                List<String> sources = names(spec, CommandParser::checkSource);
                return new Command.ShowCatalog(sources.isEmpty() ? Command.Scope.ALL : Command.Scope.NAMED, sources);
            }
            default:
                throw new CommandException("unknown command " + quote(text.substring(0, text.offsetByCodePoints(0, 1)))
                        + " (expected L, l, M, m or c)");
        }
    }

    private static Command setLevels(String spec) throws CommandException {
        LogLevel all = null;
        Map<String, LogLevel> loggers = new LinkedHashMap<>();
        Map<String, Duration> expiring = new LinkedHashMap<>();
        for (String part : parts(spec, "log level")) {
            int colon = part.lastIndexOf(':');
            String name = colon < 0 ? "*" : part.substring(0, colon).strip();
            String value = part.substring(colon + 1).strip();
            int at = value.indexOf('@');
            LogLevel level = level(at < 0 ? value : value.substring(0, at).strip());
            Duration duration = at < 0 ? null : duration(value.substring(at + 1).strip());
            if (name.equals("*")) {
                all = level;
            } else {
                checkLogger(name);
                loggers.remove(name);
                loggers.put(name, level);
            }
            expiring.remove(name);
            if (duration != null) {
                expiring.put(name, duration);
            }
        }
        return new Command.SetLevels(all, loggers, expiring);
    }

    private static Command switchSources(String spec) throws CommandException {
        List<SourceRule> rules = new ArrayList<>();
        for (String part : parts(spec, "source switch")) {
            String[] pieces = part.split(":", -1);
            boolean enable = state(pieces[pieces.length - 1].strip());
            switch (pieces.length) {
                case 1:
                    rules.add(SourceRule.all(enable));
                    break;
                case 2: {
                    String name = pieces[0].strip();
                    rules.add(name.equals("*") ? SourceRule.all(enable) : SourceRule.source(checkSource(name), enable));
                    break;
                }
                case 3: {
                    String kind = pieces[0].strip();
                    String name = pieces[1].strip();
                    if (kind.equals("tag")) {
                        rules.add(SourceRule.tag(checkTag(name), enable));
                    } else if (kind.equals("src")) {
                        rules.add(SourceRule.source(checkSource(name), enable));
                    } else {
                        throw new CommandException("malformed part " + quote(part)
                                + " (expected *:<state>, <source>:<state>, src:<source>:<state> or tag:<tag>:<state>)");
                    }
                    break;
                }
                default:
                    throw new CommandException("malformed part " + quote(part)
                            + " (expected *:<state>, <source>:<state>, src:<source>:<state> or tag:<tag>:<state>)");
            }
        }
        return new Command.SwitchSources(rules);
    }

    private static Command.Scope scope(String spec) {
        if (spec.isEmpty()) {
            return Command.Scope.CHANGED;
        }
        return spec.equals("*") ? Command.Scope.ALL : Command.Scope.NAMED;
    }

    private interface NameCheck {
        String check(String name) throws CommandException;
    }

    private static List<String> names(String spec, NameCheck check) throws CommandException {
        if (spec.isEmpty() || spec.equals("*")) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (String part : parts(spec, "name")) {
            if (part.equals("*")) {
                throw new CommandException("'*' must stand alone");
            }
            String name = check.check(part);
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    private static List<String> parts(String spec, String what) throws CommandException {
        if (spec.isEmpty()) {
            throw new CommandException("missing " + what + " list");
        }
        List<String> parts = new ArrayList<>();
        for (String part : spec.split(",", -1)) {
            String p = part.strip();
            if (p.isEmpty()) {
                throw new CommandException("empty part in " + quote(spec));
            }
            parts.add(p);
        }
        return parts;
    }

    private static LogLevel level(String text) throws CommandException {
        Optional<LogLevel> level = LogLevel.parse(text);
        if (level.isEmpty()) {
            throw new CommandException("unknown log level " + quote(text)
                    + " (expected trace, debug, info, warn, error, fatal or off)");
        }
        return level.get();
    }

    /** {@code 30s}, {@code 10m}, {@code 2h}, or a sum such as {@code 1h30m}: more than nothing, at most 24 h. */
    private static Duration duration(String text) throws CommandException {
        java.util.regex.Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (text.isEmpty() || !m.matches()) {
            throw new CommandException("malformed duration " + quote(text)
                    + " (expected a number with s, m or h, e.g. 30s, 10m, 2h)");
        }
        Duration d = Duration.ZERO;
        String[] units = {"h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (m.group(i + 1) != null) {
                long n = Long.parseLong(m.group(i + 1));
                d = d.plus(units[i].equals("h") ? Duration.ofHours(n)
                        : units[i].equals("m") ? Duration.ofMinutes(n) : Duration.ofSeconds(n));
            }
        }
        if (d.isZero()) {
            throw new CommandException("duration " + quote(text) + " is zero (a level that expires must last at least 1s)");
        }
        if (d.compareTo(LogLevelAdmin.MAX_EXPIRY) > 0) {
            throw new CommandException("duration " + quote(text) + " is too long (at most 24h)");
        }
        return d;
    }

    private static boolean state(String text) throws CommandException {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "enable": case "enabled": case "on": return true;
            case "disable": case "disabled": case "off": return false;
            default:
                throw new CommandException("unknown state " + quote(text) + " (expected enable, disable, on or off)");
        }
    }

    /** A Java logger name: no whitespace, control characters, commas, colons, stars or {@code @}. */
    static String checkLogger(String name) throws CommandException {
        if (name.isEmpty()) {
            throw new CommandException("empty logger name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || c == ',' || c == ':' || c == '*'
                    || c == '@' || c == '\uFFFD') {
                throw new CommandException("malformed logger name " + quote(name));
            }
        }
        return name;
    }

    static String checkSource(String name) throws CommandException {
        if (!SOURCE_NAME.matcher(name).matches()) {
            throw new CommandException("malformed source name " + quote(name) + " (expected " + MetricSource.NAME_PATTERN + ")");
        }
        return name;
    }

    private static String checkTag(String name) throws CommandException {
        if (!SOURCE_NAME.matcher(name).matches()) {
            throw new CommandException("malformed tag " + quote(name) + " (expected " + MetricSource.NAME_PATTERN + ")");
        }
        return name;
    }

    static String quote(String text) {
        return Text.quote(text);
    }
}
