package dev.osgimon.core.internal.encode;

/**
 * Remembers the type each field of each measurement was first written with, so that a field whose
 * type changes is refused before a receiver refuses its line (InfluxDB drops the line; QuestDB over
 * HTTP drops the whole batch, every other point with it).
 *
 * <p>An open-addressing table of fixed size holding the caller's own strings: nothing is allocated
 * after construction. When three quarters full it stops learning new fields (they go unchecked).
 * Not thread-safe.
 */
final class FieldTypes {

    static final byte INTEGER = 1;
    static final byte UNSIGNED = 2;
    static final byte FLOAT = 3;
    static final byte BOOLEAN = 4;
    static final byte STRING = 5;

    private final String[] measurements;
    private final String[] keys;
    private final byte[] types;
    private final int mask;
    private final int limit;
    private int size;

    /** @param capacity a power of two */
    FieldTypes(int capacity) {
        measurements = new String[capacity];
        keys = new String[capacity];
        types = new byte[capacity];
        mask = capacity - 1;
        limit = capacity / 4 * 3;
    }

    /**
     * Returns the type the field was first seen with, remembering {@code type} when it is new.
     *
     * @return the remembered type; {@code type} itself for a new field or a full table
     */
    byte remember(String measurement, String key, byte type) {
        int h = measurement.hashCode() * 31 + key.hashCode();
        int i = (h ^ (h >>> 16)) & mask;
        while (true) {
            String m = measurements[i];
            if (m == null) {
                if (size < limit) {
                    measurements[i] = measurement;
                    keys[i] = key;
                    types[i] = type;
                    size++;
                }
                return type;
            }
            String k = keys[i];
            if ((m == measurement || m.equals(measurement)) && (k == key || k.equals(key))) {
                return types[i];
            }
            i = (i + 1) & mask;
        }
    }

    static String name(byte type) {
        switch (type) {
            case INTEGER:
                return "a signed integer";
            case UNSIGNED:
                return "an unsigned integer";
            case FLOAT:
                return "a double";
            case BOOLEAN:
                return "a boolean";
            default:
                return "a string";
        }
    }
}
