package dev.osgimon.source.jmx.internal;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import dev.osgimon.api.Declarations;

/**
 * What the source declares of the MBeans its patterns resolved to, made by one resolve: per
 * measurement, its fields declared by name (from the attributes' descriptors) and whether it has
 * other fields (declared as the measurement's {@code *} gauge). Immutable; compared by value, so that
 * a resolve that found the same declarations asks nothing of the core.
 *
 * @param measurements by measurement name, sorted
 */
record Declared(Map<String, Measurement> measurements) {

    /** Nothing declared. */
    static final Declared NONE = new Declared(Map.of());

    /**
     * One measurement's declarations.
     *
     * @param fields the fields declared by name, sorted
     * @param others whether it has fields no descriptor declares
     */
    record Measurement(Map<String, Meaning> fields, boolean others) {
    }

    /**
     * What a field declared by name means.
     *
     * @param counter a counter (else a gauge)
     * @param unit its unit, empty for none
     * @param description its description
     */
    record Meaning(boolean counter, String unit, String description) {
    }

    /**
     * @param fields measurement → field → meaning (copied)
     * @param others the measurements with fields no descriptor declares
     * @return the declarations
     */
    static Declared of(Map<String, Map<String, Meaning>> fields, Set<String> others) {
        TreeMap<String, Measurement> all = new TreeMap<>();
        for (Map.Entry<String, Map<String, Meaning>> m : fields.entrySet()) {
            all.put(m.getKey(), new Measurement(Collections.unmodifiableMap(new TreeMap<>(m.getValue())), others.contains(m.getKey())));
        }
        for (String m : others) {
            all.putIfAbsent(m, new Measurement(Map.of(), true));
        }
        return new Declared(Collections.unmodifiableMap(all));
    }

    /**
     * Declares them: every field declared by name, then the {@code *} gauge of each measurement with
     * other fields.
     *
     * @param d where to declare
     */
    void declareTo(Declarations d) {
        for (Map.Entry<String, Measurement> m : measurements.entrySet()) {
            for (Map.Entry<String, Meaning> f : m.getValue().fields().entrySet()) {
                Meaning k = f.getValue();
                if (k.counter()) {
                    d.counter(m.getKey(), f.getKey(), k.unit(), k.description());
                } else {
                    d.gauge(m.getKey(), f.getKey(), k.unit(), k.description());
                }
            }
        }
        for (Map.Entry<String, Measurement> m : measurements.entrySet()) {
            if (m.getValue().others()) {
                d.gauge(m.getKey(), Declarations.ANY_FIELD, "", "JMX attributes without a metricType descriptor");
            }
        }
    }

    /**
     * @param other other declarations, null for none
     * @param measurement a measurement
     * @return whether both declare the measurement alike (so that its fields mean the same under either)
     */
    boolean sameFor(Declared other, String measurement) {
        return other != null && Objects.equals(measurements.get(measurement), other.measurements.get(measurement));
    }
}
