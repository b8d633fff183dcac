package dev.osgimon.source.http.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import javax.servlet.ServletRequest;

import dev.osgimon.api.PointWriter;

/**
 * The HTTP request counters: by method and status class, in flight, the longest request of the
 * interval, and the latency of each route (one {@link dev.osgimon.api.Histogram} per route, see
 * {@link Routes}). Thread-safe.
 *
 * <p>Recording a request must cost next to nothing, so the counters are striped, as in
 * {@link java.util.concurrent.atomic.LongAdder}: a table of {@link Stripe}s, each padded to its own
 * cache lines, indexed by a hash of the server thread's id. Unlike a {@code LongAdder} cell, a
 * stripe has an owner: the thread that claimed it is the only one writing it, with plain (opaque)
 * stores and no locked instruction. A thread finds its stripe within {@value #PROBES} slots of its
 * hash; the first time (or after the table grew) it claims one under a lock: an empty slot, or the
 * stripe of a thread that has ended, whose counts it simply goes on adding to. The table doubles
 * when a thread finds no slot, up to {@value #MAX_STRIPES} stripes; past that, threads share one
 * stripe with atomic adds. {@link #collect} adds the stripes up. The per-interval maximum is shared
 * (an atomic, written only when a request is slower than every other of the interval), and so is
 * each route's histogram (lock-free atomic adds).
 *
 * <p>A stripe also carries the route of its thread's current request from the {@link RouteFilter}
 * (which runs inside the preprocessor's chain, on the same thread) back to the preprocessor, in a
 * plain field; only the shared stripe, whose threads could overwrite each other's, uses a request
 * attribute instead.
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

    /** The request attribute that carries the route on the shared stripe. */
    static final String ROUTE_ATTRIBUTE = "dev.osgimon.source.http.route";

    /** How many slots from its hash a thread looks for its stripe. */
    static final int PROBES = 4;
    /** Stripes in a new table (a power of two). */
    static final int INITIAL_STRIPES = 16;
    /** The table grows no further (a power of two); more threads than this share one stripe. */
    static final int MAX_STRIPES = 1024;

    private static final int OTHER = 7;
    private static final double NANOS_PER_SECOND = 1e9;

    /* Slots of a stripe: started first, then completed per method x class, then requests over the route cap. */
    private static final int STARTED = 0;
    private static final int COMPLETED = 1;
    private static final int OVER_CAP = COMPLETED + METHODS.length * CLASSES.length;
    private static final int SLOTS = OVER_CAP + 1;
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
    private final Routes routes;

    /**
     * @param maxRoutes how many routes get a latency histogram of their own, at least 1
     */
    HttpMetrics(int maxRoutes) {
        this.routes = new Routes(maxRoutes);
    }

    /** @return the routes */
    Routes routes() {
        return routes;
    }

    /** The counters of one owner thread (or, past {@link #MAX_STRIPES}, of every thread left over). */
    final class Stripe {
        /** Written only with {@link HttpMetrics#lock} held; null for the shared stripe. */
        private volatile Thread owner;
        private final boolean isShared;
        private final long[] slots = new long[PAD + SLOTS + PAD];
        /** The route of the owner's current request, set by the {@link RouteFilter}; owner thread only. */
        private Routes.Route route;

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
            route = null;
            return System.nanoTime();
        }

        /**
         * The {@link RouteFilter} found the request's route.
         *
         * @param r the route
         * @param request the request
         */
        void routed(Routes.Route r, ServletRequest request) {
            if (isShared) {
                request.setAttribute(ROUTE_ATTRIBUTE, r);
            } else {
                route = r;
            }
        }

        /**
         * @param request the request the preprocessor began with
         * @return its route, {@code none} when no servlet took it
         */
        Routes.Route route(ServletRequest request) {
            Object r = isShared ? request.getAttribute(ROUTE_ATTRIBUTE) : route;
            route = null;
            return r instanceof Routes.Route ? (Routes.Route) r : routes.none();
        }

        /** A request went to {@code other} because every route was taken. */
        void overCap() {
            add(OVER_CAP, 1);
        }

        /**
         * A request ended.
         *
         * @param method index into {@link #METHODS}
         * @param status the response status
         * @param startNanos what {@link #begin()} returned
         * @param route the request's route
         */
        void end(int method, int status, long startNanos, Routes.Route route) {
            HttpMetrics.this.end(this, method, status, startNanos, route);
        }
    }

    private void end(Stripe stripe, int method, int status, long startNanos, Routes.Route route) {
        long nanos = System.nanoTime() - startNanos;
        if (nanos < 0) {
            nanos = 0;
        }
        stripe.add(COMPLETED + method * CLASSES.length + statusClass(status), 1);
        route.latency.record(nanos / NANOS_PER_SECOND);
        long max = intervalMax.get();
        while (nanos > max && !intervalMax.compareAndSet(max, nanos)) {
            max = intervalMax.get();
        }
    }

    private static int hash(Thread t) {
        return (int) ((t.getId() * 0x9E3779B97F4A7C15L) >>> 32);
    }

    /** @return the calling thread's stripe; claimed on its first request (not in steady state) */
    Stripe stripe() {
        Thread t = Thread.currentThread();
        Stripe s = find(stripes, t);
        if (s != null) {
            return s;
        }
        Stripe overflow = shared;
        return overflow != null ? overflow : claim(t);
    }

    /** @return the stripe of {@code t} in {@code table}, or null */
    private static Stripe find(Stripe[] table, Thread t) {
        int mask = table.length - 1;
        int h = hash(t);
        for (int i = 0; i < PROBES; i++) {
            Stripe s = table[(h + i) & mask];
            if (s != null && s.owner == t) {
                return s;
            }
        }
        return null;
    }

    private Stripe claim(Thread t) {
        synchronized (lock) {
            while (true) {
                Stripe[] table = stripes;
                Stripe mine = find(table, t);
                if (mine != null) {
                    return mine;
                }
                int mask = table.length - 1;
                int h = hash(t);
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
     * @param route the request's route
     */
    void end(int method, int status, long startNanos, Routes.Route route) {
        stripe().end(method, status, startNanos, route);
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
        out.point("http_server").field("in_flight", inFlight < 0 ? 0 : inFlight)
                .field("latency_max", intervalMax.getAndSet(0) / NANOS_PER_SECOND)
                .field("routes", (long) routes.size())
                .field("routes_over_cap", v[OVER_CAP]);
        for (Routes.Route r : routes.written()) {
            r.latency.collect(out, "route", r.name);
        }
    }
}
