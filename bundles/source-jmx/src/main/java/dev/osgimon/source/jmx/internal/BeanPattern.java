package dev.osgimon.source.jmx.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * One entry of the {@code beans} configuration: an {@link ObjectName} pattern and the attributes to
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
     * @return the pattern
     * @throws IllegalArgumentException naming the entry and what is wrong with it
     */
    static BeanPattern parse(String entry) {
        if (entry == null || entry.isBlank()) {
            throw new IllegalArgumentException("beans: an entry is empty");
        }
        int bar = entry.lastIndexOf('|');
        String name = (bar < 0 ? entry : entry.substring(0, bar)).trim();
        String list = bar < 0 ? "*" : entry.substring(bar + 1).trim();
        ObjectName pattern;
        try {
            pattern = new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("beans: '" + entry + "' is not an ObjectName pattern: " + e.getMessage(), e);
        }
        if (list.equals("*")) {
            return new BeanPattern(pattern, List.of());
        }
        Set<String> attributes = new LinkedHashSet<>();
        for (String a : list.split(",", -1)) {
            String t = a.trim();
            if (t.isEmpty() || t.equals("*")) {
                throw new IllegalArgumentException("beans: '" + entry + "' has an empty attribute name or a '*' in a list;"
                        + " write <pattern>|a,b or <pattern>|*");
            }
            attributes.add(t);
        }
        return new BeanPattern(pattern, List.copyOf(new ArrayList<>(attributes)));
    }

    /**
     * Parses every entry.
     *
     * @param entries the configuration
     * @return the patterns in the order given
     * @throws IllegalArgumentException for the first bad entry
     */
    static List<BeanPattern> parseAll(String[] entries) {
        List<BeanPattern> out = new ArrayList<>();
        if (entries != null) {
            for (String e : entries) {
                out.add(parse(e));
            }
        }
        return List.copyOf(out);
    }
}
