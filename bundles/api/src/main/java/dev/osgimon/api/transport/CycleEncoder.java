package dev.osgimon.api.transport;

import org.osgi.annotation.versioning.ConsumerType;

import dev.osgimon.api.model.Cycle;

/**
 * Encodes each cycle into a push format other than Influx line protocol, for the core's one outbox
 * and spool. A {@link TransportFactory} whose writers speak such a format returns one from
 * {@link TransportFactory#encoder}; the core then encodes every cycle with it on the collector thread
 * and keeps the bytes, in order, until the factory's {@link LineWriter} delivered them.
 *
 * <p><b>Records concatenate.</b> The bytes of one cycle are whole <em>records</em>, and any sequence
 * of whole records, from one cycle or from many, concatenated, must be a valid payload for the writer
 * (the outbox hands a writer several cycles at once when it sends a backlog). Protobuf messages with
 * one repeated top-level field have this property: e.g. the {@code timeseries} entries of a
 * Prometheus {@code WriteRequest}, or the {@code resource_metrics} of an OTLP
 * {@code ExportMetricsServiceRequest}. Compression belongs to the writer, never to the records.
 *
 * <p><b>Format.</b> Batches are stored with {@link #format()}: a writer is only ever handed batches
 * of its own factory's format. Batches of another format still waiting when the target changes to a
 * different format are dropped and counted, never sent to a target that cannot read them.
 *
 * <p>Threads: an encoder is used by one collector thread at a time; the core creates one per
 * collector thread and target. It may keep buffers between calls (it should, to allocate nothing per
 * cycle).
 */
@ConsumerType
public interface CycleEncoder {

    /**
     * The format's name, stable across releases and restarts: the disk spool stores it with every
     * batch, e.g. {@code prometheus-remote-write-1}, {@code otlp-protobuf-1}. Lower case letters,
     * digits and {@code -}, at most 32 characters. {@code influx-line} is the core's own and
     * reserved.
     *
     * @return the format
     */
    String format();

    /**
     * Encodes one cycle. The bytes are read from {@link #buffer()} before the next call.
     *
     * @param cycle the cycle, valid during the call only
     * @return how many records (the unit the outbox counts as "lines": samples, data points)
     *         {@code buffer()[0, size())} holds; 0 when the cycle has nothing to send
     */
    int encode(Cycle cycle);

    /** @return the bytes of the last {@link #encode}, from index 0 */
    byte[] buffer();

    /** @return how many bytes of {@link #buffer()} the last {@link #encode} wrote */
    int size();
}
