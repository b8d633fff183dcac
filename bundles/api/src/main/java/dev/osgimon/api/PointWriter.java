package dev.osgimon.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Writes points in the Influx line protocol, straight into the core's outgoing buffer.
 *
 * <p>A point is started with {@link #point(String)}, then takes its tags, then its fields. It ends
 * with the next {@code point} call or when {@link MetricSource#collect(PointWriter)} returns; there
 * is nothing to close. All methods return this writer so calls chain:
 *
 * <pre>{@code
 * out.point("http_requests").tag("method", "GET").field("total", total).field("in_flight", n);
 * }</pre>
 *
 * <p>The writer does the escaping, and it never emits a line that a receiver (InfluxDB 1.x and
 * 2.x, Telegraf, QuestDB) would reject, misread or silently drop. The rules (the reasons, and what
 * each receiver does, are in {@code docs/line-protocol.md}):
 * <ul>
 * <li><b>Order:</b> tags come before fields; a tag after a field is an {@link IllegalStateException}.</li>
 * <li><b>Left out, silently:</b> a tag with a {@code null} or empty value; a double field that is NaN
 *     or infinite; a string field whose value is {@code null}; a point left with no field.</li>
 * <li><b>Refused</b> with an {@link IllegalArgumentException}:
 *   <ul>
 *   <li>a {@code null} or empty measurement or key;</li>
 *   <li>a measurement named like an InfluxDB 1.x system source ({@code _measurements},
 *   {@code _series}, {@code _fieldKeys}, {@code _tagKeys}, {@code _tags}: stored, but no query reads it);</li>
 *   <li>a measurement starting with {@code #} (parsers read the line as a comment), and a
 *       measurement or field key starting with a tab or NUL (InfluxDB skips them as white space);</li>
 *   <li>the tag or field keys {@code time}, {@code timestamp}, {@code _measurement} and
 *       {@code _field}, in any case (InfluxDB, QuestDB and InfluxDB 2 reserve them);</li>
 *   <li>a key used twice in one point, as tags, as fields or as both, compared ignoring case
 *       (QuestDB's columns ignore case); a field with the key of a global tag;</li>
 *   <li>a field written with another type than the first time this measurement and key were
 *       written by this core (signed integer, unsigned integer, double, boolean and string are five
 *       types): receivers refuse such a line, and QuestDB over HTTP the whole batch with it;</li>
 *   <li>a point whose measurement and tags take more than 65,535 bytes (InfluxDB's limit).</li>
 *   </ul>
 *   The refused point alone is dropped, and the calls that follow for it are ignored up to the next
 *   {@link #point(String)}; points written before and after it are kept. A source that lets the
 *   exception out of {@link MetricSource#collect(PointWriter)} fails: the core counts and logs the
 *   error and drops that source's points of the cycle, never another source's.</li>
 * <li><b>Converted</b>, and nothing else: a line break ({@code \n}, {@code \r}) in a measurement,
 *     key, tag value or string value becomes a space, so a line never breaks; a backslash in a
 *     measurement, key or tag value becomes {@code /} (InfluxDB and Telegraf read it literally,
 *     QuestDB as an escape, and none can read one before a separator), while string values keep
 *     their backslashes; an unpaired surrogate, which UTF-8 cannot carry, becomes {@code ?}. Tabs,
 *     other control characters and all other Unicode text are written as they are.</li>
 * <li><b>Numbers:</b> a double is written as the shortest decimal that reads back as the identical
 *     double ({@code -0} included); an unsigned integer as described at
 *     {@link #fieldUnsigned(String, long)}.</li>
 * <li>The core adds the cycle's timestamp (nanoseconds) and its global tags (such as
 *     {@code vm=<hostname>}) to every point; a source tag with the key of a global tag is left out.</li>
 * </ul>
 *
 * <p>Receivers have limits of their own that the writer does not enforce, because they are the
 * source's choice of names: QuestDB refuses column names longer than 127 characters or holding
 * {@code , . - / : ( ) + * % ~ ' " ?}, a backslash or a control character, and table names holding
 * {@code , = / : ~ " ? * '}, starting with a dot or with a space at either end. A source meant to
 * work everywhere uses names of letters, digits and {@code _}.
 *
 * <p>Implementations do not allocate per point or per field. A writer is not thread-safe.
 */
@ProviderType
public interface PointWriter {

    /**
     * Starts a new point, ending the previous one.
     *
     * @param measurement the measurement name, not empty, not starting with {@code #}
     * @return this writer
     * @throws IllegalArgumentException if the measurement is refused (see the rules above); the
     *     point is then dropped and the calls for it that follow are ignored
     */
    PointWriter point(String measurement);

    /**
     * Adds a tag to the current point.
     *
     * @param key the tag key, not empty, not reserved, not used before in this point
     * @param value the tag value; {@code null} or empty leaves the tag out
     * @return this writer
     * @throws IllegalStateException if no point was started or a field was already written
     * @throws IllegalArgumentException if the key is refused; the point is then dropped
     */
    PointWriter tag(String key, CharSequence value);

    /**
     * Adds a signed 64-bit integer field (written as {@code 42i}).
     *
     * @param key the field key, not empty, not reserved, not used before in this point
     * @param value the value
     * @return this writer
     * @throws IllegalArgumentException if the key is refused or the field had another type before
     */
    PointWriter field(String key, long value);

    /**
     * Adds an unsigned 64-bit integer field; {@code value} is read as unsigned. Written with the
     * {@code u} suffix when the core's {@code uintSupport} is on, otherwise as a signed integer
     * clamped to {@link Long#MAX_VALUE}.
     *
     * @param key the field key, not empty, not reserved, not used before in this point
     * @param value the value, read as an unsigned 64-bit integer
     * @return this writer
     */
    PointWriter fieldUnsigned(String key, long value);

    /**
     * Adds a double field. NaN and infinities are left out.
     *
     * @param key the field key, not empty, not reserved, not used before in this point
     * @param value the value
     * @return this writer
     */
    PointWriter field(String key, double value);

    /**
     * Adds a boolean field.
     *
     * @param key the field key, not empty, not reserved, not used before in this point
     * @param value the value
     * @return this writer
     */
    PointWriter field(String key, boolean value);

    /**
     * Adds a string field. {@code null} leaves the field out.
     *
     * @param key the field key, not empty, not reserved, not used before in this point
     * @param value the value; quotes and backslashes are escaped, line breaks become spaces, all
     *     other characters are kept
     * @return this writer
     */
    PointWriter field(String key, CharSequence value);

    /**
     * Makes the current point a histogram: bucket counts over explicit bounds, with sum, min and max.
     * A histogram point has tags and no fields; a field after it, or it after a field, is an
     * {@link IllegalStateException}. Its kind is {@link dev.osgimon.api.model.Kind#HISTOGRAM} whether
     * declared or not. {@link Histogram} calls this for you.
     *
     * <p>In the Influx line protocol it is written as the rows {@code <measurement>_bucket,le=<bound>
     * count=<n>i} with the cumulative count of each bound (the last {@code le=+Inf}), followed by
     * {@code <measurement> count=<n>i,sum=<s>,min=<m>,max=<m>}; min and max are left out while the
     * count is 0. Other formats write their own histogram type.
     *
     * @param bounds the inclusive upper bounds of the buckets, finite, strictly increasing; read
     *        during the call only
     * @param bucketCounts the values in each bucket alone (not cumulative), {@code bounds.length + 1}
     *        of them, the last for values above every bound; read during the call only
     * @param sum the sum of the values
     * @param min the least value, NaN when there is none
     * @param max the greatest value, NaN when there is none
     * @return this writer
     * @throws IllegalArgumentException if the bounds or the counts are malformed; the point is dropped
     * @since 1.2
     */
    PointWriter histogram(double[] bounds, long[] bucketCounts, double sum, double min, double max);
}
