package dev.osgimon.otlp.internal;

import dev.osgimon.api.model.Cycle;

/**
 * The {@code start_time_unix_nano} of every cumulative series (counters, histograms, up-down sums):
 * one entry per measurement, field and source tags, found without allocating once it exists.
 *
 * <p>How a start is decided (docs/otlp.md, "Start times"):
 * <ul>
 * <li>A series seen in the encoder's first cycle started with the process: the JVM's start time (the
 * sources' counters count since the JVM, the kernel or the source started; a counter whose source
 * started later had counted 0 until then).</li>
 * <li>A series first seen in a later cycle started after the previous cycle: its start is that
 * cycle's time.</li>
 * <li>A monotonic series whose value is lower than the last one seen was reset (its source
 * restarted, a kernel counter was re-created): its start moves to the time of the last point before
 * the drop. Up-down sums never reset this way.</li>
 * <li>Series not seen for {@value #FORGET_AFTER} cycles are forgotten.</li>
 * </ul>
 */
final class SeriesStarts {

    static final int FORGET_AFTER = 360;

    private static final class Entry {
        final int hash;
        final String measurement;
        final String field;
        final String[] tags;
        long start;
        long lastTime;
        double last;
        long seen;
        Entry next;

        Entry(int hash, String measurement, String field, String[] tags) {
            this.hash = hash;
            this.measurement = measurement;
            this.field = field;
            this.tags = tags;
        }
    }

    private final long processStartNanos;
    private Entry[] table = new Entry[256];
    private int size;
    private long cycle;
    private long now;
    private long previousCycleNanos = -1;

    SeriesStarts(long processStartNanos) {
        this.processStartNanos = processStartNanos;
    }

    /** Starts a cycle at {@code timeNanos}. */
    void beginCycle(long timeNanos) {
        cycle++;
        now = timeNanos;
        if (cycle % FORGET_AFTER == 0) {
            forget();
        }
    }

    /** Ends the cycle begun last. */
    void endCycle() {
        previousCycleNanos = now;
    }

    int size() {
        return size;
    }

    /**
     * @param c the cycle
     * @param point the point
     * @param sourceTags how many of its tags are the source's (the rest are global)
     * @param field the field's key ({@code ""} for a histogram)
     * @param value the cumulative value (a histogram's count)
     * @param monotonic whether a lower value is a reset
     * @return the series' start, in nanoseconds since the epoch
     */
    long start(Cycle c, int point, int sourceTags, String field, double value, boolean monotonic) {
        String measurement = c.measurement(point);
        int h = measurement.hashCode() * 31 + field.hashCode();
        for (int t = 0; t < sourceTags; t++) {
            h = (h * 31 + c.tagKey(point, t).hashCode()) * 31 + c.tagValue(point, t).hashCode();
        }
        h ^= h >>> 16;
        int slot = h & (table.length - 1);
        Entry e = table[slot];
        while (e != null && !(e.hash == h && matches(e, c, point, sourceTags, measurement, field))) {
            e = e.next;
        }
        if (e == null) {
            String[] tags = new String[sourceTags * 2];
            for (int t = 0; t < sourceTags; t++) {
                tags[2 * t] = c.tagKey(point, t);
                tags[2 * t + 1] = c.tagValue(point, t);
            }
            e = new Entry(h, measurement, field, tags);
            e.start = Math.min(now, previousCycleNanos < 0 ? processStartNanos : previousCycleNanos);
            e.next = table[slot];
            table[slot] = e;
            if (++size > table.length * 3 / 4) {
                grow();
            }
        } else if (monotonic && value < e.last) {
            e.start = e.lastTime;
        }
        e.last = value;
        e.lastTime = now;
        e.seen = cycle;
        return e.start;
    }

    private static boolean matches(Entry e, Cycle c, int point, int sourceTags, String measurement, String field) {
        if (e.tags.length != sourceTags * 2 || !e.measurement.equals(measurement) || !e.field.equals(field)) {
            return false;
        }
        for (int t = 0; t < sourceTags; t++) {
            if (!e.tags[2 * t].equals(c.tagKey(point, t)) || !e.tags[2 * t + 1].equals(c.tagValue(point, t))) {
                return false;
            }
        }
        return true;
    }

    private void grow() {
        Entry[] old = table;
        table = new Entry[old.length * 2];
        for (Entry head : old) {
            for (Entry e = head; e != null;) {
                Entry next = e.next;
                int slot = e.hash & (table.length - 1);
                e.next = table[slot];
                table[slot] = e;
                e = next;
            }
        }
    }

    private void forget() {
        for (int i = 0; i < table.length; i++) {
            Entry kept = null;
            for (Entry e = table[i]; e != null;) {
                Entry next = e.next;
                if (cycle - e.seen < FORGET_AFTER) {
                    e.next = kept;
                    kept = e;
                } else {
                    size--;
                }
                e = next;
            }
            table[i] = kept;
        }
    }
}
