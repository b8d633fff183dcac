package dev.osgimon.shell.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders the {@code c} answer (docs/protocol.md: entries separated by {@code ,}, parts by {@code :}, both
 * escaped with {@code \} inside a part) as a table with aligned columns.
 */
final class CatalogTable {

    static final List<String> HEADER = List.of("MEASUREMENT", "FIELD", "KIND", "UNIT", "SOURCE", "DESCRIPTION");

    private CatalogTable() {
    }

    /**
     * @param entries the answer after {@code ok: } (empty for none)
     * @return the table, one line per metric after a header line, each ending in a newline
     */
    static String render(String entries) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        rows.addAll(split(entries));
        int[] width = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < width.length && i < row.size(); i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            int start = out.length();
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                out.append(cell);
                if (i < row.size() - 1) {
                    out.append(" ".repeat(width[i] - cell.length() + 2));
                }
            }
            while (out.length() > start && out.charAt(out.length() - 1) == ' ') {
                out.setLength(out.length() - 1);
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** The entries and their parts, unescaped. */
    static List<List<String>> split(String text) {
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
            } else if (c == ':' || c == ',') {
                parts.add(part.toString());
                part.setLength(0);
                if (c == ',') {
                    entries.add(parts);
                    parts = new ArrayList<>();
                }
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        entries.add(parts);
        return entries;
    }
}
