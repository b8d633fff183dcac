package dev.osgimon.shell.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.osgimon.api.model.MetricInfo;

/** Renders catalog entries as a table with aligned columns. */
final class CatalogTable {

    static final List<String> HEADER = List.of("MEASUREMENT", "FIELD", "KIND", "UNIT", "SOURCE", "DESCRIPTION");

    private CatalogTable() {
    }

    /**
     * @param metrics the entries, in the order to print them
     * @return the table, one line per metric after a header line, each ending in a newline
     */
    static String render(List<MetricInfo> metrics) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (MetricInfo m : metrics) {
            rows.add(List.of(m.measurement(), m.field(), m.kind().name().toLowerCase(Locale.ROOT), m.unit(), m.source(),
                    m.description().replace('\n', ' ').replace('\r', ' ')));
        }
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
}
