package dev.osgimon.core.internal.encode;

import java.util.Arrays;

import dev.osgimon.api.PointWriter;

/**
 * Encodes points in the Influx line protocol straight into a reusable byte buffer.
 *
 * <p>One encoder serves one collection cycle at a time: {@link #reset(long)} starts a cycle with
 * its timestamp, sources write points, {@link #finish()} ends the last point. The buffer grows as
 * needed and is kept, so a steady cycle allocates nothing. Not thread-safe.
 */
public final class LineEncoder implements PointWriter {

    /** InfluxDB 1.x system sources: a measurement of that name is stored, but InfluxQL refuses to read it. */
    private static final java.util.Set<String> INFLUX_SYSTEM_SOURCES =
            java.util.Set.of("_measurements", "_series", "_fieldKeys", "_tagKeys", "_tags");

    private static final int NONE = 0;
    private static final int TAGS = 1;
    private static final int FIELDS = 2;
    /** The current point broke a rule: it is dropped, and its remaining tags and fields are ignored. */
    private static final int SKIP = 3;

    /** InfluxDB refuses a series key (measurement and tags) longer than this, in bytes. */
    static final int MAX_SERIES_KEY = 65_535;

    private byte[] buf;
    private int pos;
    private int lines;

    private int state = NONE;
    private int lineStart;
    private int fields;
    private String measurement;
    /** The keys of the current point, to refuse a repeated one. */
    private String[] pointKeys = new String[16];
    /** Their case-folded hashes, compared before the keys themselves. */
    private int[] pointKeyHashes = new int[16];
    /** Their types: {@link #TAG} or a {@link FieldTypes} type. */
    private byte[] pointKeyTypes = new byte[16];
    private static final byte TAG = 0;
    /** Per measurement slot, the keys of the last point that passed every check, in order. */
    private final Shape[] shapes = new Shape[256];
    /** The shape of the current measurement, if it has one. */
    private Shape shape;
    /** How many keys of the current point matched its shape; -1 once it left it (then every key is checked). */
    private int shapeMatched;
    private int pointKeyCount;
    /** The point matches its shape so far and nothing of it is written yet (see {@link #materialize}). */
    private boolean pendingPrefix;
    /** The point's line up to its first field was copied from its shape, which therefore still holds it. */
    private boolean prefixFromShape;
    /** The point repeats its shape's keys with other tag values: the shape takes them at its end. */
    private boolean resaveShape;
    /** Offsets from the line start: after the measurement, after each tag, after the space before the fields. */
    private int measurementEnd;
    private int[] tagEnds = new int[16];
    private int prefixLength;
    /** How many of the point's keys are tags. */
    private int tagCount;
    /** The point's tag values, {@link #NOT_CACHED} for those that are not Strings. */
    private Object[] tagValuesOfPoint = new Object[16];
    private static final Object NOT_CACHED = new Object();
    /**
     * Keys checked before (not empty, not reserved) with their case-folded hash, or {@link #GLOBAL}
     * for a global tag key: nearly always constants.
     */
    private final String[] checkedKeys = new String[512];
    private final int[] checkedHashes = new int[512];
    /** Marks a global tag key in {@link #checkedHashes}; folded hashes never have this bit. */
    private static final int GLOBAL = 1 << 31;
    private final FieldTypes fieldTypes = new FieldTypes(4096);

    private long timestamp;
    private final byte[] timestampBytes = new byte[20];
    private int timestampLen;

    /** Escaped bytes of measurement names and keys seen before: they are nearly always constants. */
    private final NameCache measurements = new NameCache(false, 256);
    private final NameCache keys = new NameCache(true, 512);
    private final NameCache tagValues = new NameCache(true, 1024);

    private byte[] globalTags = new byte[0];
    private String[] globalTagKeys = new String[0];
    private boolean uintSupport;

    /**
     * Creates an encoder.
     *
     * @param initialCapacity the first buffer size in bytes
     */
    public LineEncoder(int initialCapacity) {
        buf = new byte[Math.max(64, initialCapacity)];
    }

