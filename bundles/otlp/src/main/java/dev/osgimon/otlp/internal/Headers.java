package dev.osgimon.otlp.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The extra HTTP headers of every request, parsed once from {@code key=value,key2=value2} (the
 * format of OpenTelemetry's {@code OTEL_EXPORTER_OTLP_HEADERS}: keys and values percent-decoded,
 * spaces around entries ignored). The values are secrets: {@link #toString()} shows the keys only.
 */
final class Headers {

    /** A header: its value is never shown. */
    record Header(String name, String value) {
        @Override
        public String toString() {
            return name + "=****";
        }
    }

    static final Headers NONE = new Headers(List.of());

    private final List<Header> list;

    private Headers(List<Header> list) {
        this.list = list;
    }

    /**
     * @param text {@code key=value,…}, or empty
     * @return the headers
     * @throws IllegalArgumentException naming the entry by its position and key only, never a value
     */
    static Headers parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        List<Header> list = new ArrayList<>();
        String[] entries = text.split(",");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].trim();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("headers: entry " + (i + 1) + " is not key=value");
            }
            String key = decode(entry.substring(0, eq).trim(), i);
            String value = decode(entry.substring(eq + 1).trim(), i);
            if (!token(key)) {
                throw new IllegalArgumentException("headers: entry " + (i + 1) + " has no valid header name");
            }
            String lower = key.toLowerCase(Locale.ROOT);
            if (lower.equals("content-type") || lower.equals("content-encoding") || lower.equals("content-length")
                    || lower.equals("host")) {
                throw new IllegalArgumentException("headers: " + key + " is set by the transport itself");
            }
            for (int c = 0; c < value.length(); c++) {
                char ch = value.charAt(c);
                if (ch == '\r' || ch == '\n' || ch == 0) {
                    throw new IllegalArgumentException("headers: the value of " + key + " holds a line break");
                }
            }
            list.add(new Header(key, value));
        }
        return new Headers(Collections.unmodifiableList(list));
    }

    private static String decode(String s, int index) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("headers: entry " + (index + 1) + " has a bad percent-encoding");
        }
    }

    private static boolean token(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 32 || c >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    List<Header> list() {
        return list;
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    @Override
    public String toString() {
        return list.isEmpty() ? "none" : list.toString();
    }
}
