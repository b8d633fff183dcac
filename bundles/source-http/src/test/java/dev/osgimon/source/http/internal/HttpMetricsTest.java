package dev.osgimon.source.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import dev.osgimon.testing.RecordingWriter;

class HttpMetricsTest {

    @Test
    void methodsAreABoundedSet() {
        assertThat(HttpMetrics.method("GET")).isZero();
        assertThat(HttpMetrics.METHODS[HttpMetrics.method("PATCH")]).isEqualTo("PATCH");
        assertThat(HttpMetrics.METHODS[HttpMetrics.method("PROPFIND")]).isEqualTo("other");
        assertThat(HttpMetrics.METHODS[HttpMetrics.method("get")]).as("methods are case-sensitive").isEqualTo("other");
        assertThat(HttpMetrics.METHODS[HttpMetrics.method(null)]).isEqualTo("other");
    }

    @Test
    void statusClassesAreClamped() {
        assertThat(HttpMetrics.CLASSES[HttpMetrics.statusClass(0)]).isEqualTo("1xx");
        assertThat(HttpMetrics.CLASSES[HttpMetrics.statusClass(101)]).isEqualTo("1xx");
        assertThat(HttpMetrics.CLASSES[HttpMetrics.statusClass(204)]).isEqualTo("2xx");
        assertThat(HttpMetrics.CLASSES[HttpMetrics.statusClass(304)]).isEqualTo("3xx");
        assertThat(HttpMetrics.CLASSES[HttpMetrics.statusClass(404)]).isEqualTo("4xx");
        assertThat(HttpMetrics.CLASSES[HttpMetrics.statusClass(503)]).isEqualTo("5xx");
        assertThat(HttpMetrics.CLASSES[HttpMetrics.statusClass(999)]).isEqualTo("5xx");
    }

    @Test
    void countsByClassMethodAndLatencyPerRoute() {
        HttpMetrics metrics = new HttpMetrics(50);
        Routes.Route orders = metrics.routes().lookup("orders");
        metrics.begin();
        metrics.end(HttpMetrics.method("GET"), 200, System.nanoTime() - 30_000_000L, orders);
        metrics.begin();
        metrics.end(HttpMetrics.method("GET"), 404, System.nanoTime() - 300_000L, metrics.routes().none());
        metrics.begin();
        metrics.end(HttpMetrics.method("POST"), 500, System.nanoTime() - 20_000_000_000L, orders);
        metrics.begin();

        RecordingWriter out = new RecordingWriter();
        metrics.collect(out);

        assertThat(out.named("http_response").get(0).fields()).containsEntry("1xx", 0L).containsEntry("2xx", 1L)
                .containsEntry("3xx", 0L).containsEntry("4xx", 1L).containsEntry("5xx", 1L).containsEntry("total", 3L);
        assertThat(out.named("http_requests")).hasSize(HttpMetrics.METHODS.length);
        assertThat(out.one("http_requests", "method", "GET").fields()).containsEntry("total", 2L);
        assertThat(out.one("http_requests", "method", "POST").fields()).containsEntry("total", 1L);
        assertThat(out.one("http_requests", "method", "other").fields()).containsEntry("total", 0L);
        assertThat(out.named("http_server").get(0).fields()).containsEntry("in_flight", 1L).containsEntry("routes", 1L)
                .containsEntry("routes_over_cap", 0L);
        assertThat(out.named("http_latency")).extracting(p -> p.tags().get("route")).containsExactly("none", "orders");
        RecordingWriter.Point o = out.one("http_latency", "route", "orders");
        assertThat(o.fields()).containsEntry("count", 2L).containsEntry("le=0.025", 0L).containsEntry("le=0.05", 1L)
                .containsEntry("le=10.0", 1L).containsEntry("le=+Inf", 2L);
        assertThat((Double) o.fields().get("sum")).isCloseTo(20.03, within(0.01));
        assertThat((Double) o.fields().get("min")).isCloseTo(0.03, within(0.005));
        assertThat((Double) o.fields().get("max")).isCloseTo(20.0, within(0.01));
        assertThat(out.one("http_latency", "route", "none").fields()).containsEntry("count", 1L).containsEntry("le=0.005", 1L);
    }

    @Test
    void latencyMaxIsPerIntervalWhileTheHistogramIsCumulative() {
        HttpMetrics metrics = new HttpMetrics(50);
        Routes.Route none = metrics.routes().none();
        metrics.begin();
        metrics.end(0, 200, System.nanoTime() - 50_000_000L, none);
        metrics.collect(new RecordingWriter());

        RecordingWriter quiet = new RecordingWriter();
        metrics.collect(quiet);
        assertThat(quiet.named("http_server").get(0).fields()).containsEntry("latency_max", 0.0);
        assertThat(quiet.one("http_latency", "route", "none").fields()).containsEntry("count", 1L);

        metrics.begin();
        metrics.end(0, 200, System.nanoTime() - 2_000_000L, none);
        RecordingWriter next = new RecordingWriter();
        metrics.collect(next);
        assertThat((Double) next.named("http_server").get(0).fields().get("latency_max")).isCloseTo(0.002, within(0.001));
        assertThat((Double) next.one("http_latency", "route", "none").fields().get("max")).as("since start")
                .isCloseTo(0.05, within(0.01));
        assertThat(next.named("http_response").get(0).fields()).containsEntry("total", 2L);
    }

