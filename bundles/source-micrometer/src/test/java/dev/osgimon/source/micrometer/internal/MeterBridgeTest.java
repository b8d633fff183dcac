package dev.osgimon.source.micrometer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;

import dev.osgimon.api.Declarations;
import dev.osgimon.api.MetricSource;
import dev.osgimon.api.PointWriter;
import dev.osgimon.api.model.Kind;
import dev.osgimon.sourcekit.internal.Declared;
import dev.osgimon.testing.DeclarationCheck;
import dev.osgimon.testing.RecordingDeclarations;
import dev.osgimon.testing.RecordingWriter;

class MeterBridgeTest {

    private final MockClock clock = new MockClock();
    private final OsgimonMeterRegistry registry = new OsgimonMeterRegistry(clock);
    private final MeterBridge bridge = new MeterBridge(List.of(registry), 100, "");

    /** The source as the core sees one registration of it. */
    private MetricSource registered(Declared<Entry> declared) {
        return new MetricSource() {
            @Override
            public void declare(Declarations d) {
                declared.declare(d);
            }

            @Override
            public void collect(PointWriter out) {
                bridge.collect(out, declared);
            }
        };
    }

    @Test
    void everyKindOfMeterArrivesWithExactValuesKindsAndUnits() {
        Counter orders = Counter.builder("orders.placed").tag("shop", "north").register(registry);
        for (int i = 0; i < 7; i++) {
            orders.increment();
        }
        Timer latency = Timer.builder("orders.latency").register(registry);
        for (int ms : new int[] {3, 20, 40, 300, 1200}) {
            latency.record(Duration.ofMillis(ms));
        }
        AtomicInteger queue = new AtomicInteger(42);
        Gauge.builder("queue.depth", queue, AtomicInteger::get).baseUnit("items").register(registry);
        TimeGauge.builder("uptime", () -> 90_000, java.util.concurrent.TimeUnit.MILLISECONDS).register(registry);
        DistributionSummary sizes = DistributionSummary.builder("payload.size").baseUnit("bytes")
                .serviceLevelObjectives(100, 1000).register(registry);
        sizes.record(50);
        sizes.record(500);
        sizes.record(5000);
        FunctionCounter.builder("cache.evictions", queue, q -> 3).register(registry);
        FunctionTimer.builder("pool.waits", queue, q -> 4, q -> 2.5, java.util.concurrent.TimeUnit.SECONDS).register(registry);
        LongTaskTimer.Sample running = LongTaskTimer.builder("jobs.running").register(registry).start();
        clock.add(Duration.ofSeconds(2));

        Declared<Entry> declared = bridge.declared();
        RecordingWriter out = new RecordingWriter();
        assertThat(bridge.collect(out, declared)).as("nothing waits for a declaration").isFalse();

        assertThat(out.one("orders_placed", "shop", "north").fields()).containsEntry("count", 7.0);
        RecordingWriter.Point timer = out.named("orders_latency").get(0);
        assertThat(timer.fields()).containsEntry("count", 5L).containsEntry("sum", 1.563)
                .containsEntry("min", 0.003).containsEntry("max", 1.2)
                .containsEntry("le=0.005", 1L).containsEntry("le=0.025", 2L).containsEntry("le=0.05", 3L)
                .containsEntry("le=0.5", 4L).containsEntry("le=2.5", 5L).containsEntry("le=+Inf", 5L);
        assertThat(out.named("queue_depth").get(0).fields()).containsEntry("value", 42.0);
        assertThat(out.named("uptime").get(0).fields()).containsEntry("value", 90.0);
        assertThat(out.named("payload_size").get(0).fields()).containsEntry("le=100.0", 1L)
                .containsEntry("le=1000.0", 2L).containsEntry("le=+Inf", 3L).containsEntry("sum", 5550.0);
        assertThat(out.named("cache_evictions").get(0).fields()).containsEntry("count", 3.0);
        assertThat(out.named("pool_waits").get(0).fields()).containsEntry("count", 4L).containsEntry("sum", 2.5);
        assertThat(out.named("jobs_running").get(0).fields()).containsEntry("active", 1L).containsEntry("duration", 2.0);
        assertThat(out.named(MeterBridge.SELF).get(0).fields()).containsEntry("meters", 8L).containsEntry("series", 8L)
                .containsEntry("over_limit", 0L).containsEntry("errors", 0L).containsEntry("registries", 1L);
        running.stop();

        List<RecordingDeclarations.Declared> kinds = RecordingDeclarations.of(registered(declared));
        assertThat(kinds).contains(
                new RecordingDeclarations.Declared("orders_placed", "count", Kind.COUNTER, "", "Micrometer meter orders.placed"),
                new RecordingDeclarations.Declared("queue_depth", "value", Kind.GAUGE, "{items}", "Micrometer meter queue.depth"),
                new RecordingDeclarations.Declared("uptime", "value", Kind.GAUGE, "s", "Micrometer meter uptime"),
                new RecordingDeclarations.Declared("payload_size", "", Kind.HISTOGRAM, "By", "Micrometer meter payload.size"),
                new RecordingDeclarations.Declared("orders_latency", "", Kind.HISTOGRAM, "s", "Micrometer meter orders.latency"));
        DeclarationCheck.assertAgree(registered(declared), out);
    }

