package dev.osgimon.source.http.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import dev.osgimon.api.PointWriter;

/**
 * The HTTP request counters: by method and status class, in flight, and latency (sum, max per
 * interval, fixed buckets). Thread-safe.
 *
 * <p>Recording a request must cost next to nothing, so every server thread counts into a
 * {@link Cell} of its own with plain (opaque) stores, no locked instruction; {@link #collect}
 * adds the cells up. A cell is made the first time a thread records (not in steady state); the
 * cells of threads that ended are folded into a retired sum when the counters are collected or a
 * new cell is made. Only the per-interval maximum is shared (an atomic, written only when a
 * request is slower than every other of the interval).
 *
 * <p>The price: a server thread keeps its cell (about 0.6 KB) in a {@link ThreadLocal}; after the
 * bundle stops, the stale entry stays in the thread until the JDK expunges it (the thread ends or
 * its thread-local table is cleaned up), as with any thread-local of a stopped bundle.
 */
final class HttpMetrics {

    /** The method tag values; every other method counts as {@code other}. */
    static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "other"};

    /** The status-class field names. */
    static final String[] CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    /** Upper bounds (inclusive) of the latency buckets in nanoseconds; a last bucket takes the rest. */
    static final long[] BOUNDS_NANOS = {
        1_000_000L, 2_500_000L, 5_000_000L, 10_000_000L, 25_000_000L, 50_000_000L, 100_000_000L,
        250_000_000L, 500_000_000L, 1_000_000_000L, 2_500_000_000L, 5_000_000_000L, 10_000_000_000L,
    };

    /** The {@code le} tag of each bucket, in seconds as Prometheus writes them. */
    static final String[] BUCKET_LABELS = {
        "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf",
    };

    private static final int OTHER = 7;
    private static final double NANOS_PER_SECOND = 1e9;

    /* Slots of a cell: started first, then completed per method x class, the latency sum, the buckets. */
    private static final int STARTED = 0;
    private static final int COMPLETED = 1;
    private static final int SUM = COMPLETED + METHODS.length * CLASSES.length;
    private static final int BUCKETS = SUM + 1;
    private static final int SLOTS = BUCKETS + BUCKET_LABELS.length;
    /** Padding (longs) before and after the slots, so two threads' cells never share a cache line. */
    private static final int PAD = 8;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private final ThreadLocal<Cell> local = new ThreadLocal<>();
    private final Object lock = new Object();
    private volatile Cell[] cells = new Cell[0];
    /** Sums of the cells of ended threads; guarded by {@link #lock}. */
    private final long[] retired = new long[SLOTS];
    /** Sums of one collection; guarded by {@link #lock}. */
    private final long[] sums = new long[SLOTS];
    private final AtomicLong intervalMax = new AtomicLong();

    /** The counters of one thread: only that thread writes them. */
    final class Cell {
        private final Thread owner;
        private final long[] slots = new long[PAD + SLOTS + PAD];

        Cell(Thread owner) {
            this.owner = owner;
        }

        private void add(int slot, long n) {
            int i = PAD + slot;
            SLOT.setOpaque(slots, i, slots[i] + n);
        }

        /**
         * A request starts.
         *
         * @return its start time, for {@link HttpMetrics#end}
         */
        long begin() {
            add(STARTED, 1);
            return System.nanoTime();
        }

        /**
         * A request ended.
         *
         * @param method index into {@link #METHODS}
         * @param status the response status
         * @param startNanos what {@link #begin()} returned
         */
        void end(int method, int status, long startNanos) {
            long nanos = System.nanoTime() - startNanos;
            if (nanos < 0) {
                nanos = 0;
            }
            add(COMPLETED + method * CLASSES.length + statusClass(status), 1);
            add(SUM, nanos);
            int b = 0;
            while (b < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[b]) {
                b++;
            }
            add(BUCKETS + b, 1);
            long max = intervalMax.get();
            while (nanos > max && !intervalMax.compareAndSet(max, nanos)) {
                max = intervalMax.get();
            }
        }
    }

    /** @return the calling thread's cell, made on its first request */
    Cell cell() {
        Cell c = local.get();
        return c != null ? c : register();
    }

    private Cell register() {
        Cell c = new Cell(Thread.currentThread());
        synchronized (lock) {
            retireEnded();
            Cell[] now = cells;
            Cell[] more = Arrays.copyOf(now, now.length + 1);
            more[now.length] = c;
            cells = more;
        }
        local.set(c);
        return c;
    }

    /** Folds the cells of ended threads into {@link #retired}; called with {@link #lock} held. */
    private void retireEnded() {
        Cell[] now = cells;
        int alive = 0;
        for (Cell c : now) {
            if (c.owner.isAlive()) {
                alive++;
            }
        }
        if (alive == now.length) {
            return;
        }
        Cell[] kept = new Cell[alive];
        int k = 0;
        for (Cell c : now) {
            if (c.owner.isAlive()) {
                kept[k++] = c;
            } else {
                for (int i = 0; i < SLOTS; i++) {
                    retired[i] += (long) SLOT.getOpaque(c.slots, PAD + i);
                }
            }
        }
        cells = kept;
    }

    /**
     * A request starts on this thread (tests; the preprocessor keeps the cell).
     *
     * @return its start time
     */
    long begin() {
        return cell().begin();
    }

    /**
     * A request ended on this thread.
     *
     * @param method index into {@link #METHODS}
     * @param status the response status
     * @param startNanos what {@link #begin()} returned
     */
    void end(int method, int status, long startNanos) {
        cell().end(method, status, startNanos);
    }

    /**
     * @param method the request method
     * @return its index into {@link #METHODS}
     */
    static int method(String method) {
        if (method == null) {
            return OTHER;
        }
        switch (method) {
            case "GET":
                return 0;
            case "POST":
                return 1;
            case "PUT":
                return 2;
            case "DELETE":
                return 3;
            case "HEAD":
                return 4;
            case "OPTIONS":
                return 5;
            case "PATCH":
                return 6;
            default:
                return OTHER;
        }
    }

    /**
     * @param status an HTTP status code
     * @return its index into {@link #CLASSES}; below 200 is 1xx, 500 and above 5xx
     */
    static int statusClass(int status) {
        int c = status / 100 - 1;
        return c < 0 ? 0 : c > 4 ? 4 : c;
    }

    /**
     * Writes the points (see {@code docs/sources.md}) and starts a new interval for the maximum.
     *
     * @param out the writer
     */
    void collect(PointWriter out) {
        synchronized (lock) {
            retireEnded();
            System.arraycopy(retired, 0, sums, 0, SLOTS);
            for (Cell c : cells) {
                // from the last slot down: "started" is read after "completed", so in_flight >= 0
                for (int i = SLOTS - 1; i >= 0; i--) {
                    sums[i] += (long) SLOT.getOpaque(c.slots, PAD + i);
                }
            }
            write(out, sums);
        }
    }

    private void write(PointWriter out, long[] v) {
        long total = 0;
        out.point("http_response");
        for (int c = 0; c < CLASSES.length; c++) {
            long n = 0;
            for (int m = 0; m < METHODS.length; m++) {
                n += v[COMPLETED + m * CLASSES.length + c];
            }
            total += n;
            out.field(CLASSES[c], n);
        }
        out.field("total", total);
        for (int m = 0; m < METHODS.length; m++) {
            long n = 0;
            for (int c = 0; c < CLASSES.length; c++) {
                n += v[COMPLETED + m * CLASSES.length + c];
            }
            out.point("http_requests").tag("method", METHODS[m]).field("total", n);
        }
        long inFlight = v[STARTED] - total;
        out.point("http_server").field("in_flight", inFlight < 0 ? 0 : inFlight);
        long count = 0;
        for (int b = 0; b < BUCKET_LABELS.length; b++) {
            count += v[BUCKETS + b];
            out.point("http_latency_bucket").tag("le", BUCKET_LABELS[b]).field("count", count);
        }
        out.point("http_latency")
                .field("count", count)
                .field("sum", v[SUM] / NANOS_PER_SECOND)
                .field("max", intervalMax.getAndSet(0) / NANOS_PER_SECOND);
    }
}
