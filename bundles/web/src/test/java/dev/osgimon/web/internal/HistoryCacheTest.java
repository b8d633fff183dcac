package dev.osgimon.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import dev.osgimon.api.model.Cycle;
import dev.osgimon.api.model.Kind;
import dev.osgimon.api.model.MetricInfo;
import dev.osgimon.api.model.ValueType;
import dev.osgimon.testing.TestCycle;

/**
 * {@link History#add} resolves a point's series through what the point at the same index resolved
 * to in the cycle before. These tests hold it to the straightforward code it replaced ({@link Plain}:
 * a key built and looked up for every value, kept here as the oracle): after every cycle of long
 * random sequences, every reader's answer is the same.
 */
class HistoryCacheTest {

    /** The history as it was written before the cache: one key and one lookup per value. */
    private static final class Plain {
        private final int cycles;
        private final int maxSeries;
        private final long[] times;
        private long cycleCount;
        private long refused;
        private final Map<History.Key, PlainSeries> series = new LinkedHashMap<>();

        private static final class PlainSeries {
            final double[] values;
            long lastCycle;
            History.Meaning meaning = History.Meaning.UNDECLARED;

            PlainSeries(int cycles) {
                values = new double[cycles];
                Arrays.fill(values, Double.NaN);
            }
        }

        Plain(int cycles, int maxSeries) {
            this.cycles = cycles;
            this.maxSeries = maxSeries;
            this.times = new long[cycles];
        }

        void add(Cycle cycle) {
            long c = cycleCount++;
            int slot = (int) (c % cycles);
            times[slot] = cycle.timestampNanos() / 1_000_000L;
            for (int p = 0; p < cycle.points(); p++) {
                Map<String, String> tags = new TreeMap<>();
                for (int t = 0; t < cycle.tags(p); t++) {
                    tags.put(cycle.tagKey(p, t), cycle.tagValue(p, t));
                }
                String m = cycle.measurement(p);
                if (cycle.isHistogram(p)) {
                    MetricInfo info = cycle.histogramInfo(p);
                    put(new History.Key(m, tags, "count"), c, slot, cycle.count(p), Kind.COUNTER, "", info.description());
                    put(new History.Key(m, tags, "sum"), c, slot, cycle.sum(p), Kind.COUNTER, info.unit(), info.description());
                    put(new History.Key(m, tags, "min"), c, slot, cycle.min(p), Kind.GAUGE, info.unit(), info.description());
                    put(new History.Key(m, tags, "max"), c, slot, cycle.max(p), Kind.GAUGE, info.unit(), info.description());
                    long cumulative = 0;
                    for (int b = 0; b < cycle.buckets(p); b++) {
                        cumulative += cycle.bucketCount(p, b);
                        put(new History.Key(m, tags, History.BUCKET_PREFIX + History.boundText(cycle.bound(p, b))), c, slot,
                                cumulative, Kind.HISTOGRAM, info.unit(), info.description());
                    }
                    continue;
                }
                for (int f = 0; f < cycle.fields(p); f++) {
                    ValueType type = cycle.type(p, f);
                    if (type != ValueType.STRING && type != ValueType.BOOLEAN) {
                        MetricInfo info = cycle.info(p, f);
                        put(new History.Key(m, tags, cycle.fieldKey(p, f)), c, slot, cycle.numeric(p, f), info.kind(),
                                info.unit(), info.description());
                    }
                }
            }
            for (Iterator<PlainSeries> it = series.values().iterator(); it.hasNext();) {
                if (it.next().lastCycle <= c - cycles) {
                    it.remove();
                }
            }
        }

        private void put(History.Key key, long c, int slot, double v, Kind kind, String unit, String description) {
            if (Double.isNaN(v)) {
                return;
            }
            PlainSeries s = series.get(key);
            if (s == null) {
                if (series.size() >= maxSeries) {
                    refused++;
                    return;
                }
                s = new PlainSeries(cycles);
                s.lastCycle = c - 1;
                series.put(key, s);
            }
            s.meaning = new History.Meaning(kind, unit, description);
            for (long gap = Math.max(s.lastCycle + 1, c - cycles + 1); gap < c; gap++) {
                s.values[(int) (gap % cycles)] = Double.NaN;
            }
            s.values[slot] = v;
            s.lastCycle = c;
        }

