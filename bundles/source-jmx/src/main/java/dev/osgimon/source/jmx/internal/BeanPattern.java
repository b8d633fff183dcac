package dev.osgimon.source.jmx.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * One entry of the {@code beans} (or {@code sampled}) configuration: an {@link ObjectName} pattern and the attributes to
 * read, {@code <pattern>|<attribute>,<attribute>} or {@code <pattern>|*} (every attribute whose type
 * can be written). Without {@code |} the entry means {@code |*}. The attribute list follows the last
 * {@code |}, so a quoted key value may hold one.
 *
 * @param pattern the ObjectName pattern (or plain name)
 * @param attributes the attribute names in the order given, empty for every writable attribute
 */
record BeanPattern(ObjectName pattern, List<String> attributes) {

    /** @return whether every attribute of a writable type is read */
    boolean all() {
        return attributes.isEmpty();
    }

    /**
     * Parses one entry.
     *
     * @param entry the configuration entry
     * @param property the property it comes from, for the error message
     * @return the pattern
     * @throws IllegalArgumentException naming the property, the entry and what is wrong with it
     */
    static BeanPattern parse(String entry, String property) {
        if (entry == null || entry.isBlank()) {
            throw new IllegalArgumentException(property + ": an entry is empty");
        }
        int bar = entry.lastIndexOf('|');
        String name = (bar < 0 ? entry : entry.substring(0, bar)).trim();
        String list = bar < 0 ? "*" : entry.substring(bar + 1).trim();
        ObjectName pattern;
        try {
            pattern = new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(property + ": '" + entry + "' is not an ObjectName pattern: " + e.getMessage(), e);
        }
        if (list.equals("*")) {
            return new BeanPattern(pattern, List.of());
        }
        Set<String> attributes = new LinkedHashSet<>();
        for (String a : list.split(",", -1)) {
            String t = a.trim();
            if (t.isEmpty() || t.equals("*")) {
                throw new IllegalArgumentException(property + ": '" + entry + "' has an empty attribute name or a '*' in a list;"
                        + " write <pattern>|a,b or <pattern>|*");
            }
            attributes.add(t);
        }
        return new BeanPattern(pattern, List.copyOf(new ArrayList<>(attributes)));
    }

    /**
     * Parses every entry. One configuration value may hold several entries separated by {@code ;}
     * (a {@code ;} inside a quoted key value stays), so a {@code .cfg} file, whose values are single
     * strings, can list several; empty entries are skipped.
     *
     * @param values the configuration
     * @param property the property they come from, for the error message
     * @return the patterns in the order given
     * @throws IllegalArgumentException for the first bad entry
     */
    static List<BeanPattern> parseAll(String[] values, String property) {
        List<BeanPattern> out = new ArrayList<>();
        if (values != null) {
            for (String v : values) {
                for (String e : split(v == null ? "" : v)) {
                    out.add(parse(e, property));
                }
            }
        }
        return List.copyOf(out);
    }

    private static List<String> split(String value) {
        List<String> out = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i <= value.length(); i++) {
            char c = i < value.length() ? value.charAt(i) : ';';
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ';' && (!quoted || i == value.length())) {
                String e = value.substring(start, Math.min(i, value.length())).trim();
                if (!e.isEmpty()) {
                    out.add(e);
                }
                start = i + 1;
            }
        }
        return out;
    }
}
