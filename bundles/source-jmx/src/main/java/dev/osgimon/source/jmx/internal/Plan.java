package dev.osgimon.source.jmx.internal;

import java.util.Arrays;
import java.util.Collections;
import java.util.TreeSet;

import javax.management.ObjectName;

/**
 * What a cycle reads of one MBean and how it writes it: made when the patterns are resolved, used
 * by every cycle until the next resolve. It also holds the values of the last read, so that the
 * sampled attributes (read only every {@code samplePeriod}) are written again in the cycles between.
 * Used only under the source's lock.
 */
final class Plan {

    /** Marks an attribute asked for and not returned (or not read yet). */
    static final Object MISSING = new Object();

    /** The MBean. */
    final ObjectName name;
    /** Its measurement. */
    final String measurement;
    /** The tag keys (key properties other than {@code type}, cleaned), in canonical order. */
    final String[] tagKeys;
    /** The tag values, unquoted. */
    final String[] tagValues;
    /** Every attribute written, in the order chosen. */
    final String[] attributes;
    /** The field key (or, for composite and tabular values, the field key prefix) of each attribute. */
    final String[] fieldKeys;
    /** Whether each attribute is sampled (read only every {@code samplePeriod}). */
    final boolean[] sampled;
    /** The attributes read in a cycle when the sampled ones are not due. */
    final String[] everyCycle;
    /** Whether the tag keys and field keys differ from each other, ignoring case. */
    final boolean distinctKeys;
    /** Whether any attribute is sampled. */
    final boolean hasSampled;
    /** The platform MXBean read through its interface, or null to read through the MBean server. */
    final Object target;
    /** The getter of each attribute on {@link #target}'s management interface (null without a target). */
    final PlatformGetters.Getter[] getters;
    /** The value of each attribute from its last read, {@link #MISSING} if it was not returned. */
    final Object[] values;
    /** When the sampled attributes were last read ({@link System#nanoTime()}), valid if {@link #sampledOnce}. */
    long sampledAt;
    /** Whether the sampled attributes were read at least once. */
    boolean sampledOnce;
    /** Whether the core has taken the declarations of its measurement as they are now: only then it is written. */
    boolean declared;

    Plan(ObjectName name, String measurement, String[] tagKeys, String[] tagValues, String[] attributes, String[] fieldKeys,
            boolean[] sampled, Object target, PlatformGetters.Getter[] getters) {
        this.name = name;
        this.measurement = measurement;
        this.tagKeys = tagKeys;
        this.tagValues = tagValues;
        this.attributes = attributes;
        this.fieldKeys = fieldKeys;
        this.sampled = sampled;
        this.target = target;
        this.getters = getters;
        int n = 0;
        for (boolean s : sampled) {
            if (!s) {
                n++;
            }
        }
        String[] every = new String[n];
        for (int i = 0, j = 0; i < attributes.length; i++) {
            if (!sampled[i]) {
                every[j++] = attributes[i];
            }
        }
        this.everyCycle = every;
        this.hasSampled = n < attributes.length;
        TreeSet<String> keys = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        Collections.addAll(keys, tagKeys);
        Collections.addAll(keys, fieldKeys);
        this.distinctKeys = keys.size() == tagKeys.length + fieldKeys.length;
        this.values = new Object[attributes.length];
        Arrays.fill(values, MISSING);
    }
}
