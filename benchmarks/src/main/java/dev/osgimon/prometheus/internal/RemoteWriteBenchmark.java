package dev.osgimon.prometheus.internal;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;

import dev.osgimon.api.model.Cycle;
import dev.osgimon.api.model.Kind;
import dev.osgimon.api.model.MetricInfo;
import dev.osgimon.api.model.ValueType;

/**
 * Remote-write encoding of one cycle of 1,000 samples (100 points of 5 gauges and 5 counters, labels
 * {@code pool} and {@code vm}), to the snappy-compressed {@code WriteRequest} body a request sends:
 * <ul>
 * <li>{@link #osgimonEncode}: the {@link RemoteWriteEncoder} alone (names, admission, protobuf
 * records), from the structured cycle; {@link #osgimonEncodeAndSnappy} adds our {@link Snappy}.</li>
 * <li>{@link #protobufCodedOutputStream}: protobuf-java at its fastest, the way its generated
 * {@code writeTo} works (sizes first, then {@link CodedOutputStream} into a reused array), from names
 * and labels mapped and sorted in advance (a head start: it does no naming); plus snappy-java (native
 * code) in {@link #protobufCodedOutputStreamAndSnappyJava}. No generated remote-write classes are on
 * Maven Central, so this is the fairest peer: what generated code does, minus its message objects.</li>
 * <li>{@link #protobufDynamicMessage}: building the {@code WriteRequest} as protobuf message objects
 * ({@link DynamicMessage} from the remote-write schema) and serializing it, plus snappy-java: what a
 * client that builds messages pays (generated builders are faster than DynamicMessage, slower than
 * the CodedOutputStream peer).</li>
 * </ul>
 * Time per cycle; with {@code -prof gc} bytes allocated per cycle ({@code gc.alloc.rate.norm}).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar RemoteWriteBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RemoteWriteBenchmark {

    static final int POINTS = 100;
    static final int FIELDS = 10;
    static final long NANOS = 1_700_000_000_123_456_789L;

    private final RemoteWriteEncoder encoder = new RemoteWriteEncoder();
    private final Snappy snappy = new Snappy();
    private BenchCycle cycle;
    private byte[] compressed = new byte[1 << 20];

    /** The peer's input: per sample, sorted label names and values (__name__ included) and the value. */
    private String[][] names;
    private String[][] values;
    private double[] samples;
    private byte[] peerBuf = new byte[1 << 20];
    private byte[] peerCompressed = new byte[1 << 20];
    private Descriptor writeRequest;
    private Descriptor timeSeries;
    private Descriptor label;
    private Descriptor sample;

    @Setup
    public void setup() throws DescriptorValidationException {
        cycle = new BenchCycle();
        names = new String[POINTS * FIELDS][];
        values = new String[POINTS * FIELDS][];
        samples = new double[POINTS * FIELDS];
        for (int p = 0; p < POINTS; p++) {
            for (int f = 0; f < FIELDS; f++) {
                int i = p * FIELDS + f;
                String family = "bench_m" + (p % 10) + "_f" + f + (f % 2 == 1 ? "_total" : "_bytes");
                names[i] = new String[] {"__name__", "pool", "vm"};
                values[i] = new String[] {family, cycle.pool[p], "host-1"};
                samples[i] = f % 2 == 1 ? cycle.longs[i] : cycle.doubles[i];
            }
        }
        FileDescriptorProto file = FileDescriptorProto.newBuilder().setName("remote.proto").setPackage("prometheus")
                .setSyntax("proto3")
                .addMessageType(message("WriteRequest", field("timeseries", 1, FieldDescriptorProto.Type.TYPE_MESSAGE,
                        ".prometheus.TimeSeries", true)))
                .addMessageType(message("TimeSeries",
                        field("labels", 1, FieldDescriptorProto.Type.TYPE_MESSAGE, ".prometheus.Label", true),
                        field("samples", 2, FieldDescriptorProto.Type.TYPE_MESSAGE, ".prometheus.Sample", true)))
                .addMessageType(message("Label", field("name", 1, FieldDescriptorProto.Type.TYPE_STRING, null, false),
                        field("value", 2, FieldDescriptorProto.Type.TYPE_STRING, null, false)))
                .addMessageType(message("Sample", field("value", 1, FieldDescriptorProto.Type.TYPE_DOUBLE, null, false),
                        field("timestamp", 2, FieldDescriptorProto.Type.TYPE_INT64, null, false)))
                .build();
        FileDescriptor fd = FileDescriptor.buildFrom(file, new FileDescriptor[0]);
        writeRequest = fd.findMessageTypeByName("WriteRequest");
        timeSeries = fd.findMessageTypeByName("TimeSeries");
        label = fd.findMessageTypeByName("Label");
        sample = fd.findMessageTypeByName("Sample");
        int records = encoder.encode(cycle);
        int ours = encoder.size();
        int oursCompressed = osgimonEncodeAndSnappy();
        int peer = protobufCodedOutputStream();
        int peerCompressedSize = protobufCodedOutputStreamAndSnappyJava();
        if (peer != ours) {
            throw new IllegalStateException("peer body differs in size: " + peer + " vs " + ours);
        }
        System.out.printf("%n%d samples; WriteRequest %d bytes, snappy: ours %d, snappy-java %d%n", records, ours,
                oursCompressed, peerCompressedSize);
    }

    private static DescriptorProto message(String name, FieldDescriptorProto... fields) {
        DescriptorProto.Builder b = DescriptorProto.newBuilder().setName(name);
        for (FieldDescriptorProto f : fields) {
            b.addField(f);
        }
        return b.build();
    }

    private static FieldDescriptorProto field(String name, int number, FieldDescriptorProto.Type type, String typeName,
            boolean repeated) {
        FieldDescriptorProto.Builder b = FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
                .setLabel(repeated ? FieldDescriptorProto.Label.LABEL_REPEATED : FieldDescriptorProto.Label.LABEL_OPTIONAL);
        if (typeName != null) {
            b.setTypeName(typeName);
        }
        return b.build();
    }

    @Benchmark
    public int osgimonEncode() {
        encoder.encode(cycle);
        return encoder.size();
    }

    @Benchmark
    public int osgimonEncodeAndSnappy() {
        encoder.encode(cycle);
        return snappy.compress(encoder.buffer(), 0, encoder.size(), compressed);
    }

    @Benchmark
    public int protobufCodedOutputStream() {
        long millis = NANOS / 1_000_000;
        CodedOutputStream out = CodedOutputStream.newInstance(peerBuf);
        try {
            for (int i = 0; i < samples.length; i++) {
                String[] n = names[i];
                String[] v = values[i];
                int body = 0;
                for (int l = 0; l < n.length; l++) {
                    int size = CodedOutputStream.computeStringSize(1, n[l]) + CodedOutputStream.computeStringSize(2, v[l]);
                    body += CodedOutputStream.computeTagSize(1) + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
                }
                int sampleSize = CodedOutputStream.computeDoubleSize(1, samples[i]) + CodedOutputStream.computeInt64Size(2, millis);
                body += CodedOutputStream.computeTagSize(2) + CodedOutputStream.computeUInt32SizeNoTag(sampleSize) + sampleSize;
                out.writeTag(1, 2);
                out.writeUInt32NoTag(body);
                for (int l = 0; l < n.length; l++) {
                    out.writeTag(1, 2);
                    out.writeUInt32NoTag(CodedOutputStream.computeStringSize(1, n[l]) + CodedOutputStream.computeStringSize(2, v[l]));
                    out.writeString(1, n[l]);
                    out.writeString(2, v[l]);
                }
                out.writeTag(2, 2);
                out.writeUInt32NoTag(sampleSize);
                out.writeDouble(1, samples[i]);
                out.writeInt64(2, millis);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.getTotalBytesWritten();
    }

    @Benchmark
    public int protobufCodedOutputStreamAndSnappyJava() {
        int n = protobufCodedOutputStream();
        try {
            return org.xerial.snappy.Snappy.compress(peerBuf, 0, n, peerCompressed, 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Benchmark
    public int protobufDynamicMessage() throws IOException {
        long millis = NANOS / 1_000_000;
        FieldDescriptor tsField = writeRequest.findFieldByNumber(1);
        FieldDescriptor labels = timeSeries.findFieldByNumber(1);
        FieldDescriptor samplesField = timeSeries.findFieldByNumber(2);
        FieldDescriptor labelName = label.findFieldByNumber(1);
        FieldDescriptor labelValue = label.findFieldByNumber(2);
        FieldDescriptor sampleValue = sample.findFieldByNumber(1);
        FieldDescriptor sampleTime = sample.findFieldByNumber(2);
        DynamicMessage.Builder request = DynamicMessage.newBuilder(writeRequest);
        for (int i = 0; i < samples.length; i++) {
            DynamicMessage.Builder ts = DynamicMessage.newBuilder(timeSeries);
            for (int l = 0; l < names[i].length; l++) {
                ts.addRepeatedField(labels, DynamicMessage.newBuilder(label).setField(labelName, names[i][l])
                        .setField(labelValue, values[i][l]).build());
            }
            ts.addRepeatedField(samplesField,
                    DynamicMessage.newBuilder(sample).setField(sampleValue, samples[i]).setField(sampleTime, millis).build());
            request.addRepeatedField(tsField, ts.build());
        }
        byte[] body = request.build().toByteArray();
        return org.xerial.snappy.Snappy.compress(body).length;
    }

    /** 100 points of 5 double gauges (unit By) and 5 long counters, tags pool and vm. */
    static final class BenchCycle implements Cycle {
        final String[] measurement = new String[POINTS];
        final String[] pool = new String[POINTS];
        final String[] fieldKeys = new String[FIELDS];
        final MetricInfo[] infos = new MetricInfo[FIELDS * 10];
        final long[] longs = new long[POINTS * FIELDS];
        final double[] doubles = new double[POINTS * FIELDS];

        record Info(String measurement, String field, Kind kind, String unit) implements MetricInfo {
            public String source() {
                return "bench";
            }

            public String description() {
                return "";
            }

            public boolean declared() {
                return true;
            }
        }

        BenchCycle() {
            for (int f = 0; f < FIELDS; f++) {
                fieldKeys[f] = "f" + f;
            }
            for (int m = 0; m < 10; m++) {
                for (int f = 0; f < FIELDS; f++) {
                    infos[m * FIELDS + f] = new Info("bench_m" + m, fieldKeys[f], f % 2 == 1 ? Kind.COUNTER : Kind.GAUGE,
                            f % 2 == 1 ? "" : "By");
                }
            }
            for (int p = 0; p < POINTS; p++) {
                measurement[p] = "bench_m" + p % 10;
                pool[p] = "pool-" + p;
                for (int f = 0; f < FIELDS; f++) {
                    longs[p * FIELDS + f] = 1_000_000L * p + f;
                    doubles[p * FIELDS + f] = p * 1.5 + f * 0.25 + 0.125;
                }
            }
        }

        public long timestampNanos() {
            return NANOS;
        }

        public int points() {
            return POINTS;
        }

        public String source(int point) {
            return "bench";
        }

        public String measurement(int point) {
            return measurement[point];
        }

        public int tags(int point) {
            return 2;
        }

        public int globalTags() {
            return 1; // vm
        }

        public String tagKey(int point, int tag) {
            return tag == 0 ? "pool" : "vm";
        }

        public String tagValue(int point, int tag) {
            return tag == 0 ? pool[point] : "host-1";
        }

        public int fields(int point) {
            return FIELDS;
        }

        public String fieldKey(int point, int field) {
            return fieldKeys[field];
        }

        public ValueType type(int point, int field) {
            return field % 2 == 1 ? ValueType.LONG : ValueType.DOUBLE;
        }

        public long longValue(int point, int field) {
            return longs[point * FIELDS + field];
        }

        public double doubleValue(int point, int field) {
            return doubles[point * FIELDS + field];
        }

        public boolean booleanValue(int point, int field) {
            return false;
        }

        public String stringValue(int point, int field) {
            return null;
        }

        public double numeric(int point, int field) {
            return field % 2 == 1 ? longs[point * FIELDS + field] : doubles[point * FIELDS + field];
        }

        public MetricInfo info(int point, int field) {
            return infos[(point % 10) * FIELDS + field];
        }

        public boolean isHistogram(int point) {
            return false;
        }

        public MetricInfo histogramInfo(int point) {
            return null;
        }

        public int buckets(int point) {
            return 0;
        }

        public double bound(int point, int bucket) {
            return 0;
        }

        public long bucketCount(int point, int bucket) {
            return 0;
        }

        public long count(int point) {
            return 0;
        }

        public double sum(int point) {
            return 0;
        }

        public double min(int point) {
            return Double.NaN;
        }

        public double max(int point) {
            return Double.NaN;
        }
    }
}
