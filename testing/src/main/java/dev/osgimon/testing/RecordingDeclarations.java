package dev.osgimon.testing;

import java.util.ArrayList;
import java.util.List;

import dev.osgimon.api.Declarations;
import dev.osgimon.api.MetricSource;
import dev.osgimon.api.model.Kind;

/** {@link Declarations} that keep what a source declared, for assertions. */
public final class RecordingDeclarations implements Declarations {

    /** One declaration; {@code field} is empty for a histogram. */
    public record Declared(String measurement, String field, Kind kind, String unit, String description) {
    }

    private final List<Declared> declared = new ArrayList<>();

    /**
     * @param source a source
     * @return what it declares
     */
    public static List<Declared> of(MetricSource source) {
        RecordingDeclarations d = new RecordingDeclarations();
        source.declare(d);
        return d.declared();
    }

    @Override
    public Declarations gauge(String measurement, String field, String unit, String description) {
        declared.add(new Declared(measurement, field, Kind.GAUGE, unit, description));
        return this;
    }

    @Override
    public Declarations counter(String measurement, String field, String unit, String description) {
        declared.add(new Declared(measurement, field, Kind.COUNTER, unit, description));
        return this;
    }

    @Override
    public Declarations histogram(String measurement, String unit, String description) {
        declared.add(new Declared(measurement, "", Kind.HISTOGRAM, unit, description));
        return this;
    }

    /** @return every declaration, in order */
    public List<Declared> declared() {
        return declared;
    }
}