    /**
     * Sets the tags added to every point, already in order.
     *
     * @param keys the tag keys
     * @param values the tag values; an empty one leaves its tag out
     */
    public void globalTags(String[] keys, String[] values) {
        LineEncoder scratch = new LineEncoder(64);
        int kept = 0;
        String[] keptKeys = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            if (values[i] == null || values[i].isEmpty()) {
                continue;
            }
            scratch.put((byte) ',');
            scratch.putEscaped(keys[i], true);
            scratch.put((byte) '=');
            scratch.putEscaped(values[i], true);
            keptKeys[kept++] = keys[i];
        }
        globalTags = Arrays.copyOf(scratch.buf, scratch.pos);
        globalTagKeys = Arrays.copyOf(keptKeys, kept);
        Arrays.fill(checkedKeys, null); // which keys are global has changed
        Arrays.fill(shapes, null);
    }

    /**
     * Writes unsigned integers with {@code u} (on) or as clamped signed integers (off).
     *
     * @param on whether the target understands {@code u}
     */
    public void uintSupport(boolean on) {
        uintSupport = on;
    }

    /**
     * Starts a cycle: empties the buffer and sets the timestamp of every point.
     *
     * @param timestampNanos nanoseconds since the epoch
     */
    public void reset(long timestampNanos) {
        pos = 0;
        lines = 0;
        state = NONE;
        timestamp = timestampNanos;
        timestampLen = formatLong(timestampNanos, timestampBytes);
    }

    /** Ends the current point, if any. Call once all sources have written. */
    public void finish() {
        endPoint();
    }

    /**
     * Ends the current point and forgets everything written since {@code mark} (a source failed).
     *
     * @param mark a value of {@link #size()} taken earlier
     * @param linesMark a value of {@link #lines()} taken at the same time
     */
    public void rollback(int mark, int linesMark) {
        state = NONE;
        pos = mark;
        lines = linesMark;
    }

    /** @return the encoded bytes, valid up to {@link #size()} */
    public byte[] buffer() {
        return buf;
    }

    /** @return the number of bytes written this cycle (complete lines once {@link #finish()} ran) */
    public int size() {
        return pos;
    }

    /** @return the number of complete lines written this cycle */
    public int lines() {
        return lines;
    }

    /** @return the cycle's timestamp in nanoseconds */
    public long timestamp() {
        return timestamp;
    }

    @Override
    public PointWriter point(String measurement) {
        endPoint();
        lineStart = pos;
        fields = 0;
        pointKeyCount = 0;
        state = SKIP;
        resaveShape = false;
        prefixFromShape = false;
        Shape sh = measurement == null ? null : shapes[measurement.hashCode() & (shapes.length - 1)];
        this.measurement = measurement;
        if (sh != null && (sh.measurement == measurement || sh.measurement.equals(measurement))) {
            // the last point of this measurement passed every check, its name included; its line
            // up to the first field is written at the first field if the tags repeat it
            shape = sh;
            shapeMatched = 0;
            pendingPrefix = true;
        } else {
            checkMeasurement(measurement);
            shape = null;
            shapeMatched = -1;
            pendingPrefix = false;
            putName(measurement, measurements);
            measurementEnd = pos - lineStart;
        }
        state = TAGS;
        return this;
    }

    private void checkMeasurement(String measurement) {
        requireName(measurement, "measurement");
        char first = measurement.charAt(0);
        if (first == '#') {
            refuse("measurement '" + measurement + "' starts with '#': parsers read the line as a comment");
        }
        if (first == '\t' || first == 0) {
            refuse("measurement '" + measurement + "' starts with a tab or NUL, which InfluxDB skips as white space");
        }
        if (first == '_' && INFLUX_SYSTEM_SOURCES.contains(measurement)) {
            refuse("measurement '" + measurement + "' is an InfluxDB system source: it is stored but no query reads it");
        }
    }

    /**
     * Writes the part of the shape's line the point has repeated so far: the measurement and its
     * first {@code tags} tags. From here on the point is written key by key.
     */
    private void materialize(int tags) {
        Shape sh = shape;
        pendingPrefix = false;
        int end = tags == 0 ? sh.measurementEnd : sh.tagEnds[tags - 1];
        putBytes(sh.prefix, end);
        measurementEnd = sh.measurementEnd;
        ensureKeys(tags);
        System.arraycopy(sh.tagEnds, 0, tagEnds, 0, tags);
        System.arraycopy(sh.values, 0, tagValuesOfPoint, 0, tags);
    }

    @Override
    public PointWriter tag(String key, CharSequence value) {
        if (state != TAGS) {
            if (state == SKIP) {
                return this;
            }
            throw new IllegalStateException(state == NONE ? "tag before point()" : "tag '" + key + "' after a field");
        }
        int matched = shapeMatched;
        if (pendingPrefix) {
            Shape sh = shape;
            if (matched < sh.tags && sh.keys[matched] == key && sh.values[matched] == value) {
                shapeMatched = matched + 1; // the same key and the same String value: the shape's bytes
                return this;
            }
            materialize(matched);
        }
        if (checkKey(key, "tag key", TAG)) {
            return this; // the global tag wins
        }
        int index = shapeMatched >= 0 ? shapeMatched - 1 : pointKeyCount - 1;
        if (shapeMatched >= 0 && shape.values[index] != value) {
            resaveShape = true; // same keys, another value: remember this one
        }
        tagValuesOfPoint[index] = value instanceof String ? value : NOT_CACHED;
        if (value != null && value.length() != 0) {
            put((byte) ',');
            putName(key, keys);
            put((byte) '=');
            if (value instanceof String) {
                putName((String) value, tagValues);
            } else {
                putEscaped(value, true);
            }
        }
        tagEnds[index] = pos - lineStart;
        return this;
    }

    @Override
    public PointWriter field(String key, long value) {
        if (startField(key, FieldTypes.INTEGER)) {
            return this;
        }
        putLong(value);
        put((byte) 'i');
        return this;
    }

    @Override
    public PointWriter fieldUnsigned(String key, long value) {
        if (startField(key, FieldTypes.UNSIGNED)) {
            return this;
        }
        if (uintSupport) {
            putUnsigned(value);
            put((byte) 'u');
        } else {
            putLong(value < 0 ? Long.MAX_VALUE : value);
            put((byte) 'i');
        }
        return this;
    }

    @Override
    public PointWriter field(String key, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            checkFieldState(key);
            return this;
        }
        if (startField(key, FieldTypes.FLOAT)) {
            return this;
        }
        putDouble(value);
        return this;
    }

    @Override
    public PointWriter field(String key, boolean value) {
        if (startField(key, FieldTypes.BOOLEAN)) {
            return this;
        }
        if (value) {
            put((byte) 't');
        } else {
            put((byte) 'f');
        }
        return this;
    }

    @Override
    public PointWriter field(String key, CharSequence value) {
        if (value == null) {
            checkFieldState(key);
            return this;
        }
        if (startField(key, FieldTypes.STRING)) {
            return this;
        }
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
        return this;
    }

    /** Not yet rendered by this encoder: the structured cycle buffer takes histograms. */
    @Override
    public PointWriter histogram(double[] bounds, long[] bucketCounts, double sum, double min, double max) {
        throw new UnsupportedOperationException("histogram points are not supported by this encoder yet");
    }

    private void checkFieldState(String key) {
        if (state == NONE) {
            throw new IllegalStateException("field '" + key + "' before point()");
        }
        if (state != SKIP) {
            requireName(key, "field key");
        }
    }

    /** Writes the key of a field; returns true when the point is being skipped and nothing was written. */
    private boolean startField(String key, byte type) {
        if (state != FIELDS && state != TAGS) {
            if (state == SKIP) {
                return true;
            }
            throw new IllegalStateException("field '" + key + "' before point()");
        }
        boolean prefixWritten = false;
        if (pendingPrefix) {
            if (shapeMatched == shape.tags) {
                // every tag repeated the shape's: its line up to the first field, in one copy
                pendingPrefix = false;
                putBytes(shape.prefix, shape.prefixLength);
                prefixWritten = true;
            } else {
                materialize(shapeMatched);
            }
        }
        if (checkKey(key, "field key", type)) {
            refuse("field key '" + key + "' is the key of a global tag");
        }
        if (shapeMatched < 0) {
            checkField(key, type);
        }
        if (state == TAGS) {
            if (!prefixWritten) {
                putBytes(globalTags, globalTags.length);
                if (pos - lineStart > MAX_SERIES_KEY) {
                    refuse("the measurement and tags of '" + measurement + "' take " + (pos - lineStart)
                            + " bytes; InfluxDB refuses more than " + MAX_SERIES_KEY);
                }
                put((byte) ' ');
            }
            prefixFromShape = prefixWritten;
            prefixLength = pos - lineStart;
            tagCount = shapeMatched >= 0 ? shapeMatched - 1 : pointKeyCount - 1;
            state = FIELDS;
        } else {
            put((byte) ',');
        }
        putName(key, keys);
        put((byte) '=');
        fields++;
        return false;
    }

    /**
     * Checks a tag or field key: not empty, not reserved, not used before in this point (ignoring
     * case), and remembers it for this point.
     *
     * <p>A point that repeats, key for key and type for type, the last point of its measurement
     * that passed every check passes them again: those keys are only compared by identity.
     *
     * @return true for the key of a global tag (then it is not remembered)
     */
    private boolean checkKey(String key, String what, byte type) {
        int matched = shapeMatched;
        if (matched >= 0) {
            Shape sh = shape;
            if (matched < sh.length && sh.keys[matched] == key && sh.types[matched] == type) {
                shapeMatched = matched + 1;
                return false;
            }
        }
        return checkKeyFully(key, what, type);
    }

    private boolean checkKeyFully(String key, String what, byte type) {
        int matched = shapeMatched;
        if (matched >= 0) {
            Shape sh = shape;
            // leaves its shape: the keys matched so far are this point's keys, the rest is checked
            ensureKeys(matched);
            System.arraycopy(sh.keys, 0, pointKeys, 0, matched);
            System.arraycopy(sh.hashes, 0, pointKeyHashes, 0, matched);
            System.arraycopy(sh.types, 0, pointKeyTypes, 0, matched);
            pointKeyCount = matched;
            shapeMatched = -1;
        }
        if (key == null || key.isEmpty()) {
            refuse(what + " must not be empty");
        }
        int slot = key.hashCode() & (checkedKeys.length - 1);
        String known = checkedKeys[slot];
        int h;
        if (known == key || key.equals(known)) {
            h = checkedHashes[slot];
        } else {
            if (isReserved(key)) {
                refuse(what + " '" + key + "' is reserved by InfluxDB or QuestDB");
            }
            h = isGlobalTag(key) ? GLOBAL : foldedHash(key) & ~GLOBAL;
            checkedKeys[slot] = key;
            checkedHashes[slot] = h;
        }
        if (h == GLOBAL) {
            return true;
        }
        int n = pointKeyCount;
        int[] hashes = pointKeyHashes;
        for (int i = 0; i < n; i++) {
            if (hashes[i] == h && pointKeys[i].equalsIgnoreCase(key)) {
                refuse("key '" + key + "' used twice in one point of '" + measurement + "'");
            }
        }
        ensureKeys(n + 1);
        pointKeys[n] = key;
        pointKeyHashes[n] = h;
        pointKeyTypes[n] = type;
        pointKeyCount = n + 1;
        return false;
    }

    private void ensureKeys(int n) {
        if (n > pointKeys.length) {
            int size = Math.max(n, 2 * pointKeys.length);
            pointKeys = Arrays.copyOf(pointKeys, size);
            pointKeyHashes = Arrays.copyOf(pointKeyHashes, size);
            pointKeyTypes = Arrays.copyOf(pointKeyTypes, size);
            tagEnds = Arrays.copyOf(tagEnds, size);
            tagValuesOfPoint = Arrays.copyOf(tagValuesOfPoint, size);
        }
    }

    /** Checks what a matching shape vouches for: the first character and the type of a field. */
    private void checkField(String key, byte type) {
        if (key.charAt(0) == '\t' || key.charAt(0) == 0) {
            refuse("field key '" + key + "' starts with a tab or NUL, which InfluxDB skips as white space");
        }
        byte before = fieldTypes.remember(measurement, key, type);
        if (before != type) {
            refuse("field '" + key + "' of '" + measurement + "' was written as " + FieldTypes.name(before) + ", now as "
                    + FieldTypes.name(type) + ": receivers refuse a field whose type changes");
        }
    }

    /** Remembers the keys of a point that passed every check as the shape of its measurement. */
    private void saveShape() {
        int slot = measurement.hashCode() & (shapes.length - 1);
        Shape sh = shapes[slot];
        if (sh == null) {
            sh = shapes[slot] = new Shape();
        }
        if (shapeMatched < 0) {
            int n = pointKeyCount;
            if (sh.keys.length < n) {
                sh.keys = new String[n];
                sh.hashes = new int[n];
                sh.types = new byte[n];
                sh.tagEnds = new int[n];
                sh.values = new Object[n];
            }
            System.arraycopy(pointKeys, 0, sh.keys, 0, n);
            System.arraycopy(pointKeyHashes, 0, sh.hashes, 0, n);
            System.arraycopy(pointKeyTypes, 0, sh.types, 0, n);
            sh.length = n;
            sh.measurement = measurement;
        }
        if (!prefixFromShape) {
            // this point's line up to its first field: what a point with the same tag values repeats
            if (sh.prefix.length < prefixLength) {
                sh.prefix = new byte[Math.max(prefixLength, 2 * sh.prefix.length)];
            }
            System.arraycopy(buf, lineStart, sh.prefix, 0, prefixLength);
            System.arraycopy(tagEnds, 0, sh.tagEnds, 0, tagCount);
            System.arraycopy(tagValuesOfPoint, 0, sh.values, 0, tagCount);
            sh.prefixLength = prefixLength;
            sh.measurementEnd = measurementEnd;
            sh.tags = tagCount;
        }
    }

    /**
     * The keys, their case-folded hashes and types of a point, in order; and its line up to the
     * first field, with the tag values (when Strings) it was written from.
     */
    private static final class Shape {
        String measurement;
        String[] keys = new String[16];
        int[] hashes = new int[16];
        byte[] types = new byte[16];
        int length;
        /** How many of the keys are tags (they come first). */
        int tags;
        /** The tag values by identity, {@link #NOT_CACHED} where the value was not a String. */
        Object[] values = new Object[16];
        byte[] prefix = new byte[64];
        int prefixLength;
        int measurementEnd;
        /** Where each tag ends in {@link #prefix}. */
        int[] tagEnds = new int[16];
    }

    /** A hash equal for strings that are equal ignoring case (as {@link String#equalsIgnoreCase} compares). */
    private static int foldedHash(String s) {
        int h = 0;
        for (int i = 0; i < s.length(); i++) {
            h = 31 * h + Character.toLowerCase(Character.toUpperCase(s.charAt(i)));
        }
        return h;
    }

    /** {@code time} (InfluxDB), {@code timestamp} (QuestDB), {@code _measurement} and {@code _field} (InfluxDB 2), any case. */
    private static boolean isReserved(String key) {
        switch (key.length()) {
            case 4:
                return key.equalsIgnoreCase("time");
            case 6:
                return key.equalsIgnoreCase("_field");
            case 9:
                return key.equalsIgnoreCase("timestamp");
            case 12:
                return key.equalsIgnoreCase("_measurement");
            default:
                return false;
        }
    }

    /** Drops the current point, ignores the rest of it, and throws. */
    private void refuse(String message) {
        pos = lineStart;
        state = SKIP;
        throw new IllegalArgumentException(message);
    }

    private void endPoint() {
        if (state == NONE) {
            return;
        }
        if (fields == 0 || state == SKIP) {
            pos = lineStart;
        } else {
            if (shapeMatched < 0 || resaveShape) {
                saveShape();
            }
            put((byte) ' ');
            putBytes(timestampBytes, timestampLen);
            put((byte) '\n');
            lines++;
        }
        state = NONE;
        pendingPrefix = false;
    }

    private boolean isGlobalTag(String key) {
        for (String k : globalTagKeys) {
            if (k.equals(key)) {
                return true;
            }
        }
        return false;
    }

    private void requireName(String name, String what) {
        if (name == null || name.isEmpty()) {
            refuse(what + " must not be empty");
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

    private static final byte PLAIN = 0;
    private static final byte ESCAPE = 1;
    private static final byte EQUALS = 2;
    private static final byte BREAK = 3;
    private static final byte BACKSLASH = 4;
    /** What a name or tag value does with each ASCII char. */
    private static final byte[] ASCII = new byte[128];

    static {
        ASCII[','] = ESCAPE;
        ASCII[' '] = ESCAPE;
        ASCII['='] = EQUALS;
        ASCII['\n'] = BREAK;
        ASCII['\r'] = BREAK;
        ASCII['\\'] = BACKSLASH;
    }

    private static final byte[] DIGIT_PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            DIGIT_PAIRS[2 * i] = (byte) ('0' + i / 10);
            DIGIT_PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    /**
     * Writes a name or tag value with line-protocol escapes: measurement names escape comma and
     * space; keys and tag values also escape '='. Line breaks become escaped spaces, backslashes slashes.
     */
    private void putEscaped(CharSequence s, boolean escapeEquals) {
        int n = s.length();
        ensure(3 * n + 1);
        byte[] b = buf;
        int p = pos;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                switch (ASCII[c]) {
                    case PLAIN:
                        b[p++] = (byte) c;
                        break;
                    case ESCAPE:
                        b[p++] = '\\';
                        b[p++] = (byte) c;
                        break;
                    case EQUALS:
                        if (escapeEquals) {
                            b[p++] = '\\';
                        }
                        b[p++] = '=';
                        break;
                    case BREAK:
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
    private int putChar(CharSequence s, int i, char c) {
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

    // ---- numbers ------------------------------------------------------------------------------

    private void putLong(long v) {
        ensure(20);
        pos += formatLongAt(v, buf, pos);
    }

    private static int formatLong(long v, byte[] into) {
        return formatLongAt(v, into, 0);
    }

    private static int formatLongAt(long v, byte[] into, int at) {
        if (v == Long.MIN_VALUE) {
            byte[] min = {'-', '9', '2', '2', '3', '3', '7', '2', '0', '3', '6', '8', '5', '4', '7', '7', '5', '8', '0', '8'};
            System.arraycopy(min, 0, into, at, min.length);
            return min.length;
        }
        int start = at;
        if (v < 0) {
            into[at++] = '-';
            v = -v;
        }
        int digits = digits(v);
        int i = at + digits - 1;
        while (v >= 100_000_000L) {
            // peel off 8 digits with one long division, then write them in pairs with int arithmetic
            long q = v / 100_000_000L;
            int r = (int) (v - q * 100_000_000L);
            for (int k = 0; k < 4; k++) {
                int q2 = r / 100;
                int pair = (r - q2 * 100) << 1;
                into[i--] = DIGIT_PAIRS[pair + 1];
                into[i--] = DIGIT_PAIRS[pair];
                r = q2;
            }
            v = q;
        }
        int r = (int) v;
        while (r >= 100) {
            int q2 = r / 100;
            int pair = (r - q2 * 100) << 1;
            into[i--] = DIGIT_PAIRS[pair + 1];
            into[i--] = DIGIT_PAIRS[pair];
            r = q2;
        }
        if (r >= 10) {
            into[i--] = DIGIT_PAIRS[(r << 1) + 1];
            into[i] = DIGIT_PAIRS[r << 1];
        } else {
            into[i] = (byte) ('0' + r);
        }
        return at + digits - start;
    }

    private static final long[] POW10_LONG = new long[19];

    static {
        long p = 1;
        for (int i = 0; i < POW10_LONG.length; i++) {
            POW10_LONG[i] = p;
            p *= 10;
        }
    }

    /** Decimal digits of a non-negative long: log10 from the bit length (1233/4096 ~ log10(2)), then one comparison. */
    private static int digits(long v) {
        int d = (64 - Long.numberOfLeadingZeros(v)) * 1233 >>> 12;
        return d < 19 && v >= POW10_LONG[d] ? d + 1 : Math.max(d, 1);
    }

    private void putUnsigned(long v) {
        if (v >= 0) {
            putLong(v);
            return;
        }
        // v is above 2^63-1 as unsigned: split off the last digit.
        long quotient = (v >>> 1) / 5;
        int last = (int) (v - quotient * 10);
        putLong(quotient);
        put((byte) ('0' + last));
    }

    /** Writes a finite double as the shortest decimal that reads back as the same double. */
    private void putDouble(double v) {
        ensure(ShortestDouble.MAX_LENGTH);
        pos = ShortestDouble.write(v, buf, pos);
    }
}
