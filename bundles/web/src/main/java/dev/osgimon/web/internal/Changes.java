package dev.osgimon.web.internal;

import java.io.IOException;
import java.util.Map;
import java.util.regex.Pattern;

import dev.osgimon.api.admin.CommandService;

/**
 * The page's state changes: a source or tag toggle ({@code M…}) and a log level ({@code L…}), run
 * through the {@link CommandService} on behalf of {@code web <client address>}, so that they take the
 * same parser, rules and answers as the TCP protocol, and the command service's audit line is the one
 * record of them. The page logs nothing of its own about a change.
 */
final class Changes {

    private static final Pattern SOURCE_SPEC = Pattern.compile("[A-Za-z0-9*:._-]{1,200}(,[A-Za-z0-9*:._-]{1,200}){0,63}");
    private static final Pattern LEVEL_SPEC = Pattern.compile("[A-Za-z0-9*:@._$-]{1,400}");

    private final CommandService commands;

    Changes(CommandService commands) {
        this.commands = commands;
    }

    /**
     * {@code M<spec>}: 200 with {@code ok}, else 400 with the protocol's error answer.
     *
     * @param x the exchange, parameter {@code spec}
     * @throws IOException if the client is gone
     */
    void sources(Exchange x) throws IOException {
        run(x, "M", SOURCE_SPEC);
    }

    /**
     * {@code L<spec>}: 200 with {@code ok}, else 400 with the protocol's error answer.
     *
     * @param x the exchange, parameter {@code spec}
     * @throws IOException if the client is gone
     */
    void levels(Exchange x) throws IOException {
        run(x, "L", LEVEL_SPEC);
    }

    private void run(Exchange x, String prefix, Pattern allowed) throws IOException {
        String spec = x.parameter("spec");
        if (spec == null || !allowed.matcher(spec).matches()) {
            // one line, protocol characters only: nothing else reaches the command service
            x.json(400, Map.of("answer", "error: malformed spec: " + (spec == null ? "(none)" : spec)));
            return;
        }
        String answer = commands.execute(prefix + spec, "web " + x.remoteAddress());
        x.json(answer.startsWith("ok") ? 200 : 400, Map.of("answer", answer));
    }
}
