package dev.osgimon.api.model;

/** What the values of a field mean over time. */
public enum Kind {
    /** A value that goes up and down (heap used, threads, in flight). The default of an undeclared field. */
    GAUGE,
    /**
     * A monotonic count, cumulative since the source started: it only grows while the source lives
     * and starts again from 0 when the source restarts (a reset, visible as a drop).
     */
    COUNTER,
    /**
     * A distribution of recorded values: cumulative bucket counts over explicit bounds, with count,
     * sum, min and max (see {@link dev.osgimon.api.Histogram}).
     */
    HISTOGRAM
}
