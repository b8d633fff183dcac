package dev.osgimon.prometheus.internal;

import dev.osgimon.api.model.Cycle;
import dev.osgimon.api.model.Kind;
import dev.osgimon.api.model.MetricInfo;
import dev.osgimon.api.model.ValueType;
import dev.osgimon.api.transport.CycleEncoder;
import dev.osgimon.wirekit.internal.Utf8;
import dev.osgimon.wirekit.internal.Varint;

/**
 * Encodes a cycle as Prometheus remote write 1.0 records: each series is one {@code timeseries}
 * entry (field 1) of a {@code WriteRequest}, so any sequence of records is a valid
 * {@code WriteRequest} body (before the writer's snappy compression).
 *
 * <pre>
 * WriteRequest { repeated TimeSeries timeseries = 1; }
 * TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 * Label        { string name = 1; string value = 2; }
 * Sample       { double value = 1; int64 timestamp = 2; }  // milliseconds since the epoch
 * </pre>
 *
 * <p>Names, labels and which series are sent follow the scrape endpoint's rules ({@link Naming},
 * {@link Admission}): a counter's sample is {@code <family>_total}; a histogram gives
 * {@code <family>_bucket} series with a cumulative count per {@code le}, {@code <family>_sum} and
 * {@code <family>_count}; booleans are 1 or 0; string fields are left out (Prometheus has no string
 * values). Labels are sorted by name, byte-wise, {@code __name__} among them, as the protocol
 * requires; each series carries one sample at the cycle's timestamp.
 *
 * <p>Writes into a buffer it keeps: a cycle like the last one is encoded without allocating. One
 * collector thread at a time.
 */
final class RemoteWriteEncoder implements CycleEncoder {

    /** The format name stored with every spooled batch. */
    static final String FORMAT = "prometheus-remote-write-1";

    private static final String NAME = "__name__";

    private final Naming naming = new Naming();
    private final Admission admission = new Admission(naming, "not sent by remote write");
    private byte[] buf = new byte[16 * 1024];
    private int size;

    /** The current point's labels, sorted by name, with their encoded sizes. */
    private String[] names = new String[16];
    private String[] values = new String[16];
    private int[] labelSizes = new int[16];
    private int tags;
    /** The bytes of the current point's labels, as written into every series of it. */
    private int tagBytes;

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public int encode(Cycle cycle) {
        size = 0;
        int records = 0;
        long millis = Math.floorDiv(cycle.timestampNanos(), 1_000_000L);
        admission.begin(cycle);
        try {
            for (int p = 0; p < cycle.points(); p++) {
                boolean histogram = cycle.isHistogram(p);
                String problem = admission.tagProblem(p, histogram);
                long labelHash = admission.labelHash(p);
                if (problem == null) {
                    labels(cycle, p);
                }
                if (histogram) {
                    MetricInfo info = cycle.histogramInfo(p);
                    Naming.Mapped m = naming.mapped(cycle.measurement(p), "", Kind.HISTOGRAM, info.unit());
                    if (admission.admit(m, p, labelHash, problem)) {
                        records += histogram(cycle, p, m, millis);
                    }
                    continue;
                }
                for (int f = 0; f < cycle.fields(p); f++) {
                    ValueType type = cycle.type(p, f);
                    if (type == ValueType.STRING) {
                        continue;
                    }
                    Kind kind = cycle.info(p, f).kind() == Kind.COUNTER ? Kind.COUNTER : Kind.GAUGE;
                    Naming.Mapped m = naming.mapped(cycle.measurement(p), cycle.fieldKey(p, f), kind, cycle.info(p, f).unit());
                    if (admission.admit(m, p, labelHash, problem)) {
                        series(m.samples()[0], null, value(cycle, p, f, type), millis);
                        records++;
                    }
                }
            }
        } finally {
            admission.begin(null);
        }
        return records;
    }

    @Override
    public byte[] buffer() {
        return buf;
    }

    @Override
    public int size() {
        return size;
    }

    private static double value(Cycle cycle, int p, int f, ValueType type) {
        switch (type) {
            case DOUBLE:
                return cycle.doubleValue(p, f);
            case BOOLEAN:
                return cycle.booleanValue(p, f) ? 1 : 0;
            case UNSIGNED:
                return unsigned(cycle.longValue(p, f));
            default:
                return cycle.longValue(p, f);
        }
    }