        List<History.Key> keys() {
            List<History.Key> out = new ArrayList<>(series.keySet());
            out.sort(Comparator.comparing(History.Key::measurement).thenComparing(History.Key::field)
                    .thenComparing(k -> k.tags().toString()));
            return out;
        }

        Double[] values(History.Key key) {
            PlainSeries s = series.get(key);
            long first = Math.max(0, cycleCount - cycles);
            Double[] v = new Double[(int) (cycleCount - first)];
            for (int i = 0; i < v.length; i++) {
                long c = first + i;
                double x = c > s.lastCycle ? Double.NaN : s.values[(int) (c % cycles)];
                v[i] = Double.isNaN(x) ? null : x;
            }
            return v;
        }
    }

    /** One point of the random sequences: its strings and field layout; values are drawn per cycle. */
    private record Spec(String measurement, String[] tags, String[] fields, ValueType[] types, Kind[] kinds,
            String[] units, double[] bounds) {
    }

    private static final String[] MEASUREMENTS = {"jvm_memory", "net", "http_latency", "osgi"};
    private static final String[] TAG_KEYS = {"area", "interface", "route"};
    private static final String[] TAG_VALUES = {"heap", "eth0", "/osgimon", "lo"};
    private static final String[] FIELDS = {"used", "max", "count", "sum", "rx_bytes"};
    private static final ValueType[] TYPES = ValueType.values();
    private static final String[] UNITS = {"", "By", "s"};
    private static final double[][] LAYOUTS = {{0.005, 0.01, 0.1}, {0.005, 0.01, 1, 2.5}, {0.5}};

    private static Spec randomSpec(Random r) {
        String[] tags = new String[2 * r.nextInt(TAG_KEYS.length + 1)];
        List<String> keys = new ArrayList<>(List.of(TAG_KEYS));
        Collections.shuffle(keys, r);
        for (int t = 0; t < tags.length; t += 2) {
            tags[t] = keys.get(t / 2);
            tags[t + 1] = TAG_VALUES[r.nextInt(TAG_VALUES.length)];
        }
        String m = MEASUREMENTS[r.nextInt(MEASUREMENTS.length)];
        if (r.nextInt(5) == 0) {
            return new Spec(m, tags, new String[0], new ValueType[0], new Kind[0], new String[0],
                    LAYOUTS[r.nextInt(LAYOUTS.length)]);
        }
        List<String> names = new ArrayList<>(List.of(FIELDS));
        Collections.shuffle(names, r);
        int n = 1 + r.nextInt(3);
        ValueType[] types = new ValueType[n];
        Kind[] kinds = new Kind[n];
        String[] units = new String[n];
        for (int f = 0; f < n; f++) {
            types[f] = TYPES[r.nextInt(TYPES.length)];
            kinds[f] = r.nextBoolean() ? null : r.nextBoolean() ? Kind.GAUGE : Kind.COUNTER;
            units[f] = UNITS[r.nextInt(UNITS.length)];
        }
        return new Spec(m, tags, names.subList(0, n).toArray(new String[0]), types, kinds, units, null);
    }

    /** The same spec, one thing changed: a tag's value, a field's name, kind or unit, or the bounds. */
    private static Spec mutate(Spec s, Random r) {
        String[] tags = s.tags().clone();
        String[] fields = s.fields().clone();
        Kind[] kinds = s.kinds().clone();
        String[] units = s.units().clone();
        double[] bounds = s.bounds();
        int what = r.nextInt(4);
        if (what == 0 && tags.length > 0) {
            tags[1 + 2 * r.nextInt(tags.length / 2)] = TAG_VALUES[r.nextInt(TAG_VALUES.length)];
        } else if (what == 1 && fields.length > 0) {
            int f = r.nextInt(fields.length);
            String other = FIELDS[r.nextInt(FIELDS.length)];
            if (!Arrays.asList(fields).contains(other)) {
                fields[f] = other;
            }
        } else if (what == 2 && fields.length > 0) {
            int f = r.nextInt(fields.length);
            kinds[f] = kinds[f] == Kind.COUNTER ? Kind.GAUGE : Kind.COUNTER;
            units[f] = UNITS[r.nextInt(UNITS.length)];
        } else if (bounds != null) {
            bounds = LAYOUTS[r.nextInt(LAYOUTS.length)];
        } else {
            return randomSpec(r);
        }
        return new Spec(s.measurement(), tags, fields, s.types(), kinds, units, bounds);
    }

