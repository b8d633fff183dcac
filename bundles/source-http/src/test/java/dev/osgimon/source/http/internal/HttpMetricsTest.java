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
    void countsByClassMethodAndLatencyBucket() {
        HttpMetrics metrics = new HttpMetrics();
        metrics.begin();
        metrics.end(HttpMetrics.method("GET"), 200, System.nanoTime() - 3_000_000L);
        metrics.begin();
        metrics.end(HttpMetrics.method("GET"), 404, System.nanoTime() - 300_000L);
        metrics.begin();
        metrics.end(HttpMetrics.method("POST"), 500, System.nanoTime() - 20_000_000_000L);
        metrics.begin();

        RecordingWriter out = new RecordingWriter();
        metrics.collect(out);

        assertThat(out.named("http_response").get(0).fields()).containsEntry("1xx", 0L).containsEntry("2xx", 1L)
                .containsEntry("3xx", 0L).containsEntry("4xx", 1L).containsEntry("5xx", 1L).containsEntry("total", 3L);
        assertThat(out.named("http_requests")).hasSize(HttpMetrics.METHODS.length);
        assertThat(out.one("http_requests", "method", "GET").fields()).containsEntry("total", 2L);
        assertThat(out.one("http_requests", "method", "POST").fields()).containsEntry("total", 1L);
        assertThat(out.one("http_requests", "method", "other").fields()).containsEntry("total", 0L);
        assertThat(out.named("http_server").get(0).fields()).containsEntry("in_flight", 1L);
        assertThat(out.one("http_latency_bucket", "le", "0.001").fields()).containsEntry("count", 1L);
        assertThat(out.one("http_latency_bucket", "le", "0.0025").fields()).containsEntry("count", 1L);
        assertThat(out.one("http_latency_bucket", "le", "0.005").fields()).containsEntry("count", 2L);
        assertThat(out.one("http_latency_bucket", "le", "10").fields()).containsEntry("count", 2L);
        assertThat(out.one("http_latency_bucket", "le", "+Inf").fields()).containsEntry("count", 3L);
        RecordingWriter.Point latency = out.named("http_latency").get(0);
        assertThat(latency.fields()).containsEntry("count", 3L);
        assertThat((Double) latency.fields().get("sum")).isCloseTo(20.0033, within(0.01));
        assertThat((Double) latency.fields().get("max")).isCloseTo(20.0, within(0.01));
    }

    @Test
    void maxIsPerIntervalWhileCountsAreCumulative() {
        HttpMetrics metrics = new HttpMetrics();
        metrics.begin();
        metrics.end(0, 200, System.nanoTime() - 50_000_000L);
        metrics.collect(new RecordingWriter());

        RecordingWriter quiet = new RecordingWriter();
        metrics.collect(quiet);
        assertThat(quiet.named("http_latency").get(0).fields()).containsEntry("max", 0.0).containsEntry("count", 1L);

        metrics.begin();
        metrics.end(0, 200, System.nanoTime() - 2_000_000L);
        RecordingWriter next = new RecordingWriter();
        metrics.collect(next);
        assertThat((Double) next.named("http_latency").get(0).fields().get("max")).isCloseTo(0.002, within(0.001));
        assertThat(next.named("http_response").get(0).fields()).containsEntry("total", 2L);
    }

    @Test
    void countsOfManyThreadsAddUpAlsoAfterTheThreadsEnded() throws Exception {
        HttpMetrics metrics = new HttpMetrics();
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
                    metrics.end(method, i % 2 == 0 ? 200 : 404, start);
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
            assertThat(out.one("http_latency_bucket", "le", "+Inf").fields())
                    .containsEntry("count", (long) threads * perThread);
        }
    }

    private static Thread recordOn(HttpMetrics metrics, int requests, CountDownLatch hold) {
        Thread t = new Thread(() -> {
            for (int i = 0; i < requests; i++) {
                long start = metrics.begin();
                metrics.end(0, 200, start);
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
        HttpMetrics metrics = new HttpMetrics();
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
        HttpMetrics metrics = new HttpMetrics();
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
        HttpMetrics metrics = new HttpMetrics();
        long start = metrics.begin(); // this test thread lives on, as a server's pooled thread does
        metrics.end(0, 200, start);
        WeakReference<HttpMetrics> ref = new WeakReference<>(metrics);
        metrics = null;
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            System.gc();
            return ref.get() == null;
        });
    }
}
