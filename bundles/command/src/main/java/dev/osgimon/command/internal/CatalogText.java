package dev.osgimon.command.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import dev.osgimon.api.model.MetricInfo;

/**
 * The one-line text of the {@code c} answer: entries separated by {@code ,}, each
 * {@code measurement:field:kind:unit:source:description}. Within a part, {@code \}, {@code ,} and {@code :}
 * are escaped with {@code \}; control characters become spaces, so an answer is always one line. The kind is
 * {@code gauge}, {@code counter} or {@code histogram}; the field is {@code *} for a declaration covering every
 * field of its measurement not declared by name, and empty for a histogram. Entries are sorted by
 * measurement, field and source.
 */
final class CatalogText {

    /** The order of the entries. */
    static final Comparator<MetricInfo> ORDER = Comparator.comparing(MetricInfo::measurement)
            .thenComparing(MetricInfo::field).thenComparing(MetricInfo::source);

    private CatalogText() {
    }

    /**
     * @param metrics the entries, in any order
     * @return the entries as one line, without {@code ok: }; empty when there are none
     */
    static String format(List<MetricInfo> metrics) {
        List<MetricInfo> sorted = new ArrayList<>(metrics);
        sorted.sort(ORDER);
        StringBuilder out = new StringBuilder();
        for (MetricInfo m : sorted) {
            if (out.length() > 0) {
                out.append(',');
            }
            escape(out, m.measurement()).append(':');
            escape(out, m.field()).append(':');
            out.append(m.kind().name().toLowerCase(Locale.ROOT)).append(':');
            escape(out, m.unit()).append(':');
            escape(out, m.source()).append(':');
            escape(out, m.description());
        }
        return out.toString();
    }

    private static StringBuilder escape(StringBuilder out, String text) {
        if (text == null) {
            return out;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' || c == ',' || c == ':') {
                out.append('\\').append(c);
            } else if (Character.isISOControl(c)) {
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        return out;
    }
}
