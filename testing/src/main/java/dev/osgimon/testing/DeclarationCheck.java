package dev.osgimon.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.osgimon.api.Declarations;
import dev.osgimon.api.MetricSource;
import dev.osgimon.api.model.Kind;

/**
 * Compares what a source declares with what it writes: every field written is declared (by name, by
 * {@value Declarations#ANY_FIELD}, or as part of a histogram measurement), every declaration is
 * written, no field is declared twice, and every declaration has a description.
 */
public final class DeclarationCheck {

    private DeclarationCheck() {
    }

    /**
     * Asserts that the source's declarations and the points of the given cycles agree.
     *
     * @param source the source
     * @param cycles what it wrote in one or more cycles (together they should write every field)
     * @throws AssertionError listing every disagreement
     */
    public static void assertAgree(MetricSource source, RecordingWriter... cycles) {
        List<RecordingWriter.Point> points = new ArrayList<>();
        for (RecordingWriter w : cycles) {
            points.addAll(w.points());
        }
        List<String> problems = problems(RecordingDeclarations.of(source), points);
        if (!problems.isEmpty()) {
            throw new AssertionError(source.getClass().getSimpleName() + ": " + String.join("; ", problems));
        }
    }

    /**
     * @param declared what a source declared
     * @param points what it wrote
     * @return the disagreements, empty when none
     */
    public static List<String> problems(List<RecordingDeclarations.Declared> declared, List<RecordingWriter.Point> points) {
        Set<String> problems = new LinkedHashSet<>();
        Map<String, RecordingDeclarations.Declared> byKey = new HashMap<>();
        Set<String> histograms = new HashSet<>();
        for (RecordingDeclarations.Declared d : declared) {
            String key = d.kind() == Kind.HISTOGRAM ? d.measurement() : d.measurement() + " " + d.field();
            if (byKey.putIfAbsent(key, d) != null) {
                problems.add("declared twice: " + key);
            }
            if (d.kind() == Kind.HISTOGRAM) {
                histograms.add(d.measurement());
            }
            if (d.description() == null || d.description().isBlank()) {
                problems.add("no description: " + key);
            }
            if (d.unit() == null) {
                problems.add("null unit: " + key);
            }
        }
        Set<String> written = new HashSet<>();
        for (RecordingWriter.Point p : points) {
            if (histograms.contains(p.measurement())) {
                written.add(p.measurement());
                continue;
            }
            for (String field : p.fields().keySet()) {
                if (byKey.containsKey(p.measurement() + " " + field)) {
                    written.add(p.measurement() + " " + field);
                } else if (byKey.containsKey(p.measurement() + " " + Declarations.ANY_FIELD)) {
                    written.add(p.measurement() + " " + Declarations.ANY_FIELD);
                } else {
                    problems.add("written, not declared: " + p.measurement() + " " + field);
                }
            }
        }
        for (String key : byKey.keySet()) {
            if (!written.contains(key)) {
                problems.add("declared, never written: " + key);
            }
        }
        return new ArrayList<>(problems);
    }
}
