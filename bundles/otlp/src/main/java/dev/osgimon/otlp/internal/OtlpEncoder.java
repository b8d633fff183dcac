package dev.osgimon.otlp.internal;

import java.util.Arrays;

import dev.osgimon.api.model.Cycle;
import dev.osgimon.api.model.Kind;
import dev.osgimon.api.model.MetricInfo;
import dev.osgimon.api.model.ValueType;
import dev.osgimon.api.transport.CycleEncoder;

/**
 * Encodes each cycle as one {@code ResourceMetrics} entry (field 1 of OTLP's
 * {@code ExportMetricsServiceRequest}, tag and length included), so that any concatenation of
 * encoded cycles is itself a valid request body. One pass over the cycle into a reused buffer; no
 * allocation per cycle once every series has been seen.
 *
 * <ul>
 * <li>Resource: {@code service.name}, {@code service.instance.id}, {@code host.name} (the {@code vm}
 * tag) and the other global tags: the last {@link Cycle#globalTags()} tags of every point (the core
 * appends them to every point, after the source's).</li>
 * <li>Scope {@code dev.osgimon} with the bundle's version.</li>
 * <li>Consecutive points of one measurement are grouped: each field (each name of {@link Names})
 * becomes one {@code Metric} with a data point per point. Gauges are {@code Gauge}, counters
 * monotonic cumulative {@code Sum}s, histograms cumulative {@code Histogram}s with explicit bounds,
 * count, sum, min and max; the source's tags are the attributes.</li>
 * <li>String fields have no OTLP metric type and are left out; booleans are 1 or 0.</li>
 * </ul>
 * The count it returns is the number of data points (the outbox's "lines").
 */
public final class OtlpEncoder implements CycleEncoder {

    /** The format's name in the outbox and spool. */
    public static final String FORMAT = "otlp-protobuf-1";

    /** {@code AGGREGATION_TEMPORALITY_CUMULATIVE}. */
    private static final int CUMULATIVE = 2;

    private static final int K_GAUGE = 0;
    private static final int K_SUM = 1;
    private static final int K_UP_DOWN = 2;
    private static final int K_HISTOGRAM = 3;
    private static final int K_COUNT_SUM = 4;
    private static final int K_SKIP = 5;

    /** Encoded attributes kept by key, value and field: direct-mapped, the first of a slot stays. */
    private static final int KV_CACHE = 4096;

    private final ProtoBuffer out = new ProtoBuffer(64 * 1024);
    private final String[] kvKeys = new String[KV_CACHE];
    private final String[] kvValues = new String[KV_CACHE];
    private final int[] kvFields = new int[KV_CACHE];
    private final byte[][] kvBytes = new byte[KV_CACHE][];
    private final Names names;
    private final String serviceName;
    private final String instanceId;
    private final String scopeVersion;
    private final SeriesStarts starts;

    private Mapping[] slotMapping = new Mapping[64];
    private String[] slotKey = new String[64];
    private int[] slotPoint = new int[64];
    private int[] slotField = new int[64];
    private int[] slotKind = new int[64];
    /** A slot is done when its stamp is the block's: no clearing per block. */
    private int[] done = new int[64];
    private int stamp;
    private int records;

