package dev.osgimon.shell.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import dev.osgimon.api.admin.CollectionPreview;
import dev.osgimon.api.admin.CommandService;
import dev.osgimon.api.admin.MetricCatalog;
import dev.osgimon.api.model.MetricInfo;

/**
 * Gogo commands in scope {@code monitoring}: the twins of the TCP protocol. Every command builds the
 * same protocol line and prints the answer of the same {@link CommandService} to the session's
 * output, so the text is byte for byte what the TCP server sends. The answer is printed rather
 * than returned so that it shows in every kind of session (the Karaf console does not print
 * return values of scripted or batch commands) and pipes through {@code grep}.
 *
 * <p>Gogo looks commands up without regard to case, so {@code L} and {@code l} (and {@code M} and
 * {@code m}) are one command each; which one is meant follows from the arguments: no argument or
 * names only show, a {@code name:value} part or a bare level (or state) sets.
 */
@Component(service = Object.class)
@GogoCommand(scope = "monitoring", function = {"L", "l", "M", "m", "loglevel", "loglevels", "metrics", "switch",
    "enable", "disable", "collect", "c", "catalog"})
public final class MonitoringCommands {

    private static final Set<String> LEVEL_WORDS = Set.of("trace", "debug", "info", "warn", "warning", "error",
            "fatal", "app", "off", "quiet");
    private static final Set<String> STATE_WORDS = Set.of("enable", "enabled", "disable", "disabled", "on", "off");

    private final CommandService commands;
    private final Supplier<PrintStream> out;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CollectionPreview preview;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile MetricCatalog metricCatalog;

    /**
     * Creates the commands.
     *
     * @param commands the protocol service shared with the TCP server
     */
    @Activate
    public MonitoringCommands(@Reference CommandService commands) {
        // System.out is the session's output: Gogo and the Karaf console hand each command thread its own
        this(commands, () -> System.out);
    }

    MonitoringCommands(CommandService commands, Supplier<PrintStream> out) {
        this.commands = Objects.requireNonNull(commands, "commands");
        this.out = Objects.requireNonNull(out, "out");
    }

    /**
     * {@code L} and {@code l}, which Gogo cannot tell apart.
     *
     * @param session the shell session (Gogo passes it), named in the audit log
     * @param args the spec, as one comma list or as several words
     */
    @Descriptor("Log levels. Show: l | l * | l <logger>,<logger>. Set: L <level> | L *:<level> | L <logger>:<level>,..."
            + " A level may expire: L <logger>:<level>@<duration>, e.g. @30s, @10m, @2h (at most 24h)."
            + " Levels: trace debug info warn error fatal off (also warning, app, quiet).")
    public void l(CommandSession session, @Descriptor("nothing, '*', logger names, or level settings such as '*:info,some.logger:debug'")
            String... args) {
        String spec = join(args);
        run(session, (isSetting(spec, LEVEL_WORDS) ? "L" : "l") + spec);
    }

    /**
     * {@code M} and {@code m}, which Gogo cannot tell apart.
     *
     * @param session the shell session (Gogo passes it), named in the audit log
     * @param args the spec, as one comma list or as several words
     */
    @Descriptor("Metric sources. Show: m | m * | m <source>,<source>. Switch: M <state> | M *:<state>"
            + " | M <source>:<state> | M tag:<tag>:<state> | M src:<source>:<state>. States: enable disable on off.")
    public void m(CommandSession session, @Descriptor("nothing, '*', source names, or switches such as '*:disable,memory:enable'")
            String... args) {
        String spec = join(args);
        run(session, (isSetting(spec, STATE_WORDS) ? "M" : "m") + spec);
    }

    /**
     * Sets log levels, exactly like {@code L<spec>}.
     *
     * @param session the shell session (Gogo passes it), named in the audit log
     * @param spec the settings
     */
    @Descriptor("Set log levels (the L command), e.g. loglevel *:info some.logger:debug")
    public void loglevel(CommandSession session, @Descriptor("<level> | *:<level> | <logger>:<level>, comma- or space-separated")
            String... spec) {
        run(session, "L" + join(spec));
    }

    /**
     * Shows log levels, exactly like {@code l<spec>}.
     *
     * @param session the shell session (Gogo passes it), named in the audit log
     * @param names nothing, {@code *} or logger names
     */
    @Descriptor("Show log levels (the l command): the default and what differs, '*' for every known logger, or named loggers")
    public void loglevels(CommandSession session, @Descriptor("nothing | * | <logger> ...") String... names) {
        run(session, "l" + join(names));
    }

    /**
     * Shows metric sources, exactly like {@code m<spec>}.
     *
     * @param session the shell session (Gogo passes it), named in the audit log
     * @param names nothing, {@code *} or source names
     */
    @Descriptor("Show metric sources (the m command): the default and what differs, '*' for tags and every source, or named sources")
    public void metrics(CommandSession session, @Descriptor("nothing | * | <source> ...") String... names) {
        run(session, "m" + join(names));
    }

