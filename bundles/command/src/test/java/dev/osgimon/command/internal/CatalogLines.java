package dev.osgimon.command.internal;

import java.util.ArrayList;
import java.util.List;

/** The reader side of {@link CatalogText}, as a client of the {@code c} answer would read it. */
final class CatalogLines {

    private CatalogLines() {
    }

    /**
     * Splits a formatted catalog back into its entries and parts (the reader side, for tests and clients).
     *
     * @param text what {@link #format} wrote
     * @return one list of six parts per entry
     */
    static List<List<String>> parse(String text) {
        List<List<String>> entries = new ArrayList<>();
        if (text.isEmpty()) {
            return entries;
        }
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                part.append(text.charAt(++i));
            } else if (c == ':') {
                parts.add(part.toString());
                part.setLength(0);
            } else if (c == ',') {
                parts.add(part.toString());
                part.setLength(0);
                entries.add(parts);
                parts = new ArrayList<>();
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        entries.add(parts);
        return entries;
    }
}
