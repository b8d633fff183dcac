package dev.osgimon.command.internal;

/** A command that cannot be run; the message becomes the answer {@code error: <message>}. */
final class CommandException extends Exception {

    private static final long serialVersionUID = 1L;

    CommandException(String message) {
        super(message);
    }
}
