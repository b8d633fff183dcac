package dev.osgimon.api.admin;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs one line of the osgimon text protocol ({@code L…}, {@code M…}, {@code l…}, {@code m…} and the
 * extension {@code c…}, the metric catalog)
 * and answers it. The TCP command server and the Gogo commands both go through this service,
 * so they share one parser and one formatter.
 */
@ProviderType
public interface CommandService {

    /**
     * Runs a command for an unnamed sender. A command is validated as a whole before anything changes.
     *
     * @param line the command without its line terminator
     * @return the answer without a line terminator: {@code ok}, {@code ok: <text>} or
     *         {@code error: <message>}
     */
    default String execute(String line) {
        return execute(line, "unnamed client");
    }

    /**
     * Runs a command on behalf of someone: a command that changes state is logged at info with
     * {@code who} and the states before and after (the audit trail of every front end).
     *
     * @param line the command without its line terminator
     * @param who who sends it, e.g. {@code tcp 127.0.0.1:50312} or {@code shell session 1b6d3586 (user karaf)}
     * @return the answer, as {@link #execute(String)}
     * @since 1.1
     */
    String execute(String line, String who);
}
