package dev.osgimon.command.internal;

import java.time.Duration;

/** Text shared by the parser, the answers and the log lines of every front end. */
public final class Text {

    private static final int MAX_SHOWN = 64;

    private Text() {
    }

    /**
     * Quotes user text for an answer or a log line: at most 64 characters, every character outside
     * printable ASCII shown as {@code ?}, so an answer is always one clean line.
     *
     * @param text the text
     * @return the quoted text
     */
    public static String quote(String text) {
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

    /**
     * A limit for a message: {@code 10 s}, or {@code 800 ms} when it is not a whole number of seconds.
     *
     * @param duration the duration
     * @return the text
     */
    public static String duration(Duration duration) {
        if (duration.toMillis() % 1000 == 0) {
            return duration.toSeconds() + " s";
        }
        return duration.toMillis() + " ms";
    }

    /**
     * Time left as the protocol shows it: {@code 9m58s}, {@code 1h0m5s}, {@code 2s}; a part of a second
     * counts as a whole one, so a level that still holds never shows {@code 0s}.
     *
     * @param left the time left
     * @return the text
     */
    public static String timeLeft(Duration left) {
        long seconds = Math.max(1, (left.toMillis() + 999) / 1000);
        long h = seconds / 3600;
        long m = seconds % 3600 / 60;
        long s = seconds % 60;
        StringBuilder out = new StringBuilder();
        if (h > 0) {
            out.append(h).append('h');
        }
        if (h > 0 || m > 0) {
            out.append(m).append('m');
        }
        return out.append(s).append('s').toString();
    }
}
