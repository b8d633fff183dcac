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
 * <p>Rules, as the line protocol defines them (the writer does the escaping):
 * <ul>
 * <li>tags must come before fields; a tag after a field is an {@link IllegalStateException};</li>
 * <li>a tag with a {@code null} or empty value is left out;</li>
 * <li>a double field that is NaN or infinite is left out;</li>
 * <li>a point that ends up with no field is not written at all;</li>
 * <li>the core adds the cycle's timestamp (nanoseconds) and its global tags (such as
 *     {@code vm=<hostname>}) to every point; a source tag with the key of a global tag is left out.</li>
 * </ul>
 *
 * <p>Implementations do not allocate per point or per field. A writer is not thread-safe.
 */
@ProviderType
public interface PointWriter {

    /**
     * Starts a new point, ending the previous one.
     *
     * @param measurement the measurement name, not empty
     * @return this writer
     */
    PointWriter point(String measurement);

    /**
     * Adds a tag to the current point.
     *
     * @param key the tag key, not empty
     * @param value the tag value; {@code null} or empty leaves the tag out
     * @return this writer
     * @throws IllegalStateException if no point was started or a field was already written
     */
    PointWriter tag(String key, CharSequence value);

    /**
     * Adds a signed 64-bit integer field (written as {@code 42i}).
     *
     * @param key the field key, not empty
     * @param value the value
     * @return this writer
     */
    PointWriter field(String key, long value);

    /**
     * Adds an unsigned 64-bit integer field; {@code value} is read as unsigned. Written with the
     * {@code u} suffix when the core's {@code uintSupport} is on, otherwise as a signed integer
     * clamped to {@link Long#MAX_VALUE}.
     *
     * @param key the field key, not empty
     * @param value the value, read as an unsigned 64-bit integer
     * @return this writer
     */
    PointWriter fieldUnsigned(String key, long value);

    /**
     * Adds a double field. NaN and infinities are left out.
     *
     * @param key the field key, not empty
     * @param value the value
     * @return this writer
     */
    PointWriter field(String key, double value);

    /**
     * Adds a boolean field.
     *
     * @param key the field key, not empty
     * @param value the value
     * @return this writer
     */
    PointWriter field(String key, boolean value);

    /**
     * Adds a string field. {@code null} leaves the field out.
     *
     * @param key the field key, not empty
     * @param value the value; quotes and backslashes are escaped, line breaks become spaces
     * @return this writer
     */
    PointWriter field(String key, CharSequence value);
}
