package dev.osgimon.source.http.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.osgimon.api.PointWriter;

/**
 * The HTTP request counters: by method and status class, in flight, and latency (sum, max per
 * interval, fixed buckets). Recording a request is a handful of uncontended adds and two
 * {@link System#nanoTime()} calls; it never allocates. Thread-safe.
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

    private final LongAdder started = new LongAdder();
    private final LongAdder[] completed = adders(METHODS.length * CLASSES.length);
    private final LongAdder latencySum = new LongAdder();
    private final LongAdder[] buckets = adders(BUCKET_LABELS.length);
    private final AtomicLong intervalMax = new AtomicLong();

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
     * A request starts.
     *
     * @return its start time, for {@link #end}
     */
    long begin() {
        started.increment();
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
        completed[method * CLASSES.length + statusClass(status)].increment();
        latencySum.add(nanos);
        int b = 0;
        while (b < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[b]) {
            b++;
        }
        buckets[b].increment();
        long max = intervalMax.get();
        while (nanos > max && !intervalMax.compareAndSet(max, nanos)) {
            max = intervalMax.get();
        }
    }

    /**
     * Writes the points (see {@code docs/sources.md}) and starts a new interval for the maximum.
     *
     * @param out the writer
     */
    void collect(PointWriter out) {
        long total = 0;
        out.point("http_response");
        for (int c = 0; c < CLASSES.length; c++) {
            long n = 0;
            for (int m = 0; m < METHODS.length; m++) {
                n += completed[m * CLASSES.length + c].sum();
            }
            total += n;
            out.field(CLASSES[c], n);
        }
        out.field("total", total);
        long inFlight = started.sum() - total;
        for (int m = 0; m < METHODS.length; m++) {
            long n = 0;
            for (int c = 0; c < CLASSES.length; c++) {
                n += completed[m * CLASSES.length + c].sum();
            }
            out.point("http_requests").tag("method", METHODS[m]).field("total", n);
        }
        out.point("http_server").field("in_flight", inFlight < 0 ? 0 : inFlight);
        long count = 0;
        for (int b = 0; b < buckets.length; b++) {
            count += buckets[b].sum();
            out.point("http_latency_bucket").tag("le", BUCKET_LABELS[b]).field("count", count);
        }
        out.point("http_latency")
                .field("count", count)
                .field("sum", latencySum.sum() / NANOS_PER_SECOND)
                .field("max", intervalMax.getAndSet(0) / NANOS_PER_SECOND);
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }
}
