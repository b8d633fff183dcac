package dev.osgimon.prometheus.internal;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import dev.osgimon.api.model.Cycle;

/**
 * The last cycle, as a scrape gets it: the collector thread only copies each cycle
 * ({@link #cycleCollected}, a {@link CycleCopy} into arrays kept from one cycle to the next, no
 * allocation once warm); the first scrape of a cycle builds its {@link Snapshot} (names, admission,
 * families: {@link SnapshotBuilder}) from the copy, and every further scrape of that cycle gets the
 * same snapshot. A cycle nobody scrapes costs its copy only.
 *
 * <p><b>Concurrency: triple buffering, one writer, scrapes one at a time.</b> Three copies; one is
 * <em>published</em> (the last cycle copied) and at most one is <em>being read</em> (a scrape
 * building from it). The writer copies a cycle into a copy that is neither, then publishes it: of
 * three, one is always free, so the collector never waits for a scrape, whatever the scrape is
 * doing, and never allocates a copy. A scrape takes the build lock (scrapes build one at a time:
 * the builder's name caches are single-threaded), marks the published copy as being read, then
 * checks that it is still the published one (otherwise it marks the new one and checks again): both
 * marks are volatile, so either the scrape sees the writer's publication and moves on, or the
 * writer sees the mark and leaves that copy alone. The snapshot built is kept with the copy's
 * cycle number, so a second scrape of the same cycle reuses it; a scrape that arrives while another
 * builds waits for that build, then (same cycle) reuses it. The snapshot, once built, is immutable
 * and shared.
 *
 * <p>Before the first cycle a scrape gets {@link SnapshotBuilder#empty()}.
 */
final class LatestCycle {

    private final CycleCopy[] copies = {new CycleCopy(), new CycleCopy(), new CycleCopy()};
    /** The copy of the last cycle; null before the first. Written by the collector thread only. */
    private final AtomicReference<CycleCopy> published = new AtomicReference<>();
    /** The copy a scrape is building from, or null. Written by the scrape holding {@link #lock} only. */
    private final AtomicReference<CycleCopy> reading = new AtomicReference<>();
    /** Cycles copied: the number of the next. Collector thread only. */
    private long copied;

    private final Object lock = new Object();
    private final Function<CycleCopy, Snapshot> build;
    private final Snapshot empty;
    /** The snapshot last built and the number of its cycle; guarded by {@link #lock}. */
    private Snapshot built;
    private long builtSequence = -1;

    LatestCycle() {
        this(new SnapshotBuilder());
    }

    private LatestCycle(SnapshotBuilder builder) {
        this(builder.empty(), builder::build);
    }

    /**
     * @param empty what a scrape gets before the first cycle
     * @param build builds a cycle's snapshot; called by one scrape thread at a time
     */
    LatestCycle(Snapshot empty, Function<CycleCopy, Snapshot> build) {
        this.empty = empty;
        this.build = build;
    }

    /**
     * Copies a cycle for the scrapes to come; the collector thread only, never waits for a scrape.
     *
     * @param cycle the cycle, read during this call only
     */
    void cycleCollected(Cycle cycle) {
        CycleCopy target = spare();
        target.copy(cycle, copied++);
        published.set(target);
    }

    /** A copy neither published nor being read: with three, there is always one. */
    private CycleCopy spare() {
        CycleCopy current = published.get();
        CycleCopy busy = reading.get();
        for (CycleCopy c : copies) {
            if (c != current && c != busy) {
                return c;
            }
        }
        throw new IllegalStateException("no spare copy"); // cannot happen: two of three are excluded at most
    }

    /**
     * The snapshot of the last cycle, built by the first scrape that asks for it.
     *
     * @return it; {@link SnapshotBuilder#empty()} before the first cycle
     */
    Snapshot snapshot() {
        synchronized (lock) {
            CycleCopy c = published.get();
            if (c == null) {
                return empty;
            }
            reading.set(c);
            for (CycleCopy now = published.get(); now != c; now = published.get()) {
                c = now; // a cycle was published meanwhile, and the writer may be writing into c
                reading.set(c);
            }
            try {
                if (c.sequence() != builtSequence) {
                    built = build.apply(c);
                    builtSequence = c.sequence();
                }
                return built;
            } finally {
                reading.set(null);
            }
        }
    }
}
