package dev.osgimon.core.internal.delivery;

/** The names of push formats, as batches carry them in the outbox and the spool. */
public final class Formats {

    /**
     * Influx line protocol, rendered by the core: the format of {@code tcp://}, {@code udp://} and
     * transport factories without encoder.
     */
    public static final String LINE = "influx-line";
    /** Most characters of a format name. */
    static final int MAX_LENGTH = 32;

    private Formats() {
    }

    /**
     * @param format a format name
     * @return whether it is 1 to {@value #MAX_LENGTH} lower case ASCII letters, digits and {@code -}
     */
    public static boolean valid(String format) {
        if (format == null || format.isEmpty() || format.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
