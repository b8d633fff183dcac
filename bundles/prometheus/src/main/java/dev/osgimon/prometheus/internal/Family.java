package dev.osgimon.prometheus.internal;

import java.util.List;

import dev.osgimon.api.model.Kind;

/**
 * One metric family of a snapshot: the exposition name (for a counter without {@code _total}; the
 * samples add it), its kind, unit suffix ({@code ""} for none), help text and series.
 *
 * @param name the family name, unit suffix included
 * @param kind gauge, counter or histogram
 * @param unit the unit suffix, e.g. {@code seconds}, or empty
 * @param help the description, or empty
 * @param series the series, in the order they were written
 */
record Family(String name, Kind kind, String unit, String help, List<Series> series) {
}