    /** An unsigned 64-bit value as the nearest double (as Prometheus' text parser reads its digits). */
    static double unsigned(long v) {
        if (v >= 0) {
            return v;
        }
        // halve keeping the lowest bit as a sticky bit, so that rounding is that of the full value
        return ((v >>> 1) | (v & 1)) * 2.0;
    }

    private int histogram(Cycle cycle, int p, Naming.Mapped m, long millis) {
        int buckets = cycle.buckets(p);
        long cumulative = 0;
        for (int b = 0; b < buckets; b++) {
            cumulative += cycle.bucketCount(p, b);
            series(m.samples()[0], naming.le(cycle.bound(p, b)), cumulative, millis);
        }
        series(m.samples()[1], null, cycle.sum(p), millis);
        series(m.samples()[2], null, cycle.count(p), millis);
        return buckets + 2;
    }

    /** Takes the labels of point {@code p}: mapped, sorted by name, sized. */
    private void labels(Cycle cycle, int p) {
        int n = cycle.tags(p);
        if (names.length < n) {
            int c = Math.max(n, names.length * 2);
            names = new String[c];
            values = new String[c];
            labelSizes = new int[c];
        }
        tagBytes = 0;
        for (int t = 0; t < n; t++) {
            String name = naming.label(cycle.tagKey(p, t));
            String value = cycle.tagValue(p, t);
            int size = labelSize(name, value);
            int i = t;
            while (i > 0 && names[i - 1].compareTo(name) > 0) {
                names[i] = names[i - 1];
                values[i] = values[i - 1];
                labelSizes[i] = labelSizes[i - 1];
                i--;
            }
            names[i] = name;
            values[i] = value;
            labelSizes[i] = size;
            tagBytes += 1 + Varint.size(size) + size;
        }
        tags = n;
    }

    /** The size of a {@code Label} message (without its tag and length). */
    private static int labelSize(String name, String value) {
        int nb = Utf8.length(name);
        int vb = Utf8.length(value);
        return 2 + Varint.size(nb) + nb + Varint.size(vb) + vb;
    }

    /**
     * One {@code timeseries} record of the current point: its labels, {@code __name__} and
     * {@code le} (when not null) in name order (byte-wise: label names are ASCII, so
     * {@code compareTo} is byte order), and one sample.
     */
    private void series(String name, String le, double value, long millis) {
        int nameSize = labelSize(NAME, name);
        int body = tagBytes + 1 + Varint.size(nameSize) + nameSize;
        int leSize = 0;
        if (le != null) {
            leSize = labelSize("le", le);
            body += 1 + Varint.size(leSize) + leSize;
        }
        int sample = 1 + 8 + 1 + Varint.size(millis);
        body += 1 + Varint.size(sample) + sample;
        ensure(1 + 5 + body);
        byte[] b = buf;
        int o = size;
        b[o++] = 0x0A; // WriteRequest.timeseries
        o = Varint.write(b, o, body);
        boolean nameDone = false;
        boolean leDone = le == null;
        for (int i = 0; i <= tags; i++) {
            String next = i < tags ? names[i] : null;
            if (!nameDone && (next == null || NAME.compareTo(next) < 0)) {
                o = label(b, o, NAME, name, nameSize);
                nameDone = true;
            }
            if (!leDone && (next == null || "le".compareTo(next) < 0)) {
                o = label(b, o, "le", le, leSize);
                leDone = true;
            }
            if (next != null) {
                o = label(b, o, next, values[i], labelSizes[i]);
            }
        }
        b[o++] = 0x12; // TimeSeries.samples
        o = Varint.write(b, o, sample);
        b[o++] = 0x09; // Sample.value, fixed64
        long bits = Double.doubleToRawLongBits(value);
        for (int i = 0; i < 8; i++) {
            b[o++] = (byte) (bits >>> (8 * i));
        }
        b[o++] = 0x10; // Sample.timestamp, varint
        o = Varint.write(b, o, millis);
        size = o;
    }

    private static int label(byte[] b, int o, String name, String value, int size) {
        b[o++] = 0x0A; // TimeSeries.labels
        o = Varint.write(b, o, size);
        b[o++] = 0x0A; // Label.name
        o = Varint.write(b, o, Utf8.length(name));
        o = Utf8.write(b, o, name);
        b[o++] = 0x12; // Label.value
        o = Varint.write(b, o, Utf8.length(value));
        return Utf8.write(b, o, value);
    }

    private void ensure(int more) {
        if (buf.length - size < more) {
            byte[] b = new byte[Math.max(buf.length * 2, size + more)];
            System.arraycopy(buf, 0, b, 0, size);
            buf = b;
        }
    }

}
