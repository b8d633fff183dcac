package dev.osgimon.prometheus.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.google.protobuf.CodedInputStream;

/**
 * Reads a remote-write {@code WriteRequest} body (uncompressed) with protobuf-java's
 * {@link CodedInputStream}, into one line per sample: {@code name{label="value",...} value @millis},
 * the labels in the order they were sent, {@code __name__} among them.
 */
final class RemoteWriteDecoder {

    private RemoteWriteDecoder() {
    }

    static List<String> decode(byte[] b, int off, int len) {
        List<String> out = new ArrayList<>();
        try {
            CodedInputStream in = CodedInputStream.newInstance(b, off, len);
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                if (tag != (1 << 3 | 2)) {
                    throw new IllegalStateException("not a WriteRequest.timeseries field: tag " + tag);
                }
                timeSeries(in.readByteArray(), out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static void timeSeries(byte[] bytes, List<String> out) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        StringBuilder labels = new StringBuilder();
        List<String> samples = new ArrayList<>();
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            if (tag == (1 << 3 | 2)) {
                CodedInputStream label = CodedInputStream.newInstance(in.readByteArray());
                String name = null;
                String value = null;
                while (!label.isAtEnd()) {
                    int t = label.readTag();
                    if (t == (1 << 3 | 2)) {
                        name = label.readStringRequireUtf8();
                    } else if (t == (2 << 3 | 2)) {
                        value = label.readStringRequireUtf8();
                    } else {
                        throw new IllegalStateException("unexpected Label tag " + t);
                    }
                }
                labels.append(labels.length() == 0 ? "" : ",").append(name).append("=\"").append(value).append('"');
            } else if (tag == (2 << 3 | 2)) {
                CodedInputStream sample = CodedInputStream.newInstance(in.readByteArray());
                double value = 0;
                long timestamp = 0;
                while (!sample.isAtEnd()) {
                    int t = sample.readTag();
                    if (t == (1 << 3 | 1)) {
                        value = sample.readDouble();
                    } else if (t == (2 << 3)) {
                        timestamp = sample.readInt64();
                    } else {
                        throw new IllegalStateException("unexpected Sample tag " + t);
                    }
                }
                samples.add(String.format(Locale.ROOT, "%s @%d", value, timestamp));
            } else {
                throw new IllegalStateException("unexpected TimeSeries tag " + tag);
            }
        }
        for (String s : samples) {
            out.add("{" + labels + "} " + s);
        }
    }
}