    @Test
    void countersStayCumulativeAcrossCycles() {
        Counter c = registry.counter("hits");
        Declared<Entry> declared = bridge.declared();
        c.increment(3);
        RecordingWriter first = new RecordingWriter();
        bridge.collect(first, declared);
        c.increment(2);
        clock.add(Duration.ofMinutes(10));
        RecordingWriter second = new RecordingWriter();
        bridge.collect(second, declared);
        assertThat(first.named("hits").get(0).fields()).containsEntry("count", 3.0);
        assertThat(second.named("hits").get(0).fields()).containsEntry("count", 5.0);
    }

    @Test
    void aMeterNotDeclaredYetWaitsForTheNextRegistration() {
        Declared<Entry> before = bridge.declared();
        registry.counter("late.comer").increment();
        RecordingWriter out = new RecordingWriter();
        assertThat(bridge.collect(out, before)).isTrue();
        assertThat(out.named("late_comer")).isEmpty();

        RecordingWriter next = new RecordingWriter();
        assertThat(bridge.collect(next, bridge.declared())).isFalse();
        assertThat(next.named("late_comer").get(0).fields()).containsEntry("count", 1.0);
    }

    @Test
    void metersBeyondMaxSeriesAreLeftOutAndCountedWithoutAskingAgain() {
        MeterBridge small = new MeterBridge(List.of(registry), 2, "app_");
        for (int i = 0; i < 5; i++) {
            registry.counter("c" + i).increment();
        }
        Declared<Entry> declared = small.declared();
        assertThat(declared.entries()).hasSize(2);
        RecordingWriter out = new RecordingWriter();
        assertThat(small.collect(out, declared)).as("a full declaration does not ask again").isFalse();
        assertThat(out.points()).filteredOn(p -> p.measurement().startsWith("app_c")).hasSize(2);
        assertThat(out.named(MeterBridge.SELF).get(0).fields()).containsEntry("over_limit", 3L)
                .containsEntry("series", 2L).containsEntry("meters", 5L);
    }

    @Test
    void tagKeysAreSanitizedAndAFailingMeterCostsThatMeterOnly() {
        registry.counter("req", "http.method", "GET").increment();
        FunctionCounter.builder("bad", this, self -> {
            throw new IllegalStateException("the application's function fails");
        }).register(registry);
        Declared<Entry> declared = bridge.declared();
        RecordingWriter out = new RecordingWriter();
        bridge.collect(out, declared);
        assertThat(out.named("req").get(0).tags()).containsEntry("http_method", "GET");
        assertThat(out.named(MeterBridge.SELF).get(0).fields()).containsEntry("series", 1L).containsEntry("errors", 1L);
    }

    @Test
    void aMeterNamedLikeTheBridgesOwnPointIsCountedAndNeverAsksAgain() {
        registry.counter("osgimon.micrometer").increment();
        Declared<Entry> declared = bridge.declared();
        RecordingWriter out = new RecordingWriter();
        assertThat(bridge.collect(out, declared)).isFalse();
        assertThat(out.named(MeterBridge.SELF)).hasSize(1);
        assertThat(out.named(MeterBridge.SELF).get(0).fields()).containsEntry("errors", 1L).containsEntry("series", 0L);
    }

    @Test
    void aBadConfigurationIsRefusedAndChangesNothing() {
        assertThatThrownBy(() -> bridge.configure(0, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bridge.configure(10, "a-b.")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a-b.");
        registry.counter("x").increment();
        assertThat(bridge.declared().prefix()).isEmpty();
        assertThat(bridge.declared().entries()).containsKey("x");
    }
}
