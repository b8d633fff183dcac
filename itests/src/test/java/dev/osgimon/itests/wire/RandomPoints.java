package dev.osgimon.itests.wire;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import dev.osgimon.api.PointWriter;

/**
 * Random points from one seed: measurements with fixed tag keys and typed field keys (as a metric
 * source has), and per point random tag values and field values of every type. Text comes from an
 * alphabet holding every character the line protocol escapes or that a parser could trip on,
 * multi-byte UTF-8 and surrogate pairs; names are drawn at the edges of the documented rules.
 *
 * <p>{@link #expectedTags} and {@link #expectedFields} give what a receiver must store: the written
 * values with the documented conversions ({@code docs/line-protocol.md}) applied and nothing else.
 */
public final class RandomPoints {

    public enum Kind { INTEGER, UNSIGNED, FLOAT, BOOLEAN, STRING }

    /** A measurement as a source writes it: fixed keys, fixed types. */
    public record Schema(String measurement, String[] tagKeys, String[] fieldKeys, Kind[] kinds) {
    }

    /** One point; a null tag value or a NaN/infinite double leaves its tag or field out. */
    public record Point(Schema schema, String[] tagValues, Object[] fieldValues, long time) {
    }

    /** Every character that means something to a line-protocol parser, plus multi-byte text. */
    public static final String[] TEXT = {"a", "b", "z", "A", "Q", "0", "7", "_", " ", ",", "=", "\"", "\\", "#", "\t", "\n", "\r",
        "'", "/", ".", "-", "{", "}", ":", "é", "ß", "東", "😀", "🚀", "\u0001", "\u007f", "\u00a0", "\u2028"};

    /** Names for InfluxDB: the same characters. */
    static final String[] INFLUX_NAME = TEXT;

    /** Names for QuestDB, which refuses , . - / : ( ) + * % ~ ' " ? \ and control characters in column names (docs/line-protocol.md). */
    static final String[] QUESTDB_NAME = {"a", "b", "z", "A", "Q", "0", "7", "_", " ", "=", "#", "\n", "é",
        "ß", "東", "😀", "🚀", "{", "}", "\u00a0"};

    /**
     * Table names for QuestDB, which also refuses , = in them and spaces at either end. (Not the
     * line break either: it becomes a space, which may end up at an end.)
     */
    static final String[] QUESTDB_TABLE = {"a", "b", "z", "A", "Q", "0", "7", "_", " ", "#", "é", "ß", "東", "😀", "🚀",
        "{", "}", "\u00a0"};

    /** Names next to the reserved ones, which must pass. */
    private static final String[] NEAR_RESERVED = {"times", "tim", "timestamps", "_time", "_fields", "field", "measurement",
        "_measurements", "Time0", "vms", "v"};

    private final SplittableRandom random;
    private final String[] nameChars;
    private final String[] measurementChars;
    private final int longName;

    public RandomPoints(long seed, String[] measurementChars, String[] nameChars, int longName) {
        this.random = new SplittableRandom(seed);
        this.measurementChars = measurementChars;
        this.nameChars = nameChars;
        this.longName = longName;
    }

    /** Measurements with distinct names (ignoring case, after conversion), none reserved, none starting with '#'. */
    public List<Schema> schemas(int count) {
        Set<String> taken = new HashSet<>();
        List<Schema> schemas = new ArrayList<>();
        while (schemas.size() < count) {
            String m = name(measurementChars);
            String stored = name(m);
            if (stored.startsWith("#") || stored.startsWith("\t") || stored.startsWith("\u0000")
                    || Set.of("_measurements", "_series", "_fieldKeys", "_tagKeys", "_tags").contains(m)
                    || measurementChars == QUESTDB_TABLE && stored.strip().length() != stored.length()
                    || !taken.add(stored.toLowerCase())) {
                continue;
            }
            Set<String> keys = new HashSet<>(Set.of("time", "timestamp", "_measurement", "_field", "vm"));
            int tags = random.nextInt(4);
            int fields = 1 + random.nextInt(4);
            String[] tagKeys = new String[tags];
            String[] fieldKeys = new String[fields];
            Kind[] kinds = new Kind[fields];
            for (int t = 0; t < tags; t++) {
                tagKeys[t] = distinctKey(keys);
            }
            for (int f = 0; f < fields; f++) {
                fieldKeys[f] = distinctKey(keys);
                kinds[f] = Kind.values()[random.nextInt(Kind.values().length)];
            }
            schemas.add(new Schema(m, tagKeys, fieldKeys, kinds));
        }
        return schemas;
    }

    private String distinctKey(Set<String> taken) {
        while (true) {
            String k = name(nameChars);
            if (!name(k).startsWith("\t") && taken.add(name(k).toLowerCase())) {
                return k;
            }
        }
    }

