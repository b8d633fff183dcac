package dev.osgimon.source.jmx.internal;

import javax.management.ObjectName;

/**
 * What a cycle reads of one MBean and how it writes it: made when the patterns are resolved, used
 * by every cycle until the next resolve.
 *
 * @param name the MBean
 * @param measurement its measurement
 * @param tagKeys the tag keys (key properties other than {@code type}, cleaned), in canonical order
 * @param tagValues the tag values, unquoted
 * @param attributes the attributes read in one {@code getAttributes} call
 * @param fieldKeys the field key (or, for composite and tabular values, the field key prefix) of each attribute
 */
record Plan(ObjectName name, String measurement, String[] tagKeys, String[] tagValues, String[] attributes,
        String[] fieldKeys) {
}
