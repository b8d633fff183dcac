package dev.osgimon.core.internal.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.osgimon.api.MetricSource;
import dev.osgimon.api.admin.LogLevel;
import dev.osgimon.api.admin.SourceRule;

/**
 * Parses one line of the command protocol into a {@link Command}. The whole line is checked
 * before anything runs: the first malformed part rejects the command.
 *
 * <p>Whitespace around the line and around each comma-separated part is ignored.
 */
final class CommandParser {

    private static final Pattern SOURCE_NAME = Pattern.compile(MetricSource.NAME_PATTERN);
    private static final int MAX_SHOWN = 64;

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
            throw new CommandException("empty command (expected L, l, M or m)");
        }
        String spec = text.substring(1).strip();
        switch (text.charAt(0)) {
            case 'L': return setLevels(spec);
            case 'l': return new Command.ShowLevels(scope(spec), names(spec, CommandParser::checkLogger));
            case 'M': return switchSources(spec);
            case 'm': return new Command.ShowSources(scope(spec), names(spec, CommandParser::checkSource));
            default:
                throw new CommandException("unknown command " + quote(text.substring(0, text.offsetByCodePoints(0, 1)))
                        + " (expected L, l, M or m)");
        }
    }

    private static Command setLevels(String spec) throws CommandException {
        LogLevel all = null;
        Map<String, LogLevel> loggers = new LinkedHashMap<>();
        for (String part : parts(spec, "log level")) {
            int colon = part.lastIndexOf(':');
            String name = colon < 0 ? "*" : part.substring(0, colon).strip();
            LogLevel level = level(part.substring(colon + 1).strip());
            if (name.equals("*")) {
                all = level;
            } else {
                checkLogger(name);
                loggers.remove(name);
                loggers.put(name, level);
            }
        }
        return new Command.SetLevels(all, loggers);
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

    private static boolean state(String text) throws CommandException {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "enable": case "enabled": case "on": return true;
            case "disable": case "disabled": case "off": return false;
            default:
                throw new CommandException("unknown state " + quote(text) + " (expected enable, disable, on or off)");
        }
    }

    /** A Java logger name: no whitespace, control characters, commas, colons or stars. */
    static String checkLogger(String name) throws CommandException {
        if (name.isEmpty()) {
            throw new CommandException("empty logger name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || c == ',' || c == ':' || c == '*'
                    || c == '\uFFFD') {
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

    /**
     * Quotes user text for an answer or a log line: at most 64 characters, every character outside
     * printable ASCII shown as {@code ?}, so an answer is always one clean line.
     *
     * @param text the text
     * @return the quoted text
     */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_SHOWN) + 5).append('\'');
        int n = Math.min(text.length(), MAX_SHOWN);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (text.length() > MAX_SHOWN) {
            out.append("...");
        }
        return out.append('\'').toString();
    }
}