    /** Half the time an equal copy of the text, not the same object. */
    private static String text(String s, Random r) {
        return r.nextBoolean() ? new String(s.toCharArray()) : s;
    }

    private static TestCycle cycle(long second, List<Spec> specs, Random r) {
        TestCycle c = new TestCycle(second * 1_000_000_000L);
        for (Spec s : specs) {
            String[] tags = new String[s.tags().length];
            for (int t = 0; t < tags.length; t++) {
                tags[t] = text(s.tags()[t], r);
            }
            c.point(text(s.measurement(), r), tags);
            if (s.bounds() != null) {
                long[] counts = new long[s.bounds().length + 1];
                for (int b = 0; b < counts.length; b++) {
                    counts[b] = r.nextInt(4);
                }
                boolean empty = r.nextInt(4) == 0;
                c.histogram(s.bounds(), empty ? new long[counts.length] : counts, r.nextDouble(),
                        empty ? Double.NaN : r.nextDouble(), empty ? Double.NaN : 1 + r.nextDouble(), s.units().length > 0
                                ? s.units()[0] : "s");
                continue;
            }
            for (int f = 0; f < s.fields().length; f++) {
                ValueType type = s.types()[f];
                Object value = switch (type) {
                    case LONG, UNSIGNED -> (long) r.nextInt(1000);
                    case DOUBLE -> r.nextInt(6) == 0 ? Double.NaN : r.nextDouble();
                    case BOOLEAN -> r.nextBoolean();
                    case STRING -> "text";
                };
                c.field(text(s.fields()[f], r), type, value, s.kinds()[f], s.units()[f], "about " + s.fields()[f]);
            }
        }
        return c;
    }

    private static void assertSame(History h, Plain plain, long cycle) {
        String at = "after cycle " + cycle;
        List<History.Key> keys = plain.keys();
        assertThat(h.keys()).as(at).isEqualTo(keys);
        assertThat(h.size()).as(at).isEqualTo(plain.series.size());
        assertThat(h.refused()).as(at + ": refused").isEqualTo(plain.refused);
        assertThat(h.cycleCount()).as(at).isEqualTo(plain.cycleCount);
        long[] times = h.times();
        for (History.Key k : keys) {
            History.Points p = h.points(k);
            assertThat(p.timesMillis()).as(at + " " + k).isEqualTo(times);
            assertThat(p.values()).as(at + " " + k).containsExactly(plain.values(k));
            assertThat(h.meaning(k)).as(at + " " + k).isEqualTo(plain.series.get(k).meaning);
        }
    }

