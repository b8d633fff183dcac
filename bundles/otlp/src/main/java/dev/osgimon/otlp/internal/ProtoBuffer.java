package dev.osgimon.otlp.internal;

import java.util.Arrays;

import dev.osgimon.wirekit.internal.Utf8;
import dev.osgimon.wirekit.internal.Varint;

/**
 * A protobuf writer into one growable, reused byte array: varints, fixed64, doubles, UTF-8 strings
 * and nested (length-delimited) messages, without allocating once the array is large enough.
 *
 * <p>Nested messages are written in one pass: {@link #begin} writes the field's tag and reserves one
 * byte for the length, {@link #end} writes the length there and, when it needs more than one byte,
 * moves the message's content up to make room. Small messages (attributes, data points) fit one byte.
 * The few large ones (a metric and its data, the scope, the resource metrics) are begun with
 * {@link #beginLarge}, which reserves three bytes: their length is then written in place, as a
 * redundant varint when it is shorter, and nothing is moved.
 *
 * <p>Strings of up to 128 chars are kept as UTF-8 in a direct-mapped table of 4,096 slots (the first
 * string of a slot stays): metric names, attribute keys and tag values repeat every cycle and are then
 * copied instead of encoded again.
 */
final class ProtoBuffer {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LEN = 2;

    /** Strings kept as UTF-8: names, keys and values repeat from cycle to cycle. Direct-mapped by hash. */
    private static final int CACHE = 4096;
    private static final int CACHE_MAX_LENGTH = 128;

    private final String[] cachedStrings = new String[CACHE];
    private final byte[][] cachedBytes = new byte[CACHE][];
    private byte[] buf;
    private int pos;
    /** Bytes reserved for the length of a {@link #beginLarge} message: up to 2 MiB without a move. */
    private static final int LARGE = 3;
    /** A message this short is moved to get a minimal length; a longer one keeps a redundant varint. */
    private static final int MOVE_LIMIT = 256;

    private int[] starts = new int[16];
    private int[] reserved = new int[16];
    private int depth;

    ProtoBuffer(int initialCapacity) {
        buf = new byte[Math.max(64, initialCapacity)];
    }

    void reset() {
        pos = 0;
        depth = 0;
    }

    byte[] array() {
        return buf;
    }

    int size() {
        return pos;
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            long wanted = Math.max((long) buf.length * 2, (long) pos + more);
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("an OTLP record over 2 GiB");
            }
            buf = Arrays.copyOf(buf, (int) wanted);
        }
    }

    void tag(int field, int wireType) {
        varint((field << 3) | wireType);
    }

    void varint(long v) {
        ensure(Varint.MAX_LENGTH);
        pos = Varint.write(buf, pos, v);
    }

    void fixed64(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buf[pos++] = (byte) v;
            v >>>= 8;
        }
    }

    void varintField(int field, long v) {
        tag(field, VARINT);
        varint(v);
    }

    void fixed64Field(int field, long v) {
        tag(field, FIXED64);
        fixed64(v);
    }

    void doubleField(int field, double v) {
        tag(field, FIXED64);
        fixed64(Double.doubleToRawLongBits(v));
    }

    void boolField(int field, boolean v) {
        tag(field, VARINT);
        ensure(1);
        buf[pos++] = (byte) (v ? 1 : 0);
    }

    /**
     * Writes a string field as UTF-8, as {@code String.getBytes(UTF_8)} would: an unpaired surrogate
     * becomes {@code ?}.
     */
    void stringField(int field, String s) {
        tag(field, LEN);
        int slot = s.hashCode() & (CACHE - 1);
        String cached = cachedStrings[slot];
        if (cached != null && (cached == s || cached.equals(s))) {
            byte[] b = cachedBytes[slot];
            varint(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
            return;
        }
        int n = Utf8.length(s);
        varint(n);
        int start = pos;
        utf8(s, n);
        if (cached == null && s.length() <= CACHE_MAX_LENGTH) {
            // the first string of its slot stays (allocated once): no churn when strings collide
            cachedStrings[slot] = s;
            cachedBytes[slot] = Arrays.copyOfRange(buf, start, pos);
        }
    }

    private void utf8(String s, int n) {
        ensure(n);
        pos = Utf8.write(buf, pos, s);
    }


    /** Starts a nested message (or packed field) {@code field}; close it with {@link #end}. */
    void begin(int field) {
        open(field, 1);
    }

    /**
     * Starts a nested message that may be large (a metric, a scope, a resource's metrics): three bytes
     * are reserved for its length, so that {@link #end} need not move it (see there).
     */
    void beginLarge(int field) {
        open(field, LARGE);
    }

    private void open(int field, int reserve) {
        tag(field, LEN);
        ensure(reserve);
        pos += reserve;
        if (depth == starts.length) {
            starts = Arrays.copyOf(starts, depth * 2);
            reserved = Arrays.copyOf(reserved, depth * 2);
        }
        reserved[depth] = reserve;
        starts[depth++] = pos;
    }

    /**
     * Ends the message {@link #begin} or {@link #beginLarge} started last: writes its length before it.
     * A length that needs fewer bytes than were reserved is written minimally and the message moved
     * down when it is short ({@value #MOVE_LIMIT} bytes at most); a longer one keeps the reserved bytes
     * as a redundant varint ({@code 0x80} continuation bytes, which every protobuf parser reads, as
     * Perfetto's protozero writes them), so a large message is never copied. A length that needs more
     * bytes than were reserved moves the message up.
     */
    void end() {
        int start = starts[--depth];
        int reserve = reserved[depth];
        int len = pos - start;
        int n = Varint.size(len);
        int at = start - reserve;
        if (n > reserve) {
            ensure(n - reserve);
            System.arraycopy(buf, start, buf, start + n - reserve, len);
            pos += n - reserve;
        } else if (n < reserve && len <= MOVE_LIMIT) {
            System.arraycopy(buf, start, buf, start - reserve + n, len);
            pos -= reserve - n;
        } else {
            n = reserve;
        }
        int v = len;
        for (int i = 0; i < n - 1; i++) {
            buf[at++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[at] = (byte) v;
    }

    /** Copies bytes as they are (a message encoded before). */
    void raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
    }

    /** @return a copy of what was written since {@code mark} */
    byte[] copy(int mark) {
        return Arrays.copyOfRange(buf, mark, pos);
    }

    /** Drops what was written since {@code mark} (a value of {@link #size()}). */
    void rewind(int mark) {
        pos = mark;
    }
}
