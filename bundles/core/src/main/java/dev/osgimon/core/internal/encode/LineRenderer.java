package dev.osgimon.core.internal.encode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Renders a cycle ({@link CycleBuffer}, the {@link dev.osgimon.api.model.Cycle} observers get) in the
 * Influx line protocol into a reusable byte buffer: one line per
 * point, every line with the cycle's timestamp; a histogram point as its bucket rows
 * {@code <m>_bucket,<tags>,le=<bound> count=<cumulative>i} ({@code le=+Inf} last) and then
 * {@code <m>,<tags> count=<n>i,sum=<s>,min=<m>,max=<m>} (min and max left out while the count is 0).
 *
 * <p>The cycle's points were checked when written; the renderer reads the buffer's arrays and each
 * point's shape, and only escapes and converts as {@link KeyRules} says. A point that repeats the
 * measurement and the tag values (the same String objects) of the last point of its measurement is
 * written from that point's bytes up to its fields; its field keys, when it has that point's shape
 * (or as far as it repeats that point's keys, the same String at the same place), each as
 * {@code ' '} or {@code ','}, the escaped key and {@code '='} in one copy; other escaped names and
 * constant tag values come from small caches. The buffer grows as needed and is kept, so a steady
 * cycle allocates nothing. Not thread-safe.
 */
public final class LineRenderer {

    private static final byte[] BUCKET = "_bucket".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LE = ",le=".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INF = "+Inf".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COUNT = " count=".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SUM = ",sum=".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MIN = ",min=".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAX = ",max=".getBytes(StandardCharsets.US_ASCII);
    /** A byte array read and written 8 bytes at a time: short copies without an arraycopy call. */
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** The most bytes {@link #copyShort} copies. */
    private static final int SHORT = 16;

    private byte[] buf;
    private int pos;
    private int lines;
    private boolean uintSupport;
    /** The end of every line: ' ', the cycle's timestamp and '\n' (at most 22 bytes, copied as 3 words). */
    private final byte[] lineEnd = new byte[24];
    private int lineEndLength;

    /** Per measurement slot, the last point's line up to its fields. */
    private final Prefix[] prefixes = new Prefix[256];
    /** Escaped bytes of measurement names and keys seen before: they are nearly always constants. */
    private final NameCache measurements = new NameCache(false, 256);
    private final NameCache keys = new NameCache(true, 512);
    private final NameCache tagValues = new NameCache(true, 1024);

    /**
     * Creates a renderer.
     *
     * @param initialCapacity the first buffer size in bytes
     */
    public LineRenderer(int initialCapacity) {
        buf = new byte[Math.max(64, initialCapacity)];
    }

    /**
     * Writes unsigned integers with {@code u} (on) or as signed integers clamped to
     * {@link Long#MAX_VALUE} (off).
     *
     * @param on whether the target understands {@code u}
     */
    public void uintSupport(boolean on) {
        uintSupport = on;
    }

    /**
     * Renders every point of a cycle, replacing what the buffer held.
     *
     * @param cycle the cycle, read through its arrays
     */
    public void render(CycleBuffer cycle) {
        pos = 0;
        lines = 0;
        lineEnd[0] = ' ';
        lineEndLength = Digits.writeLong(cycle.timestamp, lineEnd, 1) + 1;
        lineEnd[lineEndLength - 1] = '\n';
        int n = cycle.points;
        int[] histStart = cycle.histStart;
        for (int p = 0; p < n; p++) {
            if (histStart[p + 1] > histStart[p]) {
                histogram(cycle, p);
            } else {
                point(cycle, p);
            }
        }
    }

    /** @return the rendered bytes, valid up to {@link #size()} */
    public byte[] buffer() {
        return buf;
    }

    /** @return the number of bytes rendered */
    public int size() {
        return pos;
    }

    /** @return the number of lines rendered */
    public int lines() {
        return lines;
    }

    /** @return the rendered lines as text (allocates; for previews and listeners of text) */
    public String text() {
        return new String(buf, 0, pos, StandardCharsets.UTF_8);
    }

    /** The most bytes a number or boolean value takes. */
    private static final int MAX_NUMBER = Math.max(ShortestDouble.MAX_LENGTH, Digits.MAX_LONG_LENGTH + 1);

    /** The most bytes a field takes whose key is copied short: the copy, then a number or boolean. */
    private static final int FIELD_ROOM = SHORT + MAX_NUMBER;

    /**
     * Writes a point's line. The position and buffer stay in locals through the fields: the room for
     * every field still to come ({@link #FIELD_ROOM} each) and the line end is made once, and again
     * only after what may take more (a long key, a key written anew, a string value).
     */
    private void point(CycleBuffer c, int p) {
        CycleBuffer.Shape shape = c.pointShapes[p];
        Prefix pf = prefix(c, p, shape);
        String[] fieldKeys = shape.fieldKeys;
        byte[] types = shape.fieldTypes;
        long[] bits = c.fieldBits;
        int from = c.fieldStart[p];
        int to = c.fieldStart[p + 1];
        // the field keys of the measurement's last point, as far as this point repeats them
        int known = pf.fields;
        // the same shape as the measurement's last point: every key is known, none is compared
        boolean sameShape = pf.fieldShape == shape;
        String[] lastKeys = pf.fieldKeys;
        int[] keyEnds = pf.keyEnds;
        byte[] keyBytes = pf.keyBytes;
        ensure((to - from) * FIELD_ROOM + lineEnd.length);
        byte[] b = buf;
        int q = pos;
        int a = 0; // where key i starts in keyBytes
        for (int f = from; f < to; f++) {
            int i = f - from;
            if (sameShape || i < known && lastKeys[i] == fieldKeys[i]) {
                // ' ' or ',', the escaped key and '=' in one copy
                int end = keyEnds[i];
                int len = end - a;
                if (len <= SHORT) {
                    copyShort(keyBytes, a, b, q);
                } else {
                    pos = q;
                    ensure(len + (to - f) * FIELD_ROOM + lineEnd.length);
                    b = buf;
                    System.arraycopy(keyBytes, a, b, q, len);
                }
                q += len;
                a = end;
            } else {
                known = i; // this key and every later one are remembered anew
                pos = q;
                putKey(pf, i, fieldKeys[i]);
                ensure((to - f) * FIELD_ROOM + lineEnd.length);
                b = buf;
                q = pos;
            }
            long v = bits[f];
            byte type = types[i];
            if (type == FieldTypes.INTEGER || type == FieldTypes.UNSIGNED) {
                // one digit writer for both: a smaller loop body than one per case
                byte suffix = 'i';
                if (type == FieldTypes.UNSIGNED) {
                    if (uintSupport) {
                        suffix = 'u';
                    } else if (v < 0) {
                        v = Long.MAX_VALUE; // clamped
                    }
                }
                q = suffix == 'u' && v < 0 ? Digits.writeUnsigned(v, b, q) : Digits.writeLong(v, b, q);
                b[q++] = suffix;
            } else if (type == FieldTypes.FLOAT) {
                q = ShortestDouble.write(Double.longBitsToDouble(v), b, q);
            } else if (type == FieldTypes.BOOLEAN) {
                b[q++] = v != 0 ? (byte) 't' : (byte) 'f';
            } else {
                pos = q;
                putString(c.fieldStrings[f]);
                ensure((to - f) * FIELD_ROOM + lineEnd.length);
                b = buf;
                q = pos;
            }
        }
        pos = q;
        pf.fieldShape = shape;
        endLine();
    }

    /** Writes field key {@code i}, with the ' ' or ',' before it and the '=' after it, and remembers it. */
    private void putKey(Prefix pf, int i, String key) {
        int start = pos;
        put(i == 0 ? (byte) ' ' : (byte) ',');
        putName(key, keys);
        put((byte) '=');
        pf.rememberField(i, key, buf, start, pos - start);
    }

    private void histogram(CycleBuffer c, int p) {
        int start = pos;
        Prefix pf = prefix(c, p, c.pointShapes[p]);
        pos = start; // the prefix is in pf: each row takes it from there
        int from = c.poolStart[p];
        int to = c.poolStart[p + 1];
        long[] counts = c.bucketCounts;
        double[] bounds = c.bucketBounds;
        int tagsLength = pf.length - pf.measurementEnd;
        long cumulative = 0;
        for (int b = from; b < to; b++) {
            cumulative += counts[b];
            putBytes(pf.bytes, pf.measurementEnd);
            putBytes(BUCKET, BUCKET.length);
            ensure(tagsLength);
            System.arraycopy(pf.bytes, pf.measurementEnd, buf, pos, tagsLength);
            pos += tagsLength;
            putBytes(LE, LE.length);
            double bound = bounds[b];
            if (Double.isFinite(bound)) {
                putDouble(bound);
            } else {
                putBytes(INF, INF.length);
            }
            putBytes(COUNT, COUNT.length);
            putLong(cumulative);
            put((byte) 'i');
            endLine();
        }
        int h = c.histStart[p];
        putBytes(pf.bytes, pf.length);
        putBytes(COUNT, COUNT.length);
        long count = c.histCount[h];
        putLong(count);
        put((byte) 'i');
        double sum = c.histSum[h];
        if (Double.isFinite(sum)) {
            putBytes(SUM, SUM.length);
            putDouble(sum);
        }
        if (count > 0) {
            double min = c.histMin[h];
            double max = c.histMax[h];
            if (Double.isFinite(min)) {
                putBytes(MIN, MIN.length);
                putDouble(min);
            }
            if (Double.isFinite(max)) {
                putBytes(MAX, MAX.length);
                putDouble(max);
            }
        }
        endLine();
    }

    private void endLine() {
        ensure(24);
        byte[] b = buf;
        int q = pos;
        byte[] e = lineEnd;
        WORDS.set(b, q, (long) WORDS.get(e, 0));
        WORDS.set(b, q + 8, (long) WORDS.get(e, 8));
        WORDS.set(b, q + 16, (long) WORDS.get(e, 16));
        pos = q + lineEndLength;
        lines++;
    }

    /**
     * Copies up to {@link #SHORT} bytes as two 8-byte words: both arrays have {@link #SHORT} bytes
     * from their offsets, and the bytes written beyond the copy are overwritten by what follows.
     */
    private static void copyShort(byte[] from, int at, byte[] to, int q) {
        WORDS.set(to, q, (long) WORDS.get(from, at));
        WORDS.set(to, q + 8, (long) WORDS.get(from, at + 8));
    }

    /**
     * Writes the point's measurement, own tags and global tags, and leaves them in that
     * measurement's {@link Prefix}: in one copy when the point repeats the tags of the last point
     * of its measurement (the same String objects, the same global tags).
     */
    private Prefix prefix(CycleBuffer c, int p, CycleBuffer.Shape shape) {
        String m = shape.measurement;
        String[] tagKeys = shape.tagKeys;
        int from = c.tagStart[p];
        int tags = tagKeys.length;
        int slot = m.hashCode() & (prefixes.length - 1);
        Prefix pf = prefixes[slot];
        if (pf != null && pf.measurement == m && pf.tags == tags && pf.globals == c.globalKeys
                && pf.repeats(tagKeys, c.tagValues, from)) {
            putBytes(pf.bytes, pf.length);
            return pf;
        }
        if (pf == null) {
            pf = prefixes[slot] = new Prefix();
        }
        writePrefix(c, m, tagKeys, from, pf);
        return pf;
    }

    /**
     * Writes the prefix of a point that does not repeat its measurement's last one: from that
     * one's bytes as far as it repeats its tags, then tag by tag.
     */
    private void writePrefix(CycleBuffer c, String m, String[] tagKeys, int from, Prefix pf) {
        int tags = tagKeys.length;
        String[] tagValues = c.tagValues;
        String[] globalKeys = c.globalKeys;
        int start = pos;
        int same = 0;
        if (pf.globals == globalKeys && (pf.measurement == m || m.equals(pf.measurement))) {
            int max = Math.min(tags, pf.tags);
            String[] keys = pf.keys;
            String[] values = pf.values;
            while (same < max && keys[same] == tagKeys[same] && values[same] == tagValues[from + same]) {
                same++;
            }
            putBytes(pf.bytes, same == 0 ? pf.measurementEnd : pf.tagEnds[same - 1]);
        } else {
            putName(m, measurements);
            pf.fields = 0;
            pf.fieldShape = null;
            pf.measurementEnd = pos - start;
            pf.globals = globalKeys;
        }
        pf.measurement = m;
        pf.ensure(tags);
        for (int t = same; t < tags; t++) {
            String key = tagKeys[t];
            String value = tagValues[from + t];
            putTag(key, value);
            pf.keys[t] = key;
            pf.values[t] = value;
            pf.tagEnds[t] = pos - start;
        }
        pf.tags = tags;
        String[] globalValues = c.globalValues;
        for (int g = 0; g < globalKeys.length; g++) {
            putTag(globalKeys[g], globalValues[g]);
        }
        int length = pos - start;
        if (pf.bytes.length < length) {
            pf.bytes = new byte[Math.max(length, 2 * pf.bytes.length)];
        }
        System.arraycopy(buf, start, pf.bytes, 0, length);
        pf.length = length;
    }

    private void putTag(String key, String value) {
        put((byte) ',');
        putName(key, keys);
        put((byte) '=');
        putName(value, tagValues);
    }

    /** A measurement's last line up to its fields, with the tags (by identity) it was written from. */
    private static final class Prefix {
        String measurement;
        /** The global tag keys the bytes were written with (a new array when they change). */
        String[] globals;
        /** How many of the point's own tags the bytes hold; the global tags follow them. */
        int tags;
        String[] keys = new String[8];
        String[] values = new String[8];
        /** Where each tag ends in {@link #bytes}. */
        int[] tagEnds = new int[8];
        int measurementEnd;
        byte[] bytes = new byte[64];
        int length;
        /** How many field keys of the measurement's last point {@link #keyBytes} holds. */
        int fields;
        /** The shape whose field keys {@link #keyBytes} holds, all of them (null while unsure). */
        CycleBuffer.Shape fieldShape;
        String[] fieldKeys = new String[8];
        /** Each field key as written, with the ' ' or ',' before it and the '=' after it. */
        byte[] keyBytes = new byte[64];
        /** Where each field key ends in {@link #keyBytes}. */
        int[] keyEnds = new int[8];

        /**
         * Whether the point's own tags (keys from its shape, values from {@code from}) are this
         * prefix's, by identity (as many, checked before).
         */
        boolean repeats(String[] tagKeys, String[] tagValues, int from) {
            for (int t = 0; t < tags; t++) {
                if (keys[t] != tagKeys[t] || values[t] != tagValues[from + t]) {
                    return false;
                }
            }
            return true;
        }

        void ensure(int n) {
            if (keys.length < n) {
                int size = Math.max(n, 2 * keys.length);
                keys = Arrays.copyOf(keys, size);
                values = Arrays.copyOf(values, size);
                tagEnds = Arrays.copyOf(tagEnds, size);
            }
        }

        /** Remembers field key {@code i} of the last point, and forgets the ones after it. */
        void rememberField(int i, String key, byte[] from, int at, int len) {
            if (fieldKeys.length <= i) {
                int size = Math.max(i + 1, 2 * fieldKeys.length);
                fieldKeys = Arrays.copyOf(fieldKeys, size);
                keyEnds = Arrays.copyOf(keyEnds, size);
            }
            int a = i == 0 ? 0 : keyEnds[i - 1];
            if (keyBytes.length < a + len + SHORT) { // copyShort reads SHORT bytes from any key
                keyBytes = Arrays.copyOf(keyBytes, Math.max(a + len + SHORT, 2 * keyBytes.length));
            }
            System.arraycopy(from, at, keyBytes, a, len);
            fieldKeys[i] = key;
            keyEnds[i] = a + len;
            fields = i + 1;
        }
    }

    // ---- bytes --------------------------------------------------------------------------------

    private void ensure(int extra) {
        if (pos + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + extra));
        }
    }

    private void put(byte b) {
        if (pos == buf.length) {
            ensure(1);
        }
        buf[pos++] = b;
    }

    private void putBytes(byte[] bytes, int len) {
        ensure(len);
        System.arraycopy(bytes, 0, buf, pos, len);
        pos += len;
    }

    private void putLong(long v) {
        ensure(Digits.MAX_LONG_LENGTH);
        pos = Digits.writeLong(v, buf, pos);
    }

    /** Writes a finite double as the shortest decimal that reads back as the same double. */
    private void putDouble(double v) {
        ensure(ShortestDouble.MAX_LENGTH);
        pos = ShortestDouble.write(v, buf, pos);
    }

    /** Writes a string field value: quoted, quotes and backslashes escaped, line breaks as spaces. */
    private void putString(String value) {
        int n = value.length();
        ensure(n + 2);
        byte[] b = buf;
        int p = pos;
        b[p++] = '"';
        int i = 0;
        for (; i < n; i++) {
            char c = value.charAt(i);
            if (c >= 0x80 || c < ' ' || c == '"' || c == '\\') {
                break;
            }
            b[p++] = (byte) c;
        }
        pos = p;
        for (; i < n; i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                put((byte) '\\');
                put((byte) c);
            } else if (c == '\n' || c == '\r') {
                put((byte) ' ');
            } else {
                i = putChar(value, i, c);
            }
        }
        put((byte) '"');
    }

    /**
     * Writes a name or tag value with line-protocol escapes: measurement names escape comma and
     * space; keys and tag values also escape '='. Line breaks become escaped spaces, backslashes slashes.
     */
    private void putEscaped(String s, boolean escapeEquals) {
        int n = s.length();
        ensure(3 * n + 1);
        byte[] b = buf;
        int p = pos;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                switch (KeyRules.ASCII[c]) {
                    case KeyRules.PLAIN:
                        b[p++] = (byte) c;
                        break;
                    case KeyRules.ESCAPE:
                        b[p++] = '\\';
                        b[p++] = (byte) c;
                        break;
                    case KeyRules.EQUALS:
                        if (escapeEquals) {
                            b[p++] = '\\';
                        }
                        b[p++] = '=';
                        break;
                    case KeyRules.BREAK:
                        b[p++] = '\\';
                        b[p++] = ' ';
                        break;
                    default:
                        // InfluxDB and Telegraf read a backslash here literally, QuestDB as an escape,
                        // and none can read one before a separator: it becomes a slash
                        b[p++] = '/';
                }
            } else {
                pos = p;
                i = putChar(s, i, c);
                p = pos;
            }
        }
        pos = p;
    }

    /**
     * Writes a measurement, key or tag value from the cache when it was seen before. A string is
     * encoded into the cache only the second time in a row it is seen in its slot, so a value that
     * changes every time (a high-cardinality tag) costs no allocation, while constants are copied.
     */
    private void putName(String name, NameCache cache) {
        int i = name.hashCode() & cache.mask;
        String cached = cache.names[i];
        if (cached == name || (cached != null && cached.equals(name))) {
            byte[] bytes = cache.bytes[i];
            if (bytes != null) {
                putBytes(bytes, bytes.length);
                return;
            }
            int start = pos;
            putEscaped(name, cache.escapeEquals);
            cache.bytes[i] = Arrays.copyOfRange(buf, start, pos);
            return;
        }
        cache.names[i] = name;
        cache.bytes[i] = null;
        putEscaped(name, cache.escapeEquals);
    }

    /** A direct-mapped cache of escaped strings. */
    private static final class NameCache {
        final boolean escapeEquals;
        final int mask;
        final String[] names;
        final byte[][] bytes;

        NameCache(boolean escapeEquals, int size) {
            this.escapeEquals = escapeEquals;
            this.mask = size - 1;
            this.names = new String[size];
            this.bytes = new byte[size][];
        }
    }

    /** Writes one char (or a surrogate pair) as UTF-8; returns the index of the last char used. */
    private int putChar(String s, int i, char c) {
        if (c < 0x80) {
            put((byte) c);
        } else if (c < 0x800) {
            ensure(2);
            buf[pos++] = (byte) (0xC0 | (c >> 6));
            buf[pos++] = (byte) (0x80 | (c & 0x3F));
        } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            int cp = Character.toCodePoint(c, s.charAt(i + 1));
            ensure(4);
            buf[pos++] = (byte) (0xF0 | (cp >> 18));
            buf[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            buf[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            buf[pos++] = (byte) (0x80 | (cp & 0x3F));
            return i + 1;
        } else if (Character.isSurrogate(c)) {
            put((byte) '?');
        } else {
            ensure(3);
            buf[pos++] = (byte) (0xE0 | (c >> 12));
            buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
            buf[pos++] = (byte) (0x80 | (c & 0x3F));
        }
        return i;
    }
}
