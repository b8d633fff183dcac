package dev.osgimon.itests.sources;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads back the fields of one line of Influx line protocol (enough for osgimon's own output). */
final class LineProtocol {

    private LineProtocol() {
    }

    /**
     * The fields of the first line whose measurement and tags start with {@code prefix}.
     *
     * @param lines the lines
     * @param prefix e.g. {@code "http_requests,method=GET"}; matched up to the next space or comma
     * @return field key to value (integers without their {@code i}), empty if there is no such line
     */
    static Map<String, String> fields(String lines, String prefix) {
        for (String line : lines.split("\n")) {
            if (line.startsWith(prefix) && line.length() > prefix.length()
                    && (line.charAt(prefix.length()) == ' ' || line.charAt(prefix.length()) == ',')) {
                String[] parts = line.split(" ");
                Map<String, String> fields = new LinkedHashMap<>();
                for (String kv : parts[1].split(",")) {
                    int eq = kv.indexOf('=');
                    String v = kv.substring(eq + 1);
                    fields.put(kv.substring(0, eq), v.endsWith("i") ? v.substring(0, v.length() - 1) : v);
                }
                return fields;
            }
        }
        return Map.of();
    }

    /**
     * @param lines the lines
     * @param prefix as for {@link #fields}
     * @param field a field key
     * @return its integer value
     */
    static long integer(String lines, String prefix, String field) {
        String v = fields(lines, prefix).get(field);
        if (v == null) {
            throw new AssertionError("no field " + field + " in a line " + prefix + " of:\n" + lines);
        }
        return Long.parseLong(v);
    }
}
