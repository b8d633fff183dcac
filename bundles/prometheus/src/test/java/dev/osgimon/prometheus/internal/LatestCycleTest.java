package dev.osgimon.prometheus.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.osgimon.api.model.Kind;
import dev.osgimon.testing.LogCapture;
import dev.osgimon.testing.TestCycle;

/**
 * What a scrape gets from the observer: the last cycle exactly, its snapshot built once, the
 * collector never held up by a scrape, and every snapshot served a whole cycle while cycles and
 * scrapes run at once.
 */
class LatestCycleTest {

    /** The bound of a wait that only fails the test instead of hanging it; nothing here waits on time. */
    private static final long NEVER_SECONDS = 120;

    private final ExecutorService threads = Executors.newFixedThreadPool(3);

    @AfterEach
    void stop() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(NEVER_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    private static String text(Snapshot s) {
        return new String(s.bytes(Format.TEXT, false), StandardCharsets.UTF_8);
    }

    /** The text of a cycle's snapshot as a builder of its own makes it, straight from the cycle. */
    private static String alone(TestCycle cycle) {
        return text(new SnapshotBuilder().build(cycle));
    }

    /**
     * Cycle {@code n} ({@code n >= 1}, at n seconds): {@code 1 + n % 7} points of measurement
     * {@code m}, tagged {@code i}, with a long gauge {@code v = n}, a double gauge {@code w = n / 2}
     * and a counter {@code c = 3n}; on every third cycle a histogram of {@code n} values too. What
     * it serves can be checked against {@code n} alone ({@link #checkWhole}).
     */
    private static TestCycle cycle(int n) {
        TestCycle c = new TestCycle(n * 1_000_000_000L).global("vm", "host-1");
        for (int i = 0; i < 1 + n % 7; i++) {
            c.point("m").tag("i", Integer.toString(i)).gauge("v", (long) n).gauge("w", n / 2.0)
                    .field("c", (long) 3 * n, Kind.COUNTER, "", "a counter");
        }
        if (n % 3 == 0) {
            c.point("lat").histogram("s", "latency", new double[] {1, 10}, new long[] {n, 0, 0}, n * 0.5);
        }
        return c;
    }

    /**
     * Checks that a text exposition is one whole cycle made by {@link #cycle}: the one its
     * timestamp names, every value of it and nothing else.
     *
     * @return the cycle's number
     */
    private static int checkWhole(String text) {
        Map<String, String> samples = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                assertThat(samples.put(line.substring(0, space), line.substring(space + 1))).as("once: " + line).isNull();
            }
        }
        int n = Integer.parseInt(samples.remove("osgimon_prometheus_cycle_timestamp_seconds"));
        Map<String, String> expected = new TreeMap<>();
        for (int i = 0; i < 1 + n % 7; i++) {
            String labels = "{i=\"" + i + "\",vm=\"host-1\"}";
            expected.put("m_v" + labels, Integer.toString(n));
            expected.put("m_w" + labels, n % 2 == 0 ? Integer.toString(n / 2) : (n / 2) + ".5");
            expected.put("m_c_total" + labels, Integer.toString(3 * n));
        }
        if (n % 3 == 0) {
            for (String le : new String[] {"1.0", "10.0", "+Inf"}) {
                expected.put("lat_seconds_bucket{vm=\"host-1\",le=\"" + le + "\"}", Integer.toString(n));
            }
            expected.put("lat_seconds_sum{vm=\"host-1\"}", n % 2 == 0 ? Integer.toString(n / 2) : (n / 2) + ".5");
            expected.put("lat_seconds_count{vm=\"host-1\"}", Integer.toString(n));
        }
        expected.put("osgimon_prometheus_series", Integer.toString(3 * (1 + n % 7) + (n % 3 == 0 ? 1 : 0)));
        expected.put("osgimon_prometheus_refused_series_total", "0");
        assertThat(samples).as("cycle " + n).isEqualTo(expected);
        return n;
    }

    @Test
    void beforeTheFirstCycleTheEndpointsOwnMetricsOnly() {
        LatestCycle latest = new LatestCycle();
        assertThat(text(latest.snapshot())).isEqualTo(text(new SnapshotBuilder().empty()))
                .contains("osgimon_prometheus_cycle_timestamp_seconds 0\n", "osgimon_prometheus_series 0\n",
                        "osgimon_prometheus_refused_series_total 0\n");
        assertThat(latest.snapshot()).as("the same, every time").isSameAs(latest.snapshot());
    }

    @Test
    void aScrapeAfterManyCyclesServesExactlyTheLastAsSeriesComeAndGo() {
        LatestCycle latest = new LatestCycle();
        List<TestCycle> cycles = List.of(
                new TestCycle(1_000_000_000L).global("vm", "a").point("m").tag("k", "1").gauge("x", 1).gauge("y", 2.5)
                        .point("gone").gauge("z", 3),
                new TestCycle(2_000_000_000L).global("vm", "a").point("m").tag("k", "1").gauge("x", 4)
                        .point("m").tag("k", "2").tag("extra", "e").gauge("x", 5)
                        .point("new").field("n", 6, Kind.COUNTER, "By", "new one"),
                new TestCycle(3_000_000_000L).global("vm", "b").point("lat").tag("r", "/")
                        .histogram("ms", "", new double[] {5}, new long[] {1, 2}, 7),
                new TestCycle(4_000_000_000L),
                new TestCycle(5_000_000_000L).point("m").tag("k", "3").gauge("x", "a string").gauge("on", true));
        for (int last = 0; last < cycles.size(); last++) {
            for (int i = 0; i <= last; i++) {
                latest.cycleCollected(cycles.get(i));
            }
            assertThat(text(latest.snapshot())).as("after cycles 1 to " + (last + 1))
                    .isEqualTo(alone(cycles.get(last)))
                    .contains("osgimon_prometheus_cycle_timestamp_seconds " + (last + 1) + "\n");
        }
        assertThat(text(latest.snapshot())).contains("m_on{k=\"3\"} 1\n").doesNotContain("m_x").doesNotContain("vm=")
                .doesNotContain("lat_");
    }

    @Test
    void aCycleIsBuiltOnlyWhenScrapedAndOnceHoweverOftenScraped() {
        AtomicInteger builds = new AtomicInteger();
        SnapshotBuilder builder = new SnapshotBuilder();
        LatestCycle latest = new LatestCycle(builder.empty(), copy -> {
            builds.incrementAndGet();
            return builder.build(copy);
        });
        for (int n = 1; n <= 5; n++) {
            latest.cycleCollected(cycle(n));
        }
        assertThat(builds).as("nobody scraped").hasValue(0);
        Snapshot first = latest.snapshot();
        assertThat(latest.snapshot()).isSameAs(first);
        assertThat(builds).hasValue(1);
        assertThat(checkWhole(text(first))).isEqualTo(5);
        latest.cycleCollected(cycle(6));
        assertThat(checkWhole(text(latest.snapshot()))).isEqualTo(6);
        assertThat(builds).hasValue(2);
    }

    @Test
    void refusedSeriesAreCountedInTheCyclesScraped() {
        LatestCycle latest = new LatestCycle();
        // two series of one family with the same labels: the second is refused, in every cycle
        TestCycle refusing = new TestCycle(1_000_000_000L).point("a.b").gauge("c", 1).point("a_b").gauge("c", 2);
        String log;
        try (LogCapture capture = new LogCapture()) {
            latest.cycleCollected(refusing);
            latest.cycleCollected(refusing);
            latest.cycleCollected(refusing);
            assertThat(capture.text()).as("nothing built yet").doesNotContain("refused");
            assertThat(text(latest.snapshot())).contains("osgimon_prometheus_refused_series_total 1\n", "a_b_c 1\n")
                    .doesNotContain("a_b_c 2");
            assertThat(text(latest.snapshot())).as("the same cycle again").contains("osgimon_prometheus_refused_series_total 1\n");
            latest.cycleCollected(refusing);
            assertThat(text(latest.snapshot())).contains("osgimon_prometheus_refused_series_total 2\n");
            log = capture.text();
        }
        assertThat(log.split("refused the series a_b_c", -1)).as("logged once per name:\n" + log).hasSize(2);
    }

    @Test
    void theCollectorNeverWaitsForAScrapeNorWritesIntoTheCycleItReads() throws Exception {
        CountDownLatch building = new CountDownLatch(1);
        CountDownLatch mayBuild = new CountDownLatch(1);
        SnapshotBuilder builder = new SnapshotBuilder();
        LatestCycle latest = new LatestCycle(builder.empty(), copy -> {
            building.countDown();
            try {
                mayBuild.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return builder.build(copy);
        });
        latest.cycleCollected(cycle(1));
        Future<Snapshot> scrape = threads.submit(latest::snapshot);
        assertThat(building.await(NEVER_SECONDS, TimeUnit.SECONDS)).as("the scrape started building").isTrue();
        // the scrape holds cycle 1's copy; ten cycles are written meanwhile, on another thread
        Future<?> cycles = threads.submit(() -> {
            for (int n = 2; n <= 11; n++) {
                latest.cycleCollected(cycle(n));
            }
        });
        cycles.get(NEVER_SECONDS, TimeUnit.SECONDS);
        assertThat(scrape).as("still building").isNotDone();
        mayBuild.countDown();
        assertThat(checkWhole(text(scrape.get(NEVER_SECONDS, TimeUnit.SECONDS))))
                .as("the copy being read was left alone").isEqualTo(1);
        assertThat(checkWhole(text(latest.snapshot()))).isEqualTo(11);
    }

    @Test
    void everySnapshotServedWhileCyclesAreWrittenIsAWholeCycle() throws Exception {
        LatestCycle latest = new LatestCycle();
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger scrapes = new AtomicInteger();
        List<Future<List<Integer>>> scrapers = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            scrapers.add(threads.submit(() -> {
                List<Integer> served = new ArrayList<>();
                while (!done.get()) {
                    String text = text(latest.snapshot());
                    if (!text.contains("osgimon_prometheus_cycle_timestamp_seconds 0\n")) {
                        served.add(checkWhole(text));
                    }
                    scrapes.incrementAndGet();
                }
                return served;
            }));
        }
        Future<Integer> cycler = threads.submit(() -> {
            int n = 0;
            try {
                while (n < 2_000 || scrapes.get() < 1_000) {
                    latest.cycleCollected(cycle(++n));
                }
            } finally {
                done.set(true);
            }
            return n;
        });
        int last = cycler.get(NEVER_SECONDS, TimeUnit.SECONDS);
        java.util.Set<Integer> distinct = new java.util.HashSet<>();
        for (Future<List<Integer>> f : scrapers) {
            List<Integer> served = f.get(NEVER_SECONDS, TimeUnit.SECONDS);
            for (int i = 1; i < served.size(); i++) {
                assertThat(served.get(i)).as("a scraper never goes back in time").isGreaterThanOrEqualTo(served.get(i - 1));
            }
            distinct.addAll(served);
        }
        assertThat(distinct).as("scrapes saw cycles while they were written").hasSizeGreaterThan(1);
        assertThat(checkWhole(text(latest.snapshot()))).isEqualTo(last);
    }
}
