package dev.osgimon.core.internal.encode;

import java.util.Arrays;

import dev.osgimon.api.PointWriter;
import dev.osgimon.api.model.Cycle;
import dev.osgimon.api.model.MetricInfo;
import dev.osgimon.api.model.ValueType;
import dev.osgimon.core.internal.catalog.SourceMetrics;

/**
 * One collection cycle: the {@link PointWriter} the sources write into, and the structured
 * {@link Cycle} every wire format renders ({@link LineRenderer} for the Influx line protocol) and
 * every {@link dev.osgimon.api.model.CycleObserver} reads.
 *
 * <p>Each call is checked against {@link KeyRules} and the {@link FieldTypes} first seen, so a
 * refused point never reaches a renderer. A point is stored as its {@link Shape} and its values: the
 * shape holds what points of one measurement from one source have in common (the measurement, the
 * tag keys, the field keys with their types and declared meaning, {@link MetricInfo}); the values go
 * into reusable arrays: tag values and string values as references, other values as {@code long}
 * bits, histogram buckets in a {@code long} pool with their bounds copied into a {@code double} pool.
 * Once the arrays have grown to a cycle's size and its shapes are known, writing a point allocates
 * nothing; a tag or string value that is a {@link CharSequence} other than a {@link String} is copied
 * once into a String (the source may reuse its builder for the next point).
 *
 * <p>A point that repeats, key for key and type for type, the last point of its measurement that
 * passed every check passes them again: its keys are only compared by identity, and it takes that
 * point's shape. Shapes are interned: each measurement slot keeps the last few it has seen, so a
 * measurement whose points alternate between shapes makes no new ones once each is known.
 *
 * <p>{@link LineRenderer} reads the arrays and shapes directly (package-private); everyone else reads
 * the {@link Cycle} methods.
 *
 * <p>One buffer serves one cycle at a time: {@link #reset(long)}, then for each source
 * {@link #source(SourceMetrics)}, its writes, {@link #finish()} (or {@link #rollback(int)} to a
 * {@link #points()} taken before it). The global tags are the last tags of every point. Not
 * thread-safe.
 */
public final class CycleBuffer implements PointWriter, Cycle {

    private static final int NONE = 0;
    private static final int TAGS = 1;
    private static final int FIELDS = 2;
    /** The current point broke a rule: it is dropped, and its remaining tags and fields are ignored. */
    private static final int SKIP = 3;
    /** The current point is a histogram: it takes nothing more. */
    private static final int HISTOGRAM = 4;

    /** The type of a tag key among the point's keys; fields have a {@link FieldTypes} type. */
    private static final byte TAG = 0;
    /** Marks a global tag key in {@link #checkedHashes}; folded hashes never have this bit. */
    private static final int GLOBAL = 1 << 31;
    private static final int SHAPE_SLOTS = 256;
    /** The shapes a measurement slot keeps; one more seen evicts the oldest. */
    private static final int SHAPES_PER_SLOT = 8;
    private static final ValueType[] VALUE_TYPES = {null, ValueType.LONG, ValueType.UNSIGNED, ValueType.DOUBLE,
        ValueType.BOOLEAN, ValueType.STRING};

    long timestamp;
    private int state = NONE;
    /** Committed points; the point being written has this index. */
    int points;
    private int lines;

    // ---- per point (index p); the *Start arrays have one more entry: where point p + 1 starts ----
    /** Each point's shape: its measurement, source, tag keys, field keys, their types and meanings. */
    Shape[] pointShapes = new Shape[64];
    int[] tagStart = new int[65];
    int[] fieldStart = new int[65];
    int[] histStart = new int[65];
    int[] poolStart = new int[65];
    private int[] lineStart = new int[65];

    // ---- tags, fields, histograms, bucket pools; the tops are where the current point writes ----
    private int tagTop;
    String[] tagValues = new String[256];
    private int fieldTop;
    long[] fieldBits = new long[256];
    String[] fieldStrings = new String[256];
    private int histTop;
    long[] histCount = new long[8];
    double[] histSum = new double[8];
    double[] histMin = new double[8];
    double[] histMax = new double[8];
    private MetricInfo[] histInfo = new MetricInfo[8];
    private int poolTop;
    long[] bucketCounts = new long[128];
    double[] bucketBounds = new double[128];

