package dev.osgimon.prometheus.internal;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

import dev.osgimon.api.model.Kind;

/**
 * The names one series gets, for the scrape endpoint and remote write alike: the family name of a
 * field or histogram with its sample names, the label name of a tag and the {@code le} text of a
 * bucket bound, by the rules of {@link Names}. Caches what it mapped, so that a cycle like the last
 * one maps without allocating. One instance per user; used by one thread at a time.
 */
final class Naming {

    /** Bound of each cache, should measurement or tag names run away. */
    static final int MAX_CACHED = 100_000;

    /**
     * How one field (or histogram) of a measurement is named.
     *
     * @param family the family name, unit suffix included (a counter's without {@code _total})
     * @param unit the unit suffix, or empty
     * @param kind gauge, counter or histogram
     * @param samples the names its samples carry: the family's for a gauge, {@code <family>_total}
     *        for a counter, {@code _bucket}, {@code _sum} and {@code _count} for a histogram
     * @param claimed every name the family uses in either format: its own and its samples'
     */
    record Mapped(String family, String unit, Kind kind, String[] samples, String[] claimed, String ucum) {
    }

    /** By measurement, then field: a lookup allocates no key. */
    private final Map<String, Map<String, Mapped>> names = new HashMap<>();
    private int cachedNames;
    private final Map<String, String> labelNames = new HashMap<>();
    /** {@code le} texts by the bound's bits, open addressing: no boxing. */
    private long[] leKeys = new long[64];
    private String[] leValues = new String[64];
    private int leCount;

    /**
     * @param measurement the measurement
     * @param field the field key; empty for a histogram
     * @param kind the field's kind (a counter, a histogram, else a gauge)
     * @param unit the declared unit, or empty
     * @return its names
     */
    Mapped mapped(String measurement, String field, Kind kind, String unit) {
        String u = unit == null ? "" : unit;
        Map<String, Mapped> fields = names.get(measurement);
        Mapped m = fields == null ? null : fields.get(field);
        if (m == null || m.kind() != kind || !m.ucum().equals(u)) {
            String suffix = Names.unitSuffix(u, kind);
            String family = kind == Kind.HISTOGRAM ? Names.histogram(measurement, u, suffix)
                    : Names.family(measurement, field, kind, u, suffix);
            String[] samples;
            String[] claimed;
            switch (kind) {
                case COUNTER:
                    samples = new String[] {family + "_total"};
                    claimed = new String[] {family, samples[0]};
                    break;
                case HISTOGRAM:
                    samples = new String[] {family + "_bucket", family + "_sum", family + "_count"};
                    claimed = new String[] {family, samples[0], samples[1], samples[2]};
                    break;
                default:
                    samples = new String[] {family};
                    claimed = samples;
            }
            m = new Mapped(family, suffix, kind, samples, claimed, u);
            if (cachedNames >= MAX_CACHED) {
                names.clear();
                cachedNames = 0;
                fields = null;
            }
            if (fields == null) {
                fields = new HashMap<>();
                names.put(measurement, fields);
            }
            if (fields.put(field, m) == null) {
                cachedNames++;
            }
        }
        return m;
    }

    /**
     * @param key a tag key
     * @return its label name ({@link Names#label})
     */
    String label(String key) {
        String n = labelNames.get(key);
        if (n == null) {
            n = Names.label(key);
            if (labelNames.size() >= MAX_CACHED) {
                labelNames.clear();
            }
            labelNames.put(key, n);
        }
        return n;
    }

    /**
     * @param bound a bucket's upper bound
     * @return its {@code le} label value ({@link #leText})
     */
    String le(double bound) {
        if (bound == Double.POSITIVE_INFINITY) {
            return "+Inf";
        }
        long bits = Double.doubleToLongBits(bound);
        int mask = leKeys.length - 1;
        int i = slot(bits, mask);
        while (leValues[i] != null) {
            if (leKeys[i] == bits) {
                return leValues[i];
            }
            i = (i + 1) & mask;
        }
        String s = leText(bound);
        if (leCount * 2 >= leKeys.length) {
            if (leKeys.length >= MAX_CACHED) {
                leValues = new String[leKeys.length];
                leCount = 0;
            } else {
                long[] oldKeys = leKeys;
                String[] oldValues = leValues;
                leKeys = new long[oldKeys.length * 2];
                leValues = new String[oldKeys.length * 2];
                leCount = 0;
                for (int j = 0; j < oldKeys.length; j++) {
                    if (oldValues[j] != null) {
                        putLe(oldKeys[j], oldValues[j]);
                    }
                }
            }
        }
        putLe(bits, s);
        return s;
    }

    private void putLe(long bits, String text) {
        int mask = leKeys.length - 1;
        int i = slot(bits, mask);
        while (leValues[i] != null) {
            i = (i + 1) & mask;
        }
        leKeys[i] = bits;
        leValues[i] = text;
        leCount++;
    }

    private static int slot(long bits, int mask) {
        return ((int) (bits ^ (bits >>> 29) ^ (bits >>> 47)) * 0x9E3779B9 >>> 7) & mask;
    }

    /**
     * A bound as an {@code le} value: {@code +Inf}, or a float written without exponent, e.g.
     * {@code 0.005}, {@code 1.0}.
     */
    static String leText(double bound) {
        if (Double.isNaN(bound) || Double.isInfinite(bound)) {
            return bound > 0 ? "+Inf" : bound < 0 ? "-Inf" : "NaN";
        }
        if (bound == Math.rint(bound) && Math.abs(bound) < 1e15) {
            return (long) bound + ".0";
        }
        double abs = Math.abs(bound);
        return abs >= 1e-9 && abs < 1e15 ? new BigDecimal(Double.toString(bound)).stripTrailingZeros().toPlainString()
                : Double.toString(bound);
    }
}
