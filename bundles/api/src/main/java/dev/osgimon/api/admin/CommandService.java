package dev.osgimon.api.admin;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs one line of the osgimon text protocol ({@code L…}, {@code M…}, {@code l…}, {@code m…})
 * and answers it. The TCP command server and the Gogo commands both go through this service,
 * so they share one parser and one formatter.
 */
@ProviderType
public interface CommandService {

    /**
     * Runs a command. A command is validated as a whole before anything changes.
     *
     * @param line the command without its line terminator
     * @return the answer without a line terminator: {@code ok}, {@code ok: <text>} or
     *         {@code error: <message>}
     */
    String execute(String line);
}