    // ---- the point being written ----
    private String measurement;
    /** Measurement and tag chars so far: a cheap bound of the series key's bytes. */
    private int seriesChars;
    /** The keys of the current point, to refuse a repeated one. */
    private String[] pointKeys = new String[16];
    /** Their case-folded hashes, compared before the keys themselves. */
    private int[] pointKeyHashes = new int[16];
    /** Their types: {@link #TAG} or a {@link FieldTypes} type. */
    private byte[] pointKeyTypes = new byte[16];
    private int pointKeyCount;
    /** The current point's tag keys, when a rare check needs them ({@link #currentTagKeys()}). */
    private String[] scratchKeys = new String[16];
    /** Per measurement slot, the shape of the last point that passed every check. */
    private final Shape[] shapes = new Shape[SHAPE_SLOTS];
    /** Per measurement slot, the shapes seen, the latest first: a point takes one of them (see {@link #intern}). */
    private final Shape[][] known = new Shape[SHAPE_SLOTS][];
    /** The shape of the current measurement, if it has one. */
    private Shape shape;
    /** How many keys of the current point matched its shape; -1 once it left it (then every key is checked). */
    private int shapeMatched;
    /**
     * Keys checked before (not empty, not reserved) with their case-folded hash, or {@link #GLOBAL}
     * for a global tag key: nearly always constants.
     */
    private final String[] checkedKeys = new String[512];
    private final int[] checkedHashes = new int[512];
    private final FieldTypes types = new FieldTypes(4096);

    // ---- the writing source and the global tags ----
    private SourceMetrics metrics = new SourceMetrics("");
    String[] globalKeys = new String[0];
    String[] globalValues = new String[0];
    /** The bytes the global tags take in a line, {@code ,k=v} each. */
    private int globalTagBytes;
    /** A global tag key that a histogram's rows use too ({@code le}, {@code count}, ...), or null. */
    private String globalHistogramKey;

    /**
     * Sets the tags added to every point, already in order.
     *
     * @param keys the tag keys
     * @param values the tag values; an empty one leaves its tag out
     */
    public void globalTags(String[] keys, String[] values) {
        int kept = 0;
        String[] k = new String[keys.length];
        String[] v = new String[keys.length];
        int bytes = 0;
        String histogramKey = null;
        for (int i = 0; i < keys.length; i++) {
            if (values[i] == null || values[i].isEmpty()) {
                continue;
            }
            k[kept] = keys[i];
            v[kept] = values[i];
            kept++;
            bytes += 2 + KeyRules.escapedLength(keys[i], true) + KeyRules.escapedLength(values[i], true);
            if (KeyRules.isHistogramKey(keys[i])) {
                histogramKey = keys[i];
            }
        }
        globalKeys = Arrays.copyOf(k, kept);
        globalValues = Arrays.copyOf(v, kept);
        globalTagBytes = bytes;
        globalHistogramKey = histogramKey;
        Arrays.fill(checkedKeys, null); // which keys are global has changed
        Arrays.fill(shapes, null);
        Arrays.fill(known, null);
    }

    /**
     * Starts a cycle: forgets every point and sets the timestamp of every point.
     *
     * @param timestampNanos nanoseconds since the epoch
     */
    public void reset(long timestampNanos) {
        timestamp = timestampNanos;
        state = NONE;
        points = 0;
        lines = 0;
        tagTop = 0;
        fieldTop = 0;
        histTop = 0;
        poolTop = 0;
    }

    /**
     * Names the source whose points follow, and where their fields' meaning is looked up.
     *
     * @param source the source's metrics
     */
    public void source(SourceMetrics source) {
        endPoint();
        metrics = source;
    }

    /** Ends the current point, if any. Call once a source has written. */
    public void finish() {
        endPoint();
    }

    /**
     * Ends the current point and forgets every point since {@code mark} (a source failed or overran).
     *
     * @param mark a value of {@link #points()} taken earlier in this cycle
     */
    public void rollback(int mark) {
        state = NONE;
        points = mark;
        restoreTops();
        lines = lineStart[mark];
    }

    /** @return the number of line-protocol lines the points take: one each, a histogram its buckets plus one */
    public int lines() {
        return lines;
    }

    // ---- PointWriter --------------------------------------------------------------------------

