package dev.osgimon.api.model;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One collection cycle as structured points, in the order the sources wrote them: what every wire
 * format renders. Read it by index, without allocating: points {@code 0 … points() - 1}, each with
 * its tags ({@code 0 … tags(p) - 1}, the source's tags first, then the global tags such as
 * {@code vm}) and either fields ({@code 0 … fields(p) - 1}) or, for a histogram point, buckets.
 *
 * <pre>{@code
 * for (int p = 0; p < cycle.points(); p++) {
 *     for (int f = 0; f < cycle.fields(p); f++) {
 *         MetricInfo m = cycle.info(p, f);
 *         double v = cycle.numeric(p, f);
 *     }
 * }
 * }</pre>
 *
 * <p>A cycle is only valid during the call that hands it over; it must not be kept or read from
 * another thread. Copy what you need.
 */
@ProviderType
public interface Cycle {

    /** @return the cycle's timestamp in nanoseconds since the epoch, the same for every point */
    long timestampNanos();

    /** @return how many points the cycle holds */
    int points();

    /**
     * @param point the point's index
     * @return the name of the source that wrote it
     */
    String source(int point);

    /**
     * @param point the point's index
     * @return its measurement
     */
    String measurement(int point);

    /**
     * @param point the point's index
     * @return how many tags it has, global tags included
     */
    int tags(int point);

    /**
     * The global tags ({@code vm} and the other tags the core adds to every point) are the last tags
     * of every point, after the source's own: a format that puts them elsewhere (OTLP's resource) reads
     * how many there are here instead of guessing.
     *
     * @return how many of every point's tags, at its end, are the global tags
     */
    int globalTags();

    /**
     * @param point the point's index
     * @param tag the tag's index
     * @return the tag's key
     */
    String tagKey(int point, int tag);

    /**
     * @param point the point's index
     * @param tag the tag's index
     * @return the tag's value, never empty
     */
    String tagValue(int point, int tag);

    /**
     * @param point the point's index
     * @return how many fields it has; 0 for a histogram point
     */
    int fields(int point);

    /**
     * @param point the point's index
     * @param field the field's index
     * @return the field's key
     */
    String fieldKey(int point, int field);

    /**
     * @param point the point's index
     * @param field the field's index
     * @return the type it was written with
     */
    ValueType type(int point, int field);

    /**
     * @param point the point's index
     * @param field the field's index
     * @return the value of a {@link ValueType#LONG} or {@link ValueType#UNSIGNED} field (read the
     *         latter as unsigned)
     */
    long longValue(int point, int field);

    /**
     * @param point the point's index
     * @param field the field's index
     * @return the value of a {@link ValueType#DOUBLE} field
     */
    double doubleValue(int point, int field);

    /**
     * @param point the point's index
     * @param field the field's index
     * @return the value of a {@link ValueType#BOOLEAN} field
     */
    boolean booleanValue(int point, int field);

    /**
     * @param point the point's index
     * @param field the field's index
     * @return the value of a {@link ValueType#STRING} field
     */
    String stringValue(int point, int field);

    /**
     * @param point the point's index
     * @param field the field's index
     * @return the value as a double: integers converted (unsigned read as unsigned), a boolean 1 or 0,
     *         a string NaN
     */
    double numeric(int point, int field);

    /**
     * @param point the point's index
     * @param field the field's index
     * @return the field's declared meaning (a gauge when undeclared)
     */
    MetricInfo info(int point, int field);

    /**
     * @param point the point's index
     * @return whether the point is a histogram (no fields; buckets, count, sum, min, max)
     */
    boolean isHistogram(int point);

    /**
     * @param point a histogram point's index
     * @return the histogram's declared meaning
     */
    MetricInfo histogramInfo(int point);

    /**
     * @param point a histogram point's index
     * @return how many buckets it has: its bounds plus one for {@code +Inf}
     */
    int buckets(int point);

    /**
     * @param point a histogram point's index
     * @param bucket the bucket's index
     * @return the bucket's inclusive upper bound; {@link Double#POSITIVE_INFINITY} for the last
     */
    double bound(int point, int bucket);

    /**
     * @param point a histogram point's index
     * @param bucket the bucket's index
     * @return the values recorded in this bucket alone (not cumulative), since the source started
     */
    long bucketCount(int point, int bucket);

    /**
     * @param point a histogram point's index
     * @return the values recorded, the sum of every bucket's count
     */
    long count(int point);

    /**
     * @param point a histogram point's index
     * @return the sum of the values recorded
     */
    double sum(int point);

    /**
     * @param point a histogram point's index
     * @return the least value recorded; NaN when none was
     */
    double min(int point);

    /**
     * @param point a histogram point's index
     * @return the greatest value recorded; NaN when none was
     */
    double max(int point);
}