    @Test
    void routesPastTheCapGoToOtherAndAreCounted() {
        HttpMetrics metrics = new HttpMetrics(2);
        Routes routes = metrics.routes();
        Routes.Route a = routes.lookup("a");
        assertThat(routes.lookup("b")).isNotNull();
        assertThat(routes.lookup("c")).as("the cap is reached").isNull();
        assertThat(routes.lookup("a")).isSameAs(a);
        HttpMetrics.Stripe stripe = metrics.stripe();
        for (int i = 0; i < 3; i++) {
            long start = stripe.begin();
            stripe.overCap();
            stripe.end(0, 200, start, routes.other());
        }
        RecordingWriter out = new RecordingWriter();
        metrics.collect(out);
        assertThat(out.named("http_server").get(0).fields()).containsEntry("routes", 2L).containsEntry("routes_over_cap", 3L);
        assertThat(out.named("http_latency")).extracting(p -> p.tags().get("route")).containsExactly("none", "a", "b", "other");
        assertThat(out.one("http_latency", "route", "other").fields()).containsEntry("count", 3L);
        assertThat(out.one("http_latency", "route", "a").fields()).containsEntry("count", 0L).doesNotContainKey("max");
    }

    @Test
    void aMaxRoutesBelowOneIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new HttpMetrics(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRoutes");
    }

    @Test
    void countsOfManyThreadsAddUpAlsoAfterTheThreadsEnded() throws Exception {
        HttpMetrics metrics = new HttpMetrics(50);
        int threads = 4;
        int perThread = 10_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int method = t;
            Thread w = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    long start = metrics.begin();
                    metrics.end(method, i % 2 == 0 ? 200 : 404, start, metrics.routes().none());
                }
            });
            w.start();
            workers.add(w);
        }
        go.countDown();
        for (Thread w : workers) {
            w.join(30_000);
        }

        for (int round = 0; round < 2; round++) { // the second round reads the folded sums of ended threads
            RecordingWriter out = new RecordingWriter();
            metrics.collect(out);
            assertThat(out.named("http_response").get(0).fields())
                    .containsEntry("total", (long) threads * perThread)
                    .containsEntry("2xx", (long) threads * perThread / 2)
                    .containsEntry("4xx", (long) threads * perThread / 2);
            assertThat(out.one("http_requests", "method", "PUT").fields()).containsEntry("total", (long) perThread);
            assertThat(out.named("http_server").get(0).fields()).containsEntry("in_flight", 0L);
            assertThat(out.one("http_latency", "route", "none").fields())
                    .containsEntry("count", (long) threads * perThread).containsEntry("le=+Inf", (long) threads * perThread);
        }
    }

    private static Thread recordOn(HttpMetrics metrics, int requests, CountDownLatch hold) {
        Thread t = new Thread(() -> {
            for (int i = 0; i < requests; i++) {
                long start = metrics.begin();
                metrics.end(0, 200, start, metrics.routes().none());
            }
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        return t;
    }

    private static long total(HttpMetrics metrics) {
        RecordingWriter out = new RecordingWriter();
        metrics.collect(out);
        return (Long) out.named("http_response").get(0).fields().get("total");
    }

    @Test
    void aNewThreadTakesOverTheStripeOfAnEndedOneAndItsCounts() throws Exception {
        HttpMetrics metrics = new HttpMetrics(50);
        CountDownLatch none = new CountDownLatch(0);
        int threads = 5 * HttpMetrics.INITIAL_STRIPES;
        for (int t = 0; t < threads; t++) {
            Thread w = recordOn(metrics, 3, none);
            w.join(30_000);
            assertThat(w.isAlive()).isFalse();
        }
        assertThat(total(metrics)).isEqualTo(3L * threads);
        assertThat(metrics.stripeCount()).as("ended threads' stripes are reused, the table never grew")
                .isLessThanOrEqualTo(HttpMetrics.INITIAL_STRIPES);
    }

    @Test
    void theTableGrowsWithTheLiveThreadsAndLosesNoCount() throws Exception {
        HttpMetrics metrics = new HttpMetrics(50);
        CountDownLatch hold = new CountDownLatch(1);
        int threads = 3 * HttpMetrics.INITIAL_STRIPES;
        List<Thread> workers = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                workers.add(recordOn(metrics, 100, hold));
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> total(metrics) == 100L * threads);
            assertThat(metrics.stripeCount()).as("one stripe per live thread").isEqualTo(threads);
        } finally {
            hold.countDown();
            for (Thread w : workers) {
                w.join(30_000);
            }
        }
        assertThat(total(metrics)).isEqualTo(100L * threads);
    }

    @Test
    void aLiveThreadThatRecordedKeepsNothingOfTheCounters() {
        HttpMetrics metrics = new HttpMetrics(50);
        long start = metrics.begin(); // this test thread lives on, as a server's pooled thread does
        metrics.end(0, 200, start, metrics.routes().none());
        WeakReference<HttpMetrics> ref = new WeakReference<>(metrics);
        metrics = null;
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            System.gc();
            return ref.get() == null;
        });
    }
}