    @Override
    public PointWriter point(String measurement) {
        endPoint();
        ensurePoints(points + 2);
        pointKeyCount = 0;
        state = SKIP;
        this.measurement = measurement;
        Shape sh = measurement == null ? null : shapes[measurement.hashCode() & (shapes.length - 1)];
        if (sh != null && (sh.measurement == measurement || sh.measurement.equals(measurement))) {
            // the last point of this measurement passed every check, its name included
            shape = sh;
            shapeMatched = 0;
        } else {
            String problem = KeyRules.measurementProblem(measurement);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            shape = null;
            shapeMatched = -1;
        }
        seriesChars = measurement.length();
        state = TAGS;
        return this;
    }

    @Override
    public PointWriter tag(String key, CharSequence value) {
        if (state != TAGS) {
            if (state == SKIP) {
                return this;
            }
            throw new IllegalStateException(state == NONE ? "tag before point()"
                    : "tag '" + key + "' after a " + (state == FIELDS ? "field" : "histogram"));
        }
        if (value == null || value.length() == 0) {
            checkLeftOutTag(key);
            return this;
        }
        if (checkKey(key, "tag key", TAG)) {
            return this; // the global tag wins
        }
        int t = tagTop;
        if (t == tagValues.length) {
            growTags();
        }
        // a builder may change once it returns: its text is copied
        String v = value instanceof String ? (String) value : value.toString();
        tagValues[t] = v; // its key is the shape's the point takes when it ends
        tagTop = t + 1;
        seriesChars += key.length() + v.length() + 2;
        return this;
    }

    /**
     * A tag without a value is left out: the point is written as if it had no such tag (its key is
     * not one of the point's keys), but the key must still be a valid one.
     */
    private void checkLeftOutTag(String key) {
        if (key == null || key.isEmpty()) {
            refuse("tag key must not be empty");
        }
        String problem = KeyRules.keyProblem(key, "tag key");
        if (problem != null) {
            refuse(problem);
        }
    }

    /**
     * The tag keys of the point being written, in order, into {@link #scratchKeys}.
     *
     * @return how many
     */
    private int currentTagKeys() {
        String[] keys = shapeMatched >= 0 ? shape.keys : pointKeys;
        byte[] keyTypes = shapeMatched >= 0 ? shape.types : pointKeyTypes;
        int n = shapeMatched >= 0 ? shapeMatched : pointKeyCount;
        if (scratchKeys.length < n) {
            scratchKeys = new String[n];
        }
        int tags = 0;
        for (int i = 0; i < n; i++) {
            if (keyTypes[i] == TAG) {
                scratchKeys[tags++] = keys[i];
            }
        }
        return tags;
    }

    @Override
    public PointWriter field(String key, long value) {
        int f = startField(key, FieldTypes.INTEGER);
        if (f >= 0) {
            fieldBits[f] = value;
        }
        return this;
    }

    @Override
    public PointWriter fieldUnsigned(String key, long value) {
        int f = startField(key, FieldTypes.UNSIGNED);
        if (f >= 0) {
            fieldBits[f] = value;
        }
        return this;
    }