    private static void randomSequence(long seed, int cycles, int maxSeries, int length) {
        Random r = new Random(seed);
        History h = new History(cycles, maxSeries);
        Plain plain = new Plain(cycles, maxSeries);
        List<Spec> specs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            specs.add(randomSpec(r));
        }
        for (int c = 1; c <= length; c++) {
            switch (r.nextInt(10)) {
                case 0 -> Collections.shuffle(specs, r); // points change order
                case 1 -> specs.add(r.nextInt(specs.size() + 1), randomSpec(r)); // a point appears
                case 2 -> {
                    if (!specs.isEmpty()) {
                        specs.remove(r.nextInt(specs.size())); // one vanishes
                    }
                }
                case 3 -> {
                    if (!specs.isEmpty()) {
                        int i = r.nextInt(specs.size());
                        specs.set(i, mutate(specs.get(i), r));
                    }
                }
                case 4 -> {
                    if (r.nextInt(8) == 0) {
                        specs.subList(specs.size() / 2, specs.size()).clear(); // half the sources stop
                    }
                }
                default -> {
                    // the same points again: the steady state
                }
            }
            TestCycle cycle = cycle(c, specs, r);
            h.add(cycle);
            plain.add(cycle);
            assertSame(h, plain, c);
        }
    }

    @Test
    void randomSequencesReadTheSameAsTheStraightforwardCode() {
        for (long seed = 1; seed <= 40; seed++) {
            randomSequence(seed, 1 + (int) (seed % 6), 1000, 300);
        }
    }

    @Test
    void randomSequencesAtTheSeriesBoundReadTheSameAsTheStraightforwardCode() {
        for (long seed = 100; seed <= 140; seed++) {
            randomSequence(seed, 2 + (int) (seed % 4), 5 + (int) (seed % 20), 300);
        }
    }

    @Test
    void aCachedSeriesEvictedWhileItsPointWroteNoNumberIsKeptAgainWhenItDoes() {
        History h = new History(3, 10);
        Plain plain = new Plain(3, 10);
        History.Key v = new History.Key("m", Map.of(), "v");
        for (int c = 1; c <= 8; c++) {
            double value = c == 1 || c == 8 ? c : Double.NaN; // the point stays at index 0, its value does not
            TestCycle cycle = new TestCycle(c * 1_000_000_000L);
            cycle.point("m").field("v", ValueType.DOUBLE, value, null, "", "");
            h.add(cycle);
            plain.add(cycle);
            assertSame(h, plain, c);
            assertThat(h.size()).as("cycle " + c).isEqualTo(c == 1 || c == 2 || c == 3 || c == 8 ? 1 : 0);
        }
        assertThat(h.points(v).values()).containsExactly(null, null, 8.0);
    }

    @Test
    void aRefusedSeriesIsKeptOnceThereIsRoomAndEveryRefusalIsCounted() {
        History h = new History(2, 1);
        Plain plain = new Plain(2, 1);
        for (int c = 1; c <= 6; c++) {
            TestCycle cycle = new TestCycle(c * 1_000_000_000L);
            if (c <= 2) {
                cycle.point("a").field("v", c);
            }
            cycle.point("b").field("v", c);
            h.add(cycle);
            plain.add(cycle);
            assertSame(h, plain, c);
        }
        assertThat(h.refused()).as("b in cycles 1 to 4 (a is evicted after cycle 4, its second unwritten)")
                .isEqualTo(4);
        assertThat(h.keys()).extracting(History.Key::measurement).containsExactly("b");
    }

    @Test
    void equalButNotIdenticalStringsAndReorderedPointsGoToTheSameSeries() {
        History h = new History(4, 100);
        for (int c = 1; c <= 4; c++) {
            TestCycle cycle = new TestCycle(c * 1_000_000_000L);
            String heap = new String("heap".toCharArray());
            String nonheap = new String("nonheap".toCharArray());
            if (c % 2 == 0) {
                cycle.point("jvm_memory", "area", heap).field(new String("used".toCharArray()), c);
                cycle.point("jvm_memory", "area", nonheap).field("used", 10 * c);
            } else {
                cycle.point("jvm_memory", "area", nonheap).field("used", 10 * c);
                cycle.point("jvm_memory", "area", heap).field("used", c);
            }
            h.add(cycle);
        }
        assertThat(h.size()).isEqualTo(2);
        assertThat(h.points(new History.Key("jvm_memory", Map.of("area", "heap"), "used")).values())
                .containsExactly(1.0, 2.0, 3.0, 4.0);
        assertThat(h.points(new History.Key("jvm_memory", Map.of("area", "nonheap"), "used")).values())
                .containsExactly(10.0, 20.0, 30.0, 40.0);
    }

    @Test
    void theSameCycleAgainAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Random r = new Random(7);
        List<Spec> specs = new ArrayList<>();
        java.util.Set<String> points = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            Spec s = randomSpec(r);
            Map<String, String> tags = new TreeMap<>();
            for (int t = 0; t < s.tags().length; t += 2) {
                tags.put(s.tags()[t], s.tags()[t + 1]);
            }
            // one point per measurement and tag set: no two writers of one series with different meanings
            if (points.add(s.measurement() + tags)) {
                specs.add(s);
            }
        }
        TestCycle first = cycle(1, specs, r);
        TestCycle second = cycle(2, specs, r); // the same points, half the strings equal copies
        History h = new History(360, 4096);
        for (int i = 0; i < 1000; i++) {
            h.add(i % 2 == 0 ? first : second);
        }
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 1000; i++) {
            h.add(i % 2 == 0 ? first : second);
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertThat(h.size()).isPositive();
        assertThat(allocated / 1000).as("bytes allocated per cycle, %d series", h.size()).isLessThan(16);
    }
}
