package dev.osgimon.prometheus.internal;

import java.util.Map;

import dev.osgimon.api.model.Kind;

/**
 * The name rules of the exposition (the table in {@code docs/prometheus.md}): metric and label
 * names, and the unit suffix taken from a declared UCUM unit. Stateless.
 */
final class Names {

    /** UCUM units (as OpenTelemetry writes them) and the suffix Prometheus conventions use. */
    private static final Map<String, String> UNITS = Map.ofEntries(
            Map.entry("s", "seconds"), Map.entry("ms", "milliseconds"), Map.entry("us", "microseconds"),
            Map.entry("\u00b5s", "microseconds"), Map.entry("ns", "nanoseconds"), Map.entry("min", "minutes"),
            Map.entry("h", "hours"), Map.entry("d", "days"), Map.entry("By", "bytes"), Map.entry("KiBy", "kibibytes"),
            Map.entry("MiBy", "mebibytes"), Map.entry("GiBy", "gibibytes"), Map.entry("KBy", "kilobytes"),
            Map.entry("MBy", "megabytes"), Map.entry("GBy", "gigabytes"), Map.entry("bit", "bits"),
            Map.entry("%", "percent"), Map.entry("Hz", "hertz"), Map.entry("Cel", "celsius"), Map.entry("m", "meters"),
            Map.entry("g", "grams"), Map.entry("V", "volts"), Map.entry("A", "amperes"), Map.entry("J", "joules"),
            Map.entry("W", "watts"));
    /** The time units after a {@code /}, in the singular: {@code By/s} is {@code bytes_per_second}. */
    private static final Map<String, String> PER = Map.of("s", "second", "min", "minute", "h", "hour", "d", "day",
            "ms", "millisecond");

    private Names() {
    }

    /**
     * A metric name: every character outside {@code [a-zA-Z0-9_:]} becomes {@code _}, a leading
     * digit gets a {@code _} in front; empty becomes {@code _}.
     */
    static String metric(String raw) {
        return sanitize(raw, true);
    }

    /**
     * A label name: every character outside {@code [a-zA-Z0-9_]} becomes {@code _}, a leading digit
     * gets a {@code _} in front, and a name that would begin with {@code __} (reserved by Prometheus
     * for its own labels) keeps a single leading {@code _}; empty becomes {@code _}.
     */
    static String label(String raw) {
        String s = sanitize(raw, false);
        int underscores = 0;
        while (underscores < s.length() && s.charAt(underscores) == '_') {
            underscores++;
        }
        return underscores > 1 ? s.substring(underscores - 1) : s;
    }

    private static String sanitize(String raw, boolean colon) {
        if (raw == null || raw.isEmpty()) {
            return "_";
        }
        boolean clean = true;
        for (int i = 0; i < raw.length() && clean; i++) {
            clean = allowed(raw.charAt(i), colon);
        }
        char first = raw.charAt(0);
        boolean digit = first >= '0' && first <= '9';
        if (clean && !digit) {
            return raw;
        }
        StringBuilder b = new StringBuilder(raw.length() + 1);
        if (digit) {
            b.append('_');
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            b.append(allowed(c, colon) ? c : '_');
            if (Character.isHighSurrogate(c) && i + 1 < raw.length() && Character.isLowSurrogate(raw.charAt(i + 1))) {
                i++; // one code point, one underscore
            }
        }
        return b.toString();
    }

    private static boolean allowed(char c, boolean colon) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                || (colon && c == ':');
    }

    /**
     * The suffix a declared unit adds to a name.
     *
     * @param ucum the declared unit, e.g. {@code s}, {@code By}, {@code 1}, {@code {request}}, {@code By/s}
     * @param kind the field's kind: {@code 1} is {@code ratio} for a gauge only (a counter of
     *            dimensionless things has no suffix)
     * @return e.g. {@code seconds}, {@code bytes_per_second}; empty for no unit, {@code {annotation}}
     *         units, and {@code 1} on counters and histograms
     */
    static String unitSuffix(String ucum, Kind kind) {
        if (ucum == null || ucum.isEmpty()) {
            return "";
        }
        if (ucum.equals("1")) {
            return kind == Kind.GAUGE ? "ratio" : "";
        }
        int slash = ucum.indexOf('/');
        if (slash > 0) {
            String top = atom(ucum.substring(0, slash));
            String bottom = ucum.substring(slash + 1);
            String per = PER.getOrDefault(bottom, atom(bottom));
            if (per.isEmpty()) {
                return top;
            }
            return top.isEmpty() ? "per_" + per : top + "_per_" + per;
        }
        return atom(ucum);
    }

    private static String atom(String unit) {
        if (unit.isEmpty() || unit.startsWith("{")) {
            return "";
        }
        String known = UNITS.get(unit);
        if (known != null) {
            return known;
        }
        String s = sanitize(unit, false);
        return s.replaceAll("^_+|_+$", "");
    }

    /**
     * The family name of a field: {@code <measurement>_<field>} sanitized, a counter's trailing
     * {@code _total} taken off (it is added back to the sample), then the unit suffix appended unless
     * the name already ends with it (see {@link #withUnit}).
     */
    static String family(String measurement, String field, Kind kind, String ucum, String unitSuffix) {
        String base = metric(measurement + "_" + field);
        if (kind == Kind.COUNTER && base.endsWith("_total") && base.length() > "_total".length()) {
            base = base.substring(0, base.length() - "_total".length());
        }
        return withUnit(base, unitSuffix, ucum);
    }

    /** The family name of a histogram: its measurement sanitized, with the unit suffix. */
    static String histogram(String measurement, String ucum, String unitSuffix) {
        return withUnit(metric(measurement), unitSuffix, ucum);
    }

    /**
     * Appends the unit suffix unless the name ends with it already; a name that ends with the unit's
     * UCUM abbreviation instead ({@code uptime_s}, {@code time_ms}) has it replaced by the word
     * ({@code uptime_seconds}, {@code time_milliseconds}).
     */
    private static String withUnit(String base, String suffix, String ucum) {
        if (suffix.isEmpty() || base.endsWith("_" + suffix)) {
            return base;
        }
        if (ucum != null && UNITS.containsKey(ucum) && allowedName(ucum) && base.endsWith("_" + ucum)
                && base.length() > ucum.length() + 1) {
            return base.substring(0, base.length() - ucum.length()) + suffix;
        }
        return base + "_" + suffix;
    }

    private static boolean allowedName(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!allowed(s.charAt(i), false)) {
                return false;
            }
        }
        return true;
    }
}