    @Override
    public PointWriter field(String key, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            checkFieldState(key);
            return this;
        }
        int f = startField(key, FieldTypes.FLOAT);
        if (f >= 0) {
            fieldBits[f] = Double.doubleToRawLongBits(value);
        }
        return this;
    }

    @Override
    public PointWriter field(String key, boolean value) {
        int f = startField(key, FieldTypes.BOOLEAN);
        if (f >= 0) {
            fieldBits[f] = value ? 1 : 0;
        }
        return this;
    }

    @Override
    public PointWriter field(String key, CharSequence value) {
        if (value == null) {
            checkFieldState(key);
            return this;
        }
        int f = startField(key, FieldTypes.STRING);
        if (f >= 0) {
            fieldStrings[f] = value instanceof String ? (String) value : value.toString();
        }
        return this;
    }

    @Override
    public PointWriter histogram(double[] bounds, long[] counts, double sum, double min, double max) {
        if (state != TAGS) {
            if (state == SKIP) {
                return this;
            }
            throw new IllegalStateException(state == NONE ? "histogram before point()"
                    : state == FIELDS ? "histogram after a field of '" + measurement + "'"
                    : "histogram twice in one point of '" + measurement + "'");
        }
        checkHistogram(bounds, counts);
        int tags = currentTagKeys();
        for (int t = 0; t < tags; t++) {
            if (KeyRules.isHistogramKey(scratchKeys[t])) {
                refuse("tag '" + scratchKeys[t] + "' of histogram '" + measurement
                        + "' clashes with its rows (le, count, sum, min, max)");
            }
        }
        if (globalHistogramKey != null) {
            refuse("global tag '" + globalHistogramKey + "' clashes with the rows of histogram '" + measurement + "'");
        }
        checkType("count", FieldTypes.INTEGER);
        checkType("sum", FieldTypes.FLOAT);
        checkType("min", FieldTypes.FLOAT);
        checkType("max", FieldTypes.FLOAT);
        // the bucket rows are <measurement>_bucket,...,le=<bound>: the longest series key
        checkSeriesKey("_bucket,le=".length() + ShortestDouble.MAX_LENGTH);
        int n = counts.length;
        ensureHistograms(histTop + 1, poolTop + n);
        int at = poolTop;
        long count = 0;
        for (int i = 0; i < n; i++) {
            bucketCounts[at + i] = counts[i];
            count += counts[i];
        }
        System.arraycopy(bounds, 0, bucketBounds, at, bounds.length);
        bucketBounds[at + n - 1] = Double.POSITIVE_INFINITY;
        int h = histTop;
        histCount[h] = count;
        histSum[h] = sum;
        histMin[h] = min;
        histMax[h] = max;
        histTop = h + 1;
        poolTop = at + n;
        state = HISTOGRAM;
        return this;
    }

    private void checkHistogram(double[] bounds, long[] counts) {
        if (bounds == null || counts == null) {
            refuse("histogram '" + measurement + "' without " + (bounds == null ? "bounds" : "bucket counts"));
        }
        if (counts.length != bounds.length + 1) {
            refuse("histogram '" + measurement + "' has " + bounds.length + " bounds and " + counts.length
                    + " bucket counts; it needs one count more than bounds");
        }
        for (int i = 0; i < bounds.length; i++) {
            if (!Double.isFinite(bounds[i]) || i > 0 && !(bounds[i] > bounds[i - 1])) {
                refuse("histogram '" + measurement + "': bound " + i + " (" + bounds[i]
                        + ") is not finite or not above the one before");
            }
        }
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < 0) {
                refuse("histogram '" + measurement + "': bucket " + i + " has a negative count " + counts[i]);
            }
        }
    }

    private void checkType(String key, byte type) {
        byte before = types.remember(measurement, key, type);
        if (before != type) {
            refuse("histogram '" + measurement + "' writes '" + key + "' as " + FieldTypes.name(type) + ", but it was "
                    + "written as " + FieldTypes.name(before) + ": receivers refuse a field whose type changes");
        }
    }

    private void checkFieldState(String key) {
        if (state == NONE) {
            throw new IllegalStateException("field '" + key + "' before point()");
        }
        if (state == HISTOGRAM) {
            throw new IllegalStateException("field '" + key + "' after the histogram of '" + measurement + "'");
        }
        if (state != SKIP && (key == null || key.isEmpty())) {
            refuse("field key must not be empty");
        }
    }

    /** Checks and stores the key of a field; returns its index, or -1 when the point is being skipped. */
    private int startField(String key, byte type) {
        if (state != FIELDS && state != TAGS) {
            if (state == SKIP) {
                return -1;
            }
            checkFieldState(key);
        }
        if (checkKey(key, "field key", type)) {
            refuse("field key '" + key + "' is the key of a global tag");
        }
        if (shapeMatched < 0) {
            checkField(key, type);
        }
        if (state == TAGS) {
            checkSeriesKey(0);
            state = FIELDS;
        }
        int f = fieldTop;
        if (f == fieldBits.length) {
            growFields();
        }
        fieldTop = f + 1;
        return f; // its key and type are the shape's the point takes when it ends
    }

    /** Refuses a point whose measurement and tags (and {@code extra} bytes) exceed what InfluxDB stores. */
    private void checkSeriesKey(int extra) {
        if ((long) seriesChars * 3 + globalTagBytes + extra <= KeyRules.MAX_SERIES_KEY) {
            return; // a UTF-8 char takes at most 3 bytes, escaped ones 2
        }
        int bytes = KeyRules.escapedLength(measurement, false) + globalTagBytes + extra;
        int tags = currentTagKeys();
        int from = tagStart[points];
        for (int t = 0; t < tags; t++) {
            bytes += 2 + KeyRules.escapedLength(scratchKeys[t], true) + KeyRules.escapedLength(tagValues[from + t], true);
        }
        if (bytes > KeyRules.MAX_SERIES_KEY) {
            refuse("the measurement and tags of '" + measurement + "' take " + bytes + " bytes; InfluxDB refuses more than "
                    + KeyRules.MAX_SERIES_KEY);
        }
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
            String problem = KeyRules.keyProblem(key, what);
            if (problem != null) {
                refuse(problem);
            }
            h = isGlobalTag(key) ? GLOBAL : KeyRules.foldedHash(key) & ~GLOBAL;
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

    /** Checks what a matching shape vouches for: the first character and the type of a field. */
    private void checkField(String key, byte type) {
        String problem = KeyRules.fieldKeyProblem(key);
        if (problem != null) {
            refuse(problem);
        }
        byte before = types.remember(measurement, key, type);
        if (before != type) {
            refuse("field '" + key + "' of '" + measurement + "' was written as " + FieldTypes.name(before) + ", now as "
                    + FieldTypes.name(type) + ": receivers refuse a field whose type changes");
        }
    }

    private boolean isGlobalTag(String key) {
        for (String k : globalKeys) {
            if (k.equals(key)) {
                return true;
            }
        }
        return false;
    }

    /** Drops the current point, ignores the rest of it, and throws. */
    private void refuse(String message) {
        restoreTops();
        state = SKIP;
        throw new IllegalArgumentException(message);
    }

    private void restoreTops() {
        int p = points;
        tagTop = tagStart[p];
        fieldTop = fieldStart[p];
        histTop = histStart[p];
        poolTop = poolStart[p];
    }

    private void endPoint() {
        int s = state;
        if (s == NONE) {
            return;
        }
        state = NONE;
        if (s != FIELDS && s != HISTOGRAM) {
            restoreTops(); // refused, or no field
            return;
        }
        int p = points;
        Shape sh = shape;
        if (shapeMatched < 0 || shapeMatched != sh.length || sh.source != metrics) {
            // left its measurement's shape, stopped short of it, or another source wrote it
            sh = intern();
        }
        pointShapes[p] = sh;
        if (s == HISTOGRAM) {
            histInfo[histTop - 1] = metrics.histogram(measurement);
            lines += poolTop - poolStart[p] + 1;
        } else {
            lines++;
        }
        p++;
        points = p;
        tagStart[p] = tagTop;
        fieldStart[p] = fieldTop;
        histStart[p] = histTop;
        poolStart[p] = poolTop;
        lineStart[p] = lines;
    }

    /**
     * The shape of the point that ends: one seen before for its measurement (and, when it has
     * fields, its source), or a new one; either way its measurement's shape from now on.
     */
    private Shape intern() {
        String[] keys;
        int[] hashes;
        byte[] keyTypes;
        int n;
        if (shapeMatched >= 0) {
            keys = shape.keys; // the point has the first keys of its shape
            hashes = shape.hashes;
            keyTypes = shape.types;
            n = shapeMatched;
        } else {
            keys = pointKeys;
            hashes = pointKeyHashes;
            keyTypes = pointKeyTypes;
            n = pointKeyCount;
        }
        int slot = measurement.hashCode() & (SHAPE_SLOTS - 1);
        Shape[] seen = known[slot];
        if (seen == null) {
            seen = known[slot] = new Shape[SHAPES_PER_SLOT];
        }
        int i = 0;
        Shape found = null;
        for (; i < seen.length && seen[i] != null; i++) {
            if (seen[i].is(measurement, keys, keyTypes, n, metrics)) {
                found = seen[i];
                break;
            }
        }
        if (found == null) {
            found = new Shape(measurement, keys, hashes, keyTypes, n, metrics);
            i = Math.min(i, seen.length - 1); // the oldest goes when the slot is full
        }
        System.arraycopy(seen, 0, seen, 1, i); // the latest first
        seen[0] = found;
        shapes[slot] = found;
        return found;
    }

    /**
     * What the points of one measurement written by one source alike have in common: their keys
     * (tags and fields, as checked: case-folded hashes and types), the tag keys and the field keys
     * apart, and the declared meaning of each field. A point is its shape and its values. Never
     * changed once made: every point of that shape refers to it.
     */
    static final class Shape {
        final String measurement;
        final SourceMetrics source;
        final String[] keys;
        final int[] hashes;
        final byte[] types;
        final int length;
        /** The tag keys, in order (a tag without a value is not among them). */
        final String[] tagKeys;
        /** The field keys, in order. */
        final String[] fieldKeys;
        /** Their {@link FieldTypes} types. */
        final byte[] fieldTypes;
        /** Their meaning, as {@link #source} declared it. */
        final MetricInfo[] fieldInfos;

        Shape(String measurement, String[] keys, int[] hashes, byte[] types, int n, SourceMetrics source) {
            this.measurement = measurement;
            this.source = source;
            this.keys = Arrays.copyOf(keys, n);
            this.hashes = Arrays.copyOf(hashes, n);
            this.types = Arrays.copyOf(types, n);
            this.length = n;
            int tags = 0;
            for (int i = 0; i < n; i++) {
                if (types[i] == TAG) {
                    tags++;
                }
            }
            tagKeys = new String[tags];
            fieldKeys = new String[n - tags];
            fieldTypes = new byte[n - tags];
            fieldInfos = new MetricInfo[n - tags];
            int t = 0;
            int f = 0;
            for (int i = 0; i < n; i++) {
                if (types[i] == TAG) {
                    tagKeys[t++] = keys[i];
                } else {
                    fieldKeys[f] = keys[i];
                    fieldTypes[f] = types[i];
                    fieldInfos[f] = source.field(measurement, keys[i]);
                    f++;
                }
            }
        }

        /** Whether this is the shape of these keys and types of {@code measurement}, written by {@code source}. */
        boolean is(String measurement, String[] keys, byte[] types, int n, SourceMetrics source) {
            if (length != n || this.source != source
                    || this.measurement != measurement && !this.measurement.equals(measurement)) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                // equal keys made anew each cycle ("f" + i) find their shape too: no new one a cycle
                if (this.types[i] != types[i] || this.keys[i] != keys[i] && !this.keys[i].equals(keys[i])) {
                    return false;
                }
            }
            return true;
        }
    }

    // ---- growth (only while warming up) ----------------------------------------------------------

    private void ensurePoints(int n) {
        if (n > tagStart.length) {
            int size = Math.max(n, 2 * tagStart.length);
            pointShapes = Arrays.copyOf(pointShapes, size);
            tagStart = Arrays.copyOf(tagStart, size);
            fieldStart = Arrays.copyOf(fieldStart, size);
            histStart = Arrays.copyOf(histStart, size);
            poolStart = Arrays.copyOf(poolStart, size);
            lineStart = Arrays.copyOf(lineStart, size);
        }
    }

    private void growTags() {
        int size = 2 * tagValues.length;
        tagValues = Arrays.copyOf(tagValues, size);
    }

    private void growFields() {
        int size = 2 * fieldBits.length;
        fieldBits = Arrays.copyOf(fieldBits, size);
        fieldStrings = Arrays.copyOf(fieldStrings, size);
    }

    private void ensureHistograms(int histograms, int buckets) {
        if (histograms > histCount.length) {
            int size = Math.max(histograms, 2 * histCount.length);
            histCount = Arrays.copyOf(histCount, size);
            histSum = Arrays.copyOf(histSum, size);
            histMin = Arrays.copyOf(histMin, size);
            histMax = Arrays.copyOf(histMax, size);
            histInfo = Arrays.copyOf(histInfo, size);
        }
        if (buckets > bucketCounts.length) {
            int size = Math.max(buckets, 2 * bucketCounts.length);
            bucketCounts = Arrays.copyOf(bucketCounts, size);
            bucketBounds = Arrays.copyOf(bucketBounds, size);
        }
    }

    private void ensureKeys(int n) {
        if (n > pointKeys.length) {
            int size = Math.max(n, 2 * pointKeys.length);
            pointKeys = Arrays.copyOf(pointKeys, size);
            pointKeyHashes = Arrays.copyOf(pointKeyHashes, size);
            pointKeyTypes = Arrays.copyOf(pointKeyTypes, size);
        }
    }

    // ---- Cycle --------------------------------------------------------------------------------

    @Override
    public long timestampNanos() {
        return timestamp;
    }

    @Override
    public int points() {
        return points;
    }

    @Override
    public String source(int point) {
        return pointShapes[check(point)].source.source();
    }

    @Override
    public String measurement(int point) {
        return pointShapes[check(point)].measurement;
    }

    @Override
    public int tags(int point) {
        return tagStart[check(point) + 1] - tagStart[point] + globalKeys.length;
    }

    @Override
    public int globalTags() {
        return globalKeys.length;
    }

    @Override
    public String tagKey(int point, int tag) {
        int own = tagStart[check(point) + 1] - tagStart[point];
        return tag < own ? pointShapes[point].tagKeys[checkIndex(tag)] : globalKeys[tag - own];
    }

    @Override
    public String tagValue(int point, int tag) {
        int own = tagStart[check(point) + 1] - tagStart[point];
        return tag < own ? tagValues[tagStart[point] + checkIndex(tag)] : globalValues[tag - own];
    }

    @Override
    public int fields(int point) {
        return fieldStart[check(point) + 1] - fieldStart[point];
    }

    @Override
    public String fieldKey(int point, int field) {
        field(point, field);
        return pointShapes[point].fieldKeys[field];
    }

    @Override
    public ValueType type(int point, int field) {
        field(point, field);
        return VALUE_TYPES[pointShapes[point].fieldTypes[field]];
    }

    @Override
    public long longValue(int point, int field) {
        return fieldBits[field(point, field)];
    }

    @Override
    public double doubleValue(int point, int field) {
        return Double.longBitsToDouble(fieldBits[field(point, field)]);
    }

    @Override
    public boolean booleanValue(int point, int field) {
        return fieldBits[field(point, field)] != 0;
    }

    @Override
    public String stringValue(int point, int field) {
        int f = field(point, field);
        return pointShapes[point].fieldTypes[field] == FieldTypes.STRING ? fieldStrings[f] : null;
    }

    @Override
    public double numeric(int point, int field) {
        int f = field(point, field);
        long bits = fieldBits[f];
        switch (pointShapes[point].fieldTypes[field]) {
            case FieldTypes.INTEGER:
                return bits;
            case FieldTypes.UNSIGNED:
                return bits >= 0 ? bits : (double) (bits >>> 1) * 2.0 + (bits & 1);
            case FieldTypes.FLOAT:
                return Double.longBitsToDouble(bits);
            case FieldTypes.BOOLEAN:
                return bits;
            default:
                return Double.NaN;
        }
    }

    @Override
    public MetricInfo info(int point, int field) {
        field(point, field);
        return pointShapes[point].fieldInfos[field];
    }

    @Override
    public boolean isHistogram(int point) {
        return histStart[check(point) + 1] > histStart[point];
    }

    @Override
    public MetricInfo histogramInfo(int point) {
        return histInfo[histogram(point)];
    }

    @Override
    public int buckets(int point) {
        histogram(point);
        return poolStart[point + 1] - poolStart[point];
    }

    @Override
    public double bound(int point, int bucket) {
        return bucketBounds[bucket(point, bucket)];
    }

    @Override
    public long bucketCount(int point, int bucket) {
        return bucketCounts[bucket(point, bucket)];
    }

    @Override
    public long count(int point) {
        return histCount[histogram(point)];
    }

    @Override
    public double sum(int point) {
        return histSum[histogram(point)];
    }

    @Override
    public double min(int point) {
        return histMin[histogram(point)];
    }

    @Override
    public double max(int point) {
        return histMax[histogram(point)];
    }

    private int check(int point) {
        if (point < 0 || point >= points) {
            throw new IndexOutOfBoundsException("point " + point + " of " + points);
        }
        return point;
    }

    private static int checkIndex(int i) {
        if (i < 0) {
            throw new IndexOutOfBoundsException(i);
        }
        return i;
    }

    private int field(int point, int field) {
        int from = fieldStart[check(point)];
        if (field < 0 || field >= fieldStart[point + 1] - from) {
            throw new IndexOutOfBoundsException("field " + field + " of point " + point);
        }
        return from + field;
    }

    private int histogram(int point) {
        if (!isHistogram(point)) {
            throw new IllegalArgumentException("point " + point + " is not a histogram");
        }
        return histStart[point];
    }

    private int bucket(int point, int bucket) {
        histogram(point);
        int from = poolStart[point];
        if (bucket < 0 || bucket >= poolStart[point + 1] - from) {
            throw new IndexOutOfBoundsException("bucket " + bucket + " of point " + point);
        }
        return from + bucket;
    }
}
