package dev.osgimon.source.http.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.osgimon.api.PointWriter;

/**
 * The HTTP request counters: by method and status class, in flight, and latency (sum, max per
 * interval, fixed buckets). Thread-safe.
 *
 * <p>Recording a request must cost next to nothing, so the counters are striped, as in
 * {@link java.util.concurrent.atomic.LongAdder}: a table of {@link Stripe}s, each padded to its own
 * cache lines, indexed by a hash of the server thread's id. Unlike a {@code LongAdder} cell, a
 * stripe has an owner: the thread that claimed it is the only one writing it, with plain (opaque)
 * stores and no locked instruction. A thread finds its stripe within {@value #PROBES} slots of its
 * hash; the first time (or after the table grew) it claims one under a lock: an empty slot, or the
 * stripe of a thread that has ended, whose counts it simply goes on adding to. The table doubles
 * when a thread finds no slot, up to {@value #MAX_STRIPES} stripes; past that, threads share one
 * stripe with atomic adds. {@link #collect} adds the stripes up. Only the per-interval maximum is
 * always shared (an atomic, written only when a request is slower than every other of the interval).
 *
 * <p>Nothing of this class is kept by a server thread (no {@link ThreadLocal}): the stripes refer to
 * their threads, never the other way round, so once the source stops, its counters and its bundle's
 * class loader can be collected even though the server's pooled threads live on.
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

    /** How many slots from its hash a thread looks for its stripe. */
    static final int PROBES = 4;
    /** Stripes in a new table (a power of two). */
    static final int INITIAL_STRIPES = 16;
    /** The table grows no further (a power of two); more threads than this share one stripe. */
    static final int MAX_STRIPES = 1024;

    private static final int OTHER = 7;
    private static final double NANOS_PER_SECOND = 1e9;

    /* Slots of a stripe: started first, then completed per method x class, the latency sum, the buckets. */
    private static final int STARTED = 0;
    private static final int COMPLETED = 1;
    private static final int SUM = COMPLETED + METHODS.length * CLASSES.length;
    private static final int BUCKETS = SUM + 1;
    private static final int SLOTS = BUCKETS + BUCKET_LABELS.length;
    /** Padding (longs) before and after the slots, so two threads' stripes never share a cache line. */
    private static final int PAD = 8;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private final Object lock = new Object();
    /** Read without the lock; replaced and filled with {@link #lock} held. Slots may be empty. */
    private volatile Stripe[] stripes = new Stripe[INITIAL_STRIPES];
    /** Where threads go once the table is full; made with {@link #lock} held. */
    private volatile Stripe shared;
    /** Sums of one collection; guarded by {@link #lock}. */
    private final long[] sums = new long[SLOTS];
    private final AtomicLong intervalMax = new AtomicLong();

    /** The counters of one owner thread (or, past {@link #MAX_STRIPES}, of every thread left over). */
    final class Stripe {
        /** Written only with {@link HttpMetrics#lock} held; null for the shared stripe. */
        private volatile Thread owner;
        private final boolean isShared;
        private final long[] slots = new long[PAD + SLOTS + PAD];

        Stripe(Thread owner) {
            this.owner = owner;
            this.isShared = owner == null;
        }

        private void add(int slot, long n) {
            int i = PAD + slot;
            if (isShared) {
                SLOT.getAndAdd(slots, i, n);
            } else {
                SLOT.setOpaque(slots, i, slots[i] + n);
            }
        }

        /**
         * A request starts.
         *
         * @return its start time, for {@link #end}
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

    private static int hash(Thread t) {
        return (int) ((t.getId() * 0x9E3779B97F4A7C15L) >>> 32);
    }

    /** @return the calling thread's stripe; claimed on its first request (not in steady state) */
    Stripe stripe() {
        Thread t = Thread.currentThread();
        Stripe[] table = stripes;
        int mask = table.length - 1;
        int h = hash(t);
        for (int i = 0; i < PROBES; i++) {
            Stripe s = table[(h + i) & mask];
            if (s != null && s.owner == t) {
                return s;
            }
        }
        Stripe overflow = shared;
        return overflow != null ? overflow : claim(t);
    }

    private Stripe claim(Thread t) {
        synchronized (lock) {
            while (true) {
                Stripe[] table = stripes;
                int mask = table.length - 1;
                int h = hash(t);
                for (int i = 0; i < PROBES; i++) {
                    Stripe s = table[(h + i) & mask];
                    if (s != null && s.owner == t) {
                        return s;
                    }
                }
                for (int i = 0; i < PROBES; i++) {
                    int slot = (h + i) & mask;
                    Stripe s = table[slot];
                    if (s == null) {
                        s = new Stripe(t);
                        table[slot] = s;
                        return s;
                    }
                    // an ended thread's last writes happen-before isAlive() answers false
                    if (!s.owner.isAlive()) {
                        s.owner = t;
                        return s;
                    }
                }
                if (table.length >= MAX_STRIPES) {
                    if (shared == null) {
                        shared = new Stripe(null);
                    }
                    return shared;
                }
                grow(table);
            }
        }
    }

    /** Doubles the table; every stripe goes along (its counts too), near its owner's hash where there is room. */
    private void grow(Stripe[] table) {
        Stripe[] bigger = new Stripe[table.length * 2];
        int mask = bigger.length - 1;
        List<Stripe> homeless = new ArrayList<>();
        for (Stripe s : table) {
            if (s == null) {
                continue;
            }
            int h = hash(s.owner);
            boolean placed = false;
            for (int i = 0; i < PROBES && !placed; i++) {
                int slot = (h + i) & mask;
                if (bigger[slot] == null) {
                    bigger[slot] = s;
                    placed = true;
                }
            }
            if (!placed) {
                homeless.add(s);
            }
        }
        int free = 0;
        for (Stripe s : homeless) {
            while (bigger[free] != null) {
                free++;
            }
            bigger[free] = s;
        }
        stripes = bigger;
    }

    /** @return how many stripes the counters have now (tests) */
    int stripeCount() {
        synchronized (lock) {
            int n = shared == null ? 0 : 1;
            for (Stripe s : stripes) {
                if (s != null) {
                    n++;
                }
            }
            return n;
        }
    }

    /**
     * A request starts on this thread (tests; the preprocessor keeps the stripe).
     *
     * @return its start time
     */
    long begin() {
        return stripe().begin();
    }

    /**
     * A request ended on this thread.
     *
     * @param method index into {@link #METHODS}
     * @param status the response status
     * @param startNanos what {@link #begin()} returned
     */
    void end(int method, int status, long startNanos) {
        stripe().end(method, status, startNanos);
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
            Arrays.fill(sums, 0);
            for (Stripe s : stripes) {
                if (s != null) {
                    addTo(sums, s);
                }
            }
            if (shared != null) {
                addTo(sums, shared);
            }
            write(out, sums);
        }
    }

    private static void addTo(long[] sums, Stripe s) {
        // from the last slot down: "started" is read after "completed", so in_flight >= 0
        for (int i = SLOTS - 1; i >= 0; i--) {
            sums[i] += (long) SLOT.getOpaque(s.slots, PAD + i);
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
