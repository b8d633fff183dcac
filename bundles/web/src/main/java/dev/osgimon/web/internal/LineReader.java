package dev.osgimon.web.internal;

import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the numeric fields of Influx line-protocol text, as the core writes it: escaped
 * measurement, tag keys and values, field keys; string fields in quotes (skipped), booleans
 * (skipped), integers with {@code i} or {@code u}, floats. A line that does not parse is skipped.
 */
final class LineReader {

    /** Receives every numeric field of every line. */
    @FunctionalInterface
    interface FieldSink {
        /**
         * One numeric field value.
         *
         * @param measurement the measurement
         * @param tags the tags, sorted by key (shared by the fields of one line)
         * @param field the field key
         * @param value the value
         */
        void field(String measurement, Map<String, String> tags, String field, double value);
    }

    private LineReader() {
    }

    /**
     * Reads every line.
     *
     * @param text lines, each ending in {@code \n} (the last may not)
     * @param sink what gets the numeric fields
     * @return the number of lines that did not parse
     */
    static int read(String text, FieldSink sink) {
        int bad = 0;
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            if (end > start && !readLine(text, start, end, sink)) {
                bad++;
            }
            start = end + 1;
        }
        return bad;
    }

    private static boolean readLine(String s, int from, int to, FieldSink sink) {
        StringBuilder token = new StringBuilder();
        int i = from;
        // measurement: up to an unescaped ',' or ' '
        while (i < to && s.charAt(i) != ',' && s.charAt(i) != ' ') {
            i = append(s, i, to, token);
        }
        if (token.length() == 0 || i >= to) {
            return false;
        }
        String measurement = token.toString();
        Map<String, String> tags = new TreeMap<>();
        while (i < to && s.charAt(i) == ',') {
            i++;
            token.setLength(0);
            while (i < to && s.charAt(i) != '=') {
                i = append(s, i, to, token);
            }
            if (i >= to) {
                return false;
            }
            String key = token.toString();
            i++;
            token.setLength(0);
            while (i < to && s.charAt(i) != ',' && s.charAt(i) != ' ') {
                i = append(s, i, to, token);
            }
            tags.put(key, token.toString());
        }
        if (i >= to || s.charAt(i) != ' ') {
            return false;
        }
        i++;
        Map<String, String> fixed = java.util.Collections.unmodifiableMap(tags);
        boolean any = false;
        while (i < to && s.charAt(i) != ' ') {
            token.setLength(0);
            while (i < to && s.charAt(i) != '=') {
                i = append(s, i, to, token);
            }
            if (i >= to) {
                return false;
            }
            String field = token.toString();
            i++;
            if (i < to && s.charAt(i) == '"') {
                i++;
                while (i < to && s.charAt(i) != '"') {
                    i += s.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
            } else {
                int vStart = i;
                while (i < to && s.charAt(i) != ',' && s.charAt(i) != ' ') {
                    i++;
                }
                Double v = number(s.substring(vStart, i));
                if (v != null) {
                    sink.field(measurement, fixed, field, v);
                    any = true;
                }
            }
            if (i < to && s.charAt(i) == ',') {
                i++;
            }
        }
        return any || i <= to;
    }

    private static int append(String s, int i, int to, StringBuilder out) {
        char c = s.charAt(i);
        if (c == '\\' && i + 1 < to) {
            out.append(s.charAt(i + 1));
            return i + 2;
        }
        out.append(c);
        return i + 1;
    }

    private static Double number(String v) {
        if (v.isEmpty()) {
            return null;
        }
        char last = v.charAt(v.length() - 1);
        try {
            if (last == 'i' || last == 'u') {
                return (double) Long.parseLong(v.substring(0, v.length() - 1));
            }
            if (Character.isDigit(last) || last == '.') {
                return Double.parseDouble(v);
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }
}
