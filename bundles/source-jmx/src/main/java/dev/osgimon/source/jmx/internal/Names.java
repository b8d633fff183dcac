package dev.osgimon.source.jmx.internal;

import java.util.Locale;

import javax.management.ObjectName;

/**
 * The naming rule of the {@code jmx} source (documented in {@code docs/app-metrics.md}):
 * <ul>
 * <li>measurement: {@code jmx_<domain>_<type>} (or {@code jmx_<domain>} without a {@code type} key),
 *     lower case, every run of characters other than {@code a-z0-9} one {@code _};</li>
 * <li>tags: every key property other than {@code type}, its key cleaned like a field key, its
 *     value as it is (unquoted);</li>
 * <li>field: the attribute name, {@code _<member>} appended for each level of {@code CompositeData}
 *     and {@code _rows} for the row count of {@code TabularData}; every character other than
 *     {@code A-Za-z0-9_} becomes {@code _}; a key the line protocol reserves ({@code time},
 *     {@code timestamp}, {@code _measurement}, {@code _field}) gets a trailing {@code _}.</li>
 * </ul>
 */
final class Names {

    private Names() {
    }

    /**
     * @param name an MBean name
     * @return its measurement
     */
    static String measurement(ObjectName name) {
        String type = name.getKeyProperty("type");
        String raw = type == null ? name.getDomain() : name.getDomain() + "_" + unquote(type);
        StringBuilder b = new StringBuilder("jmx_");
        boolean sep = true;
        for (int i = 0; i < raw.length(); i++) {
            char c = Character.toLowerCase(raw.charAt(i));
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                b.append(c);
                sep = false;
            } else if (!sep) {
                b.append('_');
                sep = true;
            }
        }
        while (b.charAt(b.length() - 1) == '_') {
            b.setLength(b.length() - 1);
        }
        return b.toString();
    }

    /**
     * @param raw an attribute, member or key property name
     * @return it as a field or tag key
     */
    static String key(String raw) {
        StringBuilder b = new StringBuilder(raw.length() + 1);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            b.append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ? c : '_');
        }
        if (b.length() == 0) {
            b.append('_');
        }
        String k = b.toString();
        String lower = k.toLowerCase(Locale.ROOT);
        if (lower.equals("time") || lower.equals("timestamp") || lower.equals("_measurement") || lower.equals("_field")) {
            return k + "_";
        }
        return k;
    }

    /**
     * @param value a key property value, perhaps quoted
     * @return it unquoted
     */
    static String unquote(String value) {
        if (value.length() >= 2 && value.charAt(0) == '"') {
            try {
                return ObjectName.unquote(value);
            } catch (IllegalArgumentException e) {
                return value;
            }
        }
        return value;
    }

    /**
     * Maps a JMX {@code units} descriptor value to the UCUM-style unit osgimon declares.
     *
     * @param units the descriptor value, perhaps null
     * @return the unit, empty when none is given
     */
    static String unit(String units) {
        if (units == null || units.isBlank()) {
            return "";
        }
        String u = units.trim().toLowerCase(Locale.ROOT);
        switch (u) {
            case "bytes": case "byte": case "by": case "b":
                return "By";
            case "seconds": case "second": case "s": case "sec":
                return "s";
            case "milliseconds": case "millisecond": case "ms": case "millis":
                return "ms";
            case "microseconds": case "us":
                return "us";
            case "nanoseconds": case "nanosecond": case "ns": case "nanos":
                return "ns";
            case "percent": case "%":
                return "%";
            case "1": case "ratio":
                return "1";
            default:
                return u.startsWith("{") ? u : "{" + u.replaceAll("[^a-z0-9_]+", "_") + "}";
        }
    }
}
