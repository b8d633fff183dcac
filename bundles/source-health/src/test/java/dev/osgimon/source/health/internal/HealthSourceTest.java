package dev.osgimon.source.health.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckMetadata;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.execution.HealthCheckSelector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

import dev.osgimon.testing.DeclarationCheck;
import dev.osgimon.testing.RecordingWriter;

class HealthSourceTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final HealthCheckExecutor executor = mock(HealthCheckExecutor.class);
    private final BundleContext context = mock(BundleContext.class);

    /** Two checks registered, one of them without a name. */
    @BeforeEach
    void checks() throws Exception {
        ServiceReference<?> named = mock(ServiceReference.class);
        when(named.getProperty(HealthCheck.NAME)).thenReturn("disk");
        ServiceReference<?> anonymous = mock(ServiceReference.class);
        when(context.getServiceReferences(HealthCheck.class.getName(), null))
                .thenReturn(new ServiceReference<?>[] {named, anonymous});
    }

    static HealthConfig config(int timeoutMs, String... tags) {
        return new HealthConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return HealthConfig.class;
            }

            @Override
            public int timeoutMs() {
                return timeoutMs;
            }

            @Override
            public String[] tags() {
                return tags;
            }
        };
    }

    static HealthCheckExecutionResult result(String name, Result.Status status, boolean timedOut) {
        HealthCheckMetadata meta = mock(HealthCheckMetadata.class);
        when(meta.getName()).thenReturn(name);
        when(meta.getServiceId()).thenReturn(42L);
        HealthCheckExecutionResult r = mock(HealthCheckExecutionResult.class);
        when(r.getHealthCheckMetadata()).thenReturn(meta);
        when(r.getHealthCheckResult()).thenReturn(new Result(status, "test"));
        when(r.hasTimedOut()).thenReturn(timedOut);
        when(r.getElapsedTimeInMs()).thenReturn(7L);
        return r;
    }

    static Thread healthThread() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("osgimon-health"))
                .findFirst().orElse(null);
    }

    @Test
    void everyCheckIsAPointWithItsStatusAndTheWorstIsTheOverallStatus() throws Exception {
        List<HealthCheckExecutionResult> results = List.of(
                result("disk", Result.Status.OK, false),
                result("db", Result.Status.CRITICAL, false),
                result("slow", Result.Status.WARN, true),
                result(null, Result.Status.WARN, false));
        when(executor.execute(any(), any())).thenReturn(results);
        HealthSource source = new HealthSource(context, executor, config(500));
        try {
            await().atMost(WAIT).until(() -> !source.isRunning());
            RecordingWriter out = new RecordingWriter();
            source.collect(out);
            assertThat(out.one("health_check", "name", "disk").fields()).containsEntry("status", 0L).containsEntry("ok", true)
                    .containsEntry("elapsed_ms", 7L);
            assertThat(out.one("health_check", "name", "db").fields()).containsEntry("status", 3L).containsEntry("ok", false);
            assertThat(out.one("health_check", "name", "slow").fields()).as("timed out: an error")
                    .containsEntry("status", 4L).containsEntry("ok", false);
            assertThat(out.one("health_check", "name", "service-42").fields()).containsEntry("status", 1L);
            assertThat(out.named("health").get(0).fields()).containsEntry("status", 4L).containsEntry("checks", 4L)
                    .containsKey("age_s");
            DeclarationCheck.assertAgree(source, out);
        } finally {
            source.deactivate();
        }
    }

    @Test
    void aHangingExecutorNeverBlocksTheCycleAndIsStoppedOnDeactivate() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        when(executor.execute(any(), any())).thenAnswer(i -> {
            calls.incrementAndGet();
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // deactivate interrupts the run, as it would a real executor call
            }
            return List.of();
        });
        HealthSource source = new HealthSource(context, executor, config(100));
        await().atMost(WAIT).until(() -> calls.get() == 1);
        for (int i = 0; i < 5; i++) {
            RecordingWriter out = new RecordingWriter();
            source.collect(out); // returns at once: no results yet, and no second run is started
            assertThat(out.points()).isEmpty();
        }
        assertThat(calls.get()).isEqualTo(1);
        assertThat(healthThread()).isNotNull();
        source.deactivate();
        // the pool's worker has finished; the thread itself ends a moment later
        await().atMost(Duration.ofSeconds(2)).until(() -> healthThread() == null);
    }

    @Test
    void theNextRunStartsFromACycleAndUsesTheTags() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<HealthCheckExecutionResult> named = List.of(result("c1", Result.Status.OK, false),
                result("c2", Result.Status.OK, false));
        when(executor.execute(any(), any())).thenAnswer(i -> {
            calls.incrementAndGet();
            assertThat(((org.apache.felix.hc.api.execution.HealthCheckSelector) i.getArgument(0)).tags())
                    .containsExactly("ops");
            return List.of(named.get(calls.get() - 1));
        });
        HealthSource source = new HealthSource(context, executor, config(100, "ops"));
        try {
            await().atMost(WAIT).until(() -> calls.get() == 1 && !source.isRunning());
            source.collect(new RecordingWriter());
            await().atMost(WAIT).until(() -> calls.get() == 2 && !source.isRunning());
            RecordingWriter out = new RecordingWriter();
            source.collect(out);
            assertThat(out.named("health_check")).extracting(p -> p.tags().get("name")).containsExactly("c2");
        } finally {
            source.deactivate();
        }
    }

    @Test
    void aBadTimeoutIsRefused() throws Exception {
        assertThatThrownBy(() -> new HealthSource(context, executor, config(0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeoutMs");
        when(executor.execute(any(), any())).thenReturn(List.of());
        HealthSource source = new HealthSource(context, executor, config(10));
        try {
            assertThatThrownBy(() -> source.modified(config(-5))).isInstanceOf(IllegalArgumentException.class);
        } finally {
            source.deactivate();
        }
    }

    @Test
    void withoutTagsEveryNamedCheckIsSelectedByNameAndWithNoCheckNothingRuns() throws Exception {
        List<HealthCheckSelector> selectors = new java.util.concurrent.CopyOnWriteArrayList<>();
        when(executor.execute(any(), any())).thenAnswer(i -> {
            selectors.add(i.getArgument(0));
            return List.of();
        });
        HealthSource source = new HealthSource(context, executor, config(100));
        try {
            await().atMost(WAIT).until(() -> selectors.size() == 1 && !source.isRunning());
            assertThat(selectors.get(0).names()).containsExactly("disk");
            when(context.getServiceReferences(HealthCheck.class.getName(), null)).thenReturn(null);
            RecordingWriter out = new RecordingWriter();
            source.collect(out);
            await().atMost(WAIT).until(() -> !source.isRunning());
            source.collect(out);
            assertThat(selectors).hasSize(1);
            assertThat(out.named("health")).allSatisfy(p -> assertThat(p.fields()).containsEntry("checks", 0L));
        } finally {
            source.deactivate();
        }
    }
    /**
     * A timer that holds the runs the source schedules for later, until the test fires them; runs
     * started at once (a collection waking the thread) run at once. Records who asked for which.
     */
    static final class HeldTimer extends ScheduledThreadPoolExecutor {
        final List<Long> delays = new CopyOnWriteArrayList<>();
        final AtomicInteger immediate = new AtomicInteger();
        final BlockingQueue<Runnable> held = new LinkedBlockingQueue<>();

        HeldTimer() {
            super(1, r -> new Thread(r, "osgimon-health"));
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            if (delay > 0) {
                delays.add(unit.toNanos(delay));
                held.add(command);
                return super.schedule(() -> { }, 1, TimeUnit.DAYS);
            }
            immediate.incrementAndGet();
            return super.schedule(command, 0, unit);
        }

        void fireHeld() {
            super.schedule(held.remove(), 0, TimeUnit.NANOSECONDS);
        }
    }

    @Test
    void inSteadyStateTheRunsTimeThemselvesHalfACycleAfterEachCollectionAndACollectionWakesNothing() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        when(executor.execute(any(), any())).thenAnswer(i -> {
            calls.incrementAndGet();
            return List.of(result("c" + calls.get(), Result.Status.OK, false));
        });
        AtomicLong clock = new AtomicLong(1_000_000_000L);
        long interval = 1_000_000_000L;
        HeldTimer timer = new HeldTimer();
        HealthSource source = new HealthSource(context, executor, config(100), clock::get, timer);
        try {
            await().atMost(WAIT).until(() -> calls.get() == 1 && !source.isRunning());
            assertThat(timer.immediate).as("the run at activation").hasValue(1);
            // the first two collections start a run each: no interval is known before the second
            source.collect(new RecordingWriter());
            await().atMost(WAIT).until(() -> calls.get() == 2 && !source.isRunning());
            clock.addAndGet(interval);
            source.collect(new RecordingWriter());
            await().atMost(WAIT).until(() -> calls.get() == 3 && timer.delays.size() == 1);
            assertThat(timer.immediate).hasValue(3);
            assertThat(timer.delays.get(0)).as("half an interval after the next collection")
                    .isEqualTo(interval + interval / 2);
            clock.addAndGet(interval / 2);
            for (int cycle = 4; cycle <= 8; cycle++) {
                clock.addAndGet(interval / 2); // a collection every interval, a run half an interval after each
                RecordingWriter out = new RecordingWriter();
                source.collect(out);
                assertThat(out.named("health_check")).extracting(p -> p.tags().get("name"))
                        .as("the results of the run half a cycle before").containsExactly("c" + (cycle - 1));
                clock.addAndGet(interval / 2);
                timer.fireHeld();
                int run = cycle;
                await().atMost(WAIT).until(() -> calls.get() == run && timer.delays.size() == run - 2);
                assertThat(timer.delays.get(run - 3)).isEqualTo(interval);
            }
            assertThat(timer.immediate).as("no collection woke the thread in steady state").hasValue(3);
            // the collections stop: the run due then finds none since the one before and goes idle
            clock.addAndGet(interval);
            timer.fireHeld();
            await().atMost(WAIT).until(() -> calls.get() == 9 && !source.isRunning());
            assertThat(timer.held).isEmpty();
            // and the next collection starts a run again
            source.collect(new RecordingWriter());
            await().atMost(WAIT).until(() -> calls.get() == 10);
            assertThat(timer.immediate).hasValue(4);
        } finally {
            source.deactivate();
        }
    }
}
