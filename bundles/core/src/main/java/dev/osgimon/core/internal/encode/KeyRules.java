package dev.osgimon.core.internal.encode;

import java.util.Set;

/**
 * What {@link dev.osgimon.api.PointWriter}'s javadoc promises about names, in one place: which
 * measurements and keys are refused (and why), and what the line protocol converts in a
 * measurement, key or tag value (a line break becomes a space, a backslash a slash, an unpaired
 * surrogate {@code ?}). {@link CycleBuffer} asks it before storing a point; {@link LineRenderer}
 * escapes with its table, so the length checked is the length written.
 *
 * <p>The checks return the reason a name is refused, or {@code null}; they allocate only when
 * they refuse.
 */
final class KeyRules {

    /** InfluxDB refuses a series key (measurement and tags) longer than this, in bytes. */
    static final int MAX_SERIES_KEY = 65_535;

    /** InfluxDB 1.x system sources: a measurement of that name is stored, but InfluxQL refuses to read it. */
    private static final Set<String> INFLUX_SYSTEM_SOURCES =
            Set.of("_measurements", "_series", "_fieldKeys", "_tagKeys", "_tags");

    /** A name char written as it is. */
    static final byte PLAIN = 0;
    /** Comma and space: escaped with a backslash. */
    static final byte ESCAPE = 1;
    /** '=': escaped in keys and tag values, not in measurements. */
    static final byte EQUALS = 2;
    /** A line break: an escaped space. */
    static final byte BREAK = 3;
    /** A backslash: a slash. */
    static final byte BACKSLASH = 4;
    /** What a name or tag value does with each ASCII char. */
    static final byte[] ASCII = new byte[128];

    static {
        ASCII[','] = ESCAPE;
        ASCII[' '] = ESCAPE;
        ASCII['='] = EQUALS;
        ASCII['\n'] = BREAK;
        ASCII['\r'] = BREAK;
        ASCII['\\'] = BACKSLASH;
    }

    private KeyRules() {
    }

    /**
     * @param measurement a measurement
     * @return why it is refused, or {@code null}
     */
    static String measurementProblem(String measurement) {
        if (measurement == null || measurement.isEmpty()) {
            return "measurement must not be empty";
        }
        char first = measurement.charAt(0);
        if (first == '#') {
            return "measurement '" + measurement + "' starts with '#': parsers read the line as a comment";
        }
        if (first == '\t' || first == 0) {
            return "measurement '" + measurement + "' starts with a tab or NUL, which InfluxDB skips as white space";
        }
        if (first == '_' && INFLUX_SYSTEM_SOURCES.contains(measurement)) {
            return "measurement '" + measurement + "' is an InfluxDB system source: it is stored but no query reads it";
        }
        return null;
    }

    /**
     * @param key a tag or field key, not empty
     * @param what "tag key" or "field key", for the message
     * @return why it is refused wherever it stands (reserved), or {@code null}
     */
    static String keyProblem(String key, String what) {
        if (isReserved(key)) {
            return what + " '" + key + "' is reserved by InfluxDB or QuestDB";
        }
        return null;
    }

    /**
     * @param key a field key, not empty
     * @return why it is refused as a field key beyond {@link #keyProblem}, or {@code null}
     */
    static String fieldKeyProblem(String key) {
        char first = key.charAt(0);
        if (first == '\t' || first == 0) {
            return "field key '" + key + "' starts with a tab or NUL, which InfluxDB skips as white space";
        }
        return null;
    }

    /** {@code time} (InfluxDB), {@code timestamp} (QuestDB), {@code _measurement} and {@code _field} (InfluxDB 2), any case. */
    static boolean isReserved(String key) {
        switch (key.length()) {
            case 4:
                return key.equalsIgnoreCase("time");
            case 6:
                return key.equalsIgnoreCase("_field");
            case 9:
                return key.equalsIgnoreCase("timestamp");
            case 12:
                return key.equalsIgnoreCase("_measurement");
            default:
                return false;
        }
    }

    /**
     * The tag and field keys a histogram point's rows use: {@code le} on the bucket rows,
     * {@code count}, {@code sum}, {@code min}, {@code max} as fields.
     *
     * @param key a tag key
     * @return whether a histogram point cannot carry a tag of that key
     */
    static boolean isHistogramKey(String key) {
        switch (key.length()) {
            case 2:
                return key.equalsIgnoreCase("le");
            case 3:
                return key.equalsIgnoreCase("sum") || key.equalsIgnoreCase("min") || key.equalsIgnoreCase("max");
            case 5:
                return key.equalsIgnoreCase("count");
            default:
                return false;
        }
    }

    /** A hash equal for strings that are equal ignoring case (as {@link String#equalsIgnoreCase} compares). */
    static int foldedHash(String s) {
        int h = 0;
        for (int i = 0; i < s.length(); i++) {
            h = 31 * h + Character.toLowerCase(Character.toUpperCase(s.charAt(i)));
        }
        return h;
    }

    /**
     * The bytes a measurement, key or tag value takes once escaped and converted as
     * {@link LineRenderer} writes it; at most {@code 3 * s.length()}.
     *
     * @param s the text
     * @param escapeEquals true for keys and tag values
     * @return its length in bytes
     */
    static int escapedLength(CharSequence s, boolean escapeEquals) {
        int n = s.length();
        int bytes = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                byte kind = ASCII[c];
                bytes += kind == ESCAPE || kind == BREAK || kind == EQUALS && escapeEquals ? 2 : 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
