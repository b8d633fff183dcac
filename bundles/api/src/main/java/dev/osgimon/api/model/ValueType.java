package dev.osgimon.api.model;

/** The type a field's value was written with; a measurement's field keeps its first type. */
public enum ValueType {
    /** A signed 64-bit integer. */
    LONG,
    /** An unsigned 64-bit integer, held in a {@code long} read as unsigned. */
    UNSIGNED,
    /** A double; never NaN or infinite (those are left out when written). */
    DOUBLE,
    /** A boolean. */
    BOOLEAN,
    /** A string. */
    STRING
}