    /**
     * @param names how fields are named: {@code osgimon} or {@code semconv}
     * @param serviceName the resource's {@code service.name}
     * @param instanceId the resource's {@code service.instance.id}
     * @param scopeVersion the scope's version (the bundle's)
     * @param processStartNanos the start of the series seen in the first cycle (the JVM's start)
     */
    public OtlpEncoder(String names, String serviceName, String instanceId, String scopeVersion,
            long processStartNanos) {
        this.names = new Names(Names.Mode.parse(names));
        this.serviceName = serviceName;
        this.instanceId = instanceId;
        this.scopeVersion = scopeVersion;
        this.starts = new SeriesStarts(processStartNanos);
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public byte[] buffer() {
        return out.array();
    }

    @Override
    public int size() {
        return out.size();
    }

    /** @return how many series the start times are kept for */
    int series() {
        return starts.size();
    }

    @Override
    public int encode(Cycle c) {
        out.reset();
        records = 0;
        int n = c.points();
        long now = c.timestampNanos();
        starts.beginCycle(now);
        try {
            if (n == 0) {
                return 0;
            }
            int global = c.globalTags();
            out.beginLarge(1); // ExportMetricsServiceRequest.resource_metrics
            resource(c, global);
            out.beginLarge(2); // ResourceMetrics.scope_metrics
            out.begin(1); // ScopeMetrics.scope
            out.stringField(1, "dev.osgimon");
            out.stringField(2, scopeVersion);
            out.end();
            int p = 0;
            while (p < n) {
                String measurement = c.measurement(p);
                int e = p + 1;
                while (e < n && c.measurement(e).equals(measurement)) {
                    e++;
                }
                block(c, p, e, global, now);
                p = e;
            }
            out.end();
            out.end();
            if (records == 0) {
                out.reset();
            }
            return records;
        } finally {
            starts.endCycle();
        }
    }

    private void resource(Cycle c, int global) {
        out.begin(1); // ResourceMetrics.resource
        attribute(1, "service.name", serviceName);
        attribute(1, "service.instance.id", instanceId);
        int t0 = c.tags(0);
        for (int t = t0 - global; t < t0; t++) {
            String key = c.tagKey(0, t);
            attribute(1, key.equals("vm") ? "host.name" : key, c.tagValue(0, t));
        }
        out.end();
    }

    /**
     * One attribute, a {@code KeyValue}: copied whole from {@link #kvBytes} when this key and value
     * were written before (they are, every cycle), else encoded and, if its slot is free, kept.
     */
    private void attribute(int field, String key, String value) {
        int slot = ((key.hashCode() * 31 + value.hashCode()) * 31 + field) & (KV_CACHE - 1);
        String k = kvKeys[slot];
        if (k != null && kvFields[slot] == field && (k == key || k.equals(key))) {
            String v = kvValues[slot];
            if (v == value || v.equals(value)) {
                out.raw(kvBytes[slot]);
                return;
            }
        }
        int mark = out.size();
        encodeAttribute(field, key, value);
        if (k == null && key.length() + value.length() <= 256) {
            kvKeys[slot] = key;
            kvValues[slot] = value;
            kvFields[slot] = field;
            kvBytes[slot] = out.copy(mark);
        }
    }

    private void encodeAttribute(int field, String key, String value) {
        out.begin(field); // KeyValue
        out.stringField(1, key);
        out.begin(2); // AnyValue
        out.stringField(1, value);
        out.end();
        out.end();
    }

    /** Points {@code [b, e)}, all of one measurement. */
    private void block(Cycle c, int b, int e, int global, long now) {
        int slots = 0;
        for (int q = b; q < e; q++) {
            slots += c.isHistogram(q) ? 1 : c.fields(q);
        }
        ensureSlots(slots);
        String measurement = c.measurement(b);
        int s = 0;
        int known = 0; // fields of the block's first point: later points nearly always repeat their keys
        for (int q = b; q < e; q++) {
            if (c.isHistogram(q)) {
                Mapping m = names.of(measurement, "");
                set(s++, q, -1, m, m.shape() == Mapping.Shape.SKIP ? K_SKIP : K_HISTOGRAM);
            } else {
                for (int f = 0, fields = c.fields(q); f < fields; f++) {
                    String key = c.fieldKey(q, f);
                    Mapping m;
                    if (f < known && slotKey[f] == key) {
                        m = slotMapping[f];
                    } else {
                        m = names.of(measurement, key);
                    }
                    if (q == b) {
                        slotKey[f] = key;
                        known = f + 1;
                    }
                    set(s++, q, f, m, kind(c, q, f, m));
                }
            }
        }
        if (++stamp == 0) {
            Arrays.fill(done, 0);
            stamp = 1;
        }
        for (s = 0; s < slots; s++) {
            if (done[s] == stamp) {
                continue;
            }
            int kind = slotKind[s];
            if (kind == K_SKIP) {
                done[s] = stamp;
                continue;
            }
            metric(c, s, slots, kind, global, now);
        }
    }

    private void set(int s, int point, int field, Mapping m, int kind) {
        slotPoint[s] = point;
        slotField[s] = field;
        slotMapping[s] = m;
        slotKind[s] = kind;
    }

    private static int kind(Cycle c, int q, int f, Mapping m) {
        if (c.type(q, f) == ValueType.STRING) {
            return K_SKIP;
        }
        switch (m.shape()) {
            case SKIP:
                return K_SKIP;
            case GAUGE:
                return K_GAUGE;
            case UP_DOWN:
                return K_UP_DOWN;
            case COUNT_SUM_HISTOGRAM:
                return K_COUNT_SUM;
            default:
                return c.info(q, f).kind() == Kind.COUNTER ? K_SUM : K_GAUGE;
        }
    }

    /** One {@code Metric}: slot {@code first} and every later slot of the block with its name and kind. */
    private void metric(Cycle c, int first, int slots, int kind, int global, long now) {
        Mapping m = slotMapping[first];
        int q = slotPoint[first];
        MetricInfo info = slotField[first] < 0 ? c.histogramInfo(q) : c.info(q, slotField[first]);
        int mark = out.size();
        int before = records;
        out.beginLarge(2); // ScopeMetrics.metrics
        out.stringField(1, m.name());
        String description = m.description() != null ? m.description() : info.description();
        if (!description.isEmpty()) {
            out.stringField(2, description);
        }
        String unit = m.unit() != null ? m.unit() : info.unit();
        if (!unit.isEmpty()) {
            out.stringField(3, unit);
        }
        int data = kind == K_GAUGE ? 5 : kind == K_SUM || kind == K_UP_DOWN ? 7 : 9;
        out.beginLarge(data);
        String name = m.name();
        for (int s = first; s < slots; s++) {
            if (done[s] != stamp && slotKind[s] == kind && slotMapping[s].name().equals(name)) {
                done[s] = stamp;
                int p = slotPoint[s];
                int sourceTags = c.tags(p) - global;
                if (kind == K_HISTOGRAM) {
                    histogramPoint(c, p, sourceTags, slotMapping[s], now);
                } else if (kind == K_COUNT_SUM) {
                    countSumPoint(c, p, slotField[s], sourceTags, slotMapping[s], now);
                } else {
                    numberPoint(c, p, slotField[s], sourceTags, slotMapping[s], kind, now);
                }
            }
        }
        if (kind == K_SUM || kind == K_UP_DOWN) {
            out.varintField(2, CUMULATIVE);
            out.boolField(3, kind == K_SUM);
        } else if (kind != K_GAUGE) {
            out.varintField(2, CUMULATIVE);
        }
        out.end();
        out.end();
        if (records == before) {
            out.rewind(mark);
        }
    }

    private void attributes(int field, Cycle c, int p, int sourceTags, Mapping m) {
        for (int t = 0; t < sourceTags; t++) {
            String key = c.tagKey(p, t);
            attribute(field, m.attributeKey(key), m.attributeValue(key, c.tagValue(p, t)));
        }
        String[] extra = m.extra();
        for (int i = 0; i < extra.length; i += 2) {
            attribute(field, extra[i], extra[i + 1]);
        }
    }

    private void numberPoint(Cycle c, int p, int f, int sourceTags, Mapping m, int kind, long now) {
        out.begin(1); // data_points: NumberDataPoint
        attributes(7, c, p, sourceTags, m);
        if (kind != K_GAUGE) {
            out.fixed64Field(2, starts.start(c, p, sourceTags, c.fieldKey(p, f), c.numeric(p, f), kind == K_SUM));
        }
        out.fixed64Field(3, now);
        double scale = m.scale();
        switch (c.type(p, f)) {
            case LONG:
                if (scale == 1) {
                    out.fixed64Field(6, c.longValue(p, f)); // as_int, sfixed64
                } else {
                    out.doubleField(4, c.longValue(p, f) * scale);
                }
                break;
            case UNSIGNED:
                long u = c.longValue(p, f);
                if (u >= 0 && scale == 1) {
                    out.fixed64Field(6, u);
                } else {
                    out.doubleField(4, c.numeric(p, f) * scale);
                }
                break;
            case BOOLEAN:
                out.fixed64Field(6, c.booleanValue(p, f) ? 1 : 0);
                break;
            default:
                out.doubleField(4, c.doubleValue(p, f) * scale);
                break;
        }
        out.end();
        records++;
    }

    private void histogramPoint(Cycle c, int p, int sourceTags, Mapping m, long now) {
        long count = c.count(p);
        out.begin(1); // data_points: HistogramDataPoint
        attributes(9, c, p, sourceTags, m);
        out.fixed64Field(2, starts.start(c, p, sourceTags, "", count, true));
        out.fixed64Field(3, now);
        out.fixed64Field(4, count);
        out.doubleField(5, c.sum(p) * m.scale());
        int buckets = c.buckets(p);
        out.begin(6); // bucket_counts, packed fixed64
        for (int b = 0; b < buckets; b++) {
            out.fixed64(c.bucketCount(p, b));
        }
        out.end();
        if (buckets > 1) {
            out.begin(7); // explicit_bounds, packed double
            for (int b = 0; b < buckets - 1; b++) {
                out.fixed64(Double.doubleToRawLongBits(c.bound(p, b) * m.scale()));
            }
            out.end();
        }
        double min = c.min(p);
        double max = c.max(p);
        if (count > 0 && !Double.isNaN(min)) {
            out.doubleField(11, min * m.scale());
        }
        if (count > 0 && !Double.isNaN(max)) {
            out.doubleField(12, max * m.scale());
        }
        out.end();
        records++;
    }

    /** A histogram without bounds from a count field and a sum field of the same point. */
    private void countSumPoint(Cycle c, int p, int f, int sourceTags, Mapping m, long now) {
        int countField = -1;
        for (int i = 0, fields = c.fields(p); i < fields; i++) {
            if (c.fieldKey(p, i).equals(m.countField()) && c.type(p, i) != ValueType.STRING) {
                countField = i;
                break;
            }
        }
        if (countField < 0) {
            return;
        }
        long count = (long) c.numeric(p, countField);
        out.begin(1);
        attributes(9, c, p, sourceTags, m);
        out.fixed64Field(2, starts.start(c, p, sourceTags, m.countField(), count, true));
        out.fixed64Field(3, now);
        out.fixed64Field(4, count);
        out.doubleField(5, c.numeric(p, f) * m.scale());
        out.begin(6);
        out.fixed64(count);
        out.end();
        out.end();
        records++;
    }

    private void ensureSlots(int slots) {
        if (slots > slotPoint.length) {
            int n = Math.max(slots, slotPoint.length * 2);
            slotMapping = new Mapping[n];
            slotKey = new String[n];
            slotPoint = new int[n];
            slotField = new int[n];
            slotKind = new int[n];
            done = new int[n];
        }
    }
}