    /**
     * Switches metric sources, exactly like {@code M<spec>}.
     *
     * @param session the shell session (Gogo passes it), named in the audit log
     * @param spec the switches
     */
    @Descriptor("Switch metric sources (the M command), e.g. switch *:disable memory:enable tag:http:on")
    public void _switch(CommandSession session, @Descriptor("<state> | *:<state> | <source>:<state> | tag:<tag>:<state> | src:<source>:<state>")
            String... spec) {
        run(session, "M" + join(spec));
    }

    /**
     * Enables sources: {@code enable memory tag:http} is {@code Mmemory:enable,tag:http:enable}.
     *
     * @param session the shell session (Gogo passes it), named in the audit log
     * @param targets {@code *}, source names or {@code tag:<tag>}; none means {@code *}
     */
    @Descriptor("Enable metric sources, e.g. enable memory tag:http (no argument or * enables every source)")
    public void enable(CommandSession session, @Descriptor("* | <source> | tag:<tag> | src:<source> ...") String... targets) {
        run(session, "M" + targets(targets, "enable"));
    }

    /**
     * Disables sources: {@code disable net} is {@code Mnet:disable}.
     *
     * @param session the shell session (Gogo passes it), named in the audit log
     * @param targets {@code *}, source names or {@code tag:<tag>}; none means {@code *}
     */
    @Descriptor("Disable metric sources, e.g. disable net tag:http (no argument or * disables every source)")
    public void disable(CommandSession session, @Descriptor("* | <source> | tag:<tag> | src:<source> ...") String... targets) {
        run(session, "M" + targets(targets, "disable"));
    }

    /**
     * {@code c}: the metric catalog, exactly like {@code c<spec>} on the command port (one line).
     *
     * @param session the shell session (Gogo passes it)
     * @param sources nothing or {@code *} for every source, else source names
     */
    @Descriptor("Metric catalog (the c command), one line as the command port answers it: measurement:field:kind:unit:source:description,...")
    public void c(CommandSession session, @Descriptor("nothing | * | <source> ...") String... sources) {
        run(session, "c" + join(sources));
    }

    /**
     * The metric catalog as a table, one row per field: the {@code c} command decides (an error answer
     * is printed as it is), the rows come from the catalog itself, not from parsing the answer.
     *
     * @param session the shell session (Gogo passes it)
     * @param sources nothing or {@code *} for every source, else source names
     */
    @Descriptor("List every metric (measurement, field, kind, unit, source, description), sorted; give source names to limit it")
    public void catalog(CommandSession session, @Descriptor("nothing | * | <source> ...") String... sources) {
        String answer = commands.execute("c" + join(sources), who(session));
        PrintStream console = out.get();
        MetricCatalog catalog = metricCatalog;
        if (!answer.startsWith("ok")) {
            console.println(answer);
        } else if (catalog == null) {
            console.println("error: metric catalog unavailable");
        } else {
            Set<String> only = new HashSet<>();
            for (String s : sources == null ? new String[0] : sources) {
                for (String name : s.split(",")) {
                    if (!name.isBlank() && !name.trim().equals("*")) {
                        only.add(name.trim());
                    }
                }
            }
            List<MetricInfo> rows = new ArrayList<>();
            for (MetricInfo m : catalog.metrics()) {
                if (only.isEmpty() || only.contains(m.source())) {
                    rows.add(m);
                }
            }
            console.print(CatalogTable.render(rows));
        }
        console.flush();
    }

    /**
     * Prints the lines one collection cycle would send now, without sending them.
     *
     */
    @Descriptor("Print the line-protocol lines one collection cycle would send now, without sending them")
    public void collect() {
        CollectionPreview p = preview;
        if (p == null) {
            out.get().println("error: collection preview unavailable");
            return;
        }
        out.get().print(p.preview());
        out.get().flush();
    }

    /** Runs one protocol line and prints its answer, as the TCP server would send it. */
    private void run(CommandSession session, String line) {
        PrintStream console = out.get();
        console.println(commands.execute(line, who(session)));
        console.flush();
    }

    /** The shell session, for the audit log: its identity and, in the Karaf console, its user. */
    static String who(CommandSession session) {
        if (session == null) {
            return "shell";
        }
        Object user = session.get("USER");
        return "shell session " + Integer.toHexString(System.identityHashCode(session))
                + (user == null ? "" : " (user " + user + ")");
    }

    /** Joins words with commas: {@code L *:info some:debug} is {@code L*:info,some:debug}. */
    static String join(String... args) {
        if (args == null || args.length == 0) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (String a : args) {
            String s = a == null ? "" : a.strip();
            if (s.isEmpty()) {
                continue;
            }
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(s);
        }
        return out.toString();
    }

    private static String targets(String[] targets, String state) {
        String joined = join(targets);
        if (joined.isEmpty()) {
            return "*:" + state;
        }
        StringBuilder out = new StringBuilder();
        for (String t : joined.split(",", -1)) {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(t.strip()).append(':').append(state);
        }
        return out.toString();
    }

    /** A spec sets when a part has a colon or is a bare level or state word (a level may carry {@code @duration}). */
    static boolean isSetting(String spec, Set<String> words) {
        for (String part : spec.split(",", -1)) {
            String p = part.strip();
            int at = p.indexOf('@');
            if (at > 0) {
                p = p.substring(0, at);
            }
            if (p.indexOf(':') >= 0 || words.contains(p.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