    private String name(String[] alphabet) {
        int r = random.nextInt(100);
        if (r < 3) {
            return NEAR_RESERVED[random.nextInt(NEAR_RESERVED.length)];
        }
        if (r < 5) {
            // at the length limit of the receiver
            StringBuilder b = new StringBuilder();
            while (b.length() < longName) {
                b.append((char) ('a' + random.nextInt(26)));
            }
            return b.toString();
        }
        return text(alphabet, 1 + random.nextInt(random.nextBoolean() ? 3 : 12));
    }

    private String text(String[] alphabet, int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.append(alphabet[random.nextInt(alphabet.length)]);
        }
        return b.toString();
    }

    public Point point(Schema s, long time) {
        String[] tags = new String[s.tagKeys().length];
        for (int t = 0; t < tags.length; t++) {
            int r = random.nextInt(20);
            tags[t] = r == 0 ? null : r == 1 ? "" : text(TEXT, 1 + random.nextInt(random.nextBoolean() ? 4 : 24));
        }
        Object[] values = new Object[s.kinds().length];
        for (int f = 0; f < values.length; f++) {
            values[f] = switch (s.kinds()[f]) {
                case INTEGER, UNSIGNED -> randomLong();
                case FLOAT -> randomDouble();
                case BOOLEAN -> random.nextBoolean();
                case STRING -> random.nextInt(30) == 0 ? "" : text(TEXT, 1 + random.nextInt(random.nextBoolean() ? 5 : 60));
            };
        }
        return new Point(s, tags, values, time);
    }

    private long randomLong() {
        return switch (random.nextInt(6)) {
            case 0 -> random.nextLong();
            case 1 -> random.nextInt(1000) - 500;
            case 2 -> new long[] {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, Integer.MAX_VALUE}[random.nextInt(7)];
            default -> random.nextLong() >> random.nextInt(64);
        };
    }

    private double randomDouble() {
        return switch (random.nextInt(8)) {
            case 0, 1 -> Double.longBitsToDouble(random.nextLong());
            case 2 -> Double.longBitsToDouble(random.nextLong(1L << 52)); // subnormal
            case 3 -> random.nextInt(1_000_000) / Math.pow(10, random.nextInt(12));
            case 4 -> new double[] {0.0, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, Double.MIN_NORMAL, 1e16, 1e-5, 0.1,
                Double.NaN, Double.POSITIVE_INFINITY}[random.nextInt(10)];
            case 5 -> Double.parseDouble("1e" + (random.nextInt(617) - 308));
            default -> (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(40) - 20);
        };
    }

    public static void write(PointWriter w, Point p) {
        Schema s = p.schema();
        w.point(s.measurement());
        for (int t = 0; t < s.tagKeys().length; t++) {
            w.tag(s.tagKeys()[t], p.tagValues()[t]);
        }
        for (int f = 0; f < s.fieldKeys().length; f++) {
            String k = s.fieldKeys()[f];
            Object v = p.fieldValues()[f];
            switch (s.kinds()[f]) {
                case INTEGER -> w.field(k, (long) (Long) v);
                case UNSIGNED -> w.fieldUnsigned(k, (Long) v);
                case FLOAT -> w.field(k, (double) (Double) v);
                case BOOLEAN -> w.field(k, (boolean) (Boolean) v);
                default -> w.field(k, (String) v);
            }
        }
    }

    /** Converted tag key → converted value, tags left out omitted (the global tag included). */
    static Map<String, String> expectedTags(Point p, String globalKey, String globalValue) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int t = 0; t < p.tagValues().length; t++) {
            String v = p.tagValues()[t];
            if (v != null && !v.isEmpty()) {
                tags.put(name(p.schema().tagKeys()[t]), name(v));
            }
        }
        tags.put(globalKey, globalValue);
        return tags;
    }

    /**
     * Converted field key → expected value: a {@code Long}, {@code Double}, {@code Boolean} or
     * {@code String}. Empty when no field is written (then the point is not written either).
     */
    static Map<String, Object> expectedFields(Point p) {
        Map<String, Object> fields = new LinkedHashMap<>();
        Schema s = p.schema();
        for (int f = 0; f < s.fieldKeys().length; f++) {
            Object v = p.fieldValues()[f];
            Object expected = switch (s.kinds()[f]) {
                case UNSIGNED -> (Long) v < 0 ? Long.MAX_VALUE : v; // uintSupport off: clamped
                case FLOAT -> Double.isFinite((Double) v) ? v : null;
                case STRING -> string((String) v);
                default -> v;
            };
            if (expected != null) {
                fields.put(name(s.fieldKeys()[f]), expected);
            }
        }
        return fields;
    }

    /** The documented conversions of names and tag values: line breaks to spaces, backslashes to slashes. */
    static String name(String s) {
        return unpaired(s).replace('\n', ' ').replace('\r', ' ').replace('\\', '/');
    }

    /** The documented conversion of string values: line breaks to spaces. */
    static String string(String s) {
        return unpaired(s).replace('\n', ' ').replace('\r', ' ');
    }

    private static String unpaired(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else {
                b.append(Character.isSurrogate(c) ? '?' : c);
            }
        }
        return b.toString();
    }
}
