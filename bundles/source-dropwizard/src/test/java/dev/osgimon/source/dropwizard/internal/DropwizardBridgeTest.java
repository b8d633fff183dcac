package dev.osgimon.source.dropwizard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;

import dev.osgimon.api.Declarations;
import dev.osgimon.api.MetricSource;
import dev.osgimon.api.PointWriter;
import dev.osgimon.api.model.Kind;
import dev.osgimon.sourcekit.internal.Declared;
import dev.osgimon.testing.DeclarationCheck;
import dev.osgimon.testing.RecordingDeclarations;
import dev.osgimon.testing.RecordingWriter;

class DropwizardBridgeTest {

    private final MetricRegistry registry = new MetricRegistry();
    private final Map<MetricRegistry, String> registries = new ConcurrentHashMap<>(Map.of(registry, "shop"));
    private final DropwizardBridge bridge = new DropwizardBridge(registries, 100, "");

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
    void everyTypeArrivesUnderTheMappingRuleWithExactValues() {
        Counter placed = registry.counter("com.example.orders.placed");
        for (int i = 0; i < 7; i++) {
            placed.inc();
        }
        Timer latency = registry.timer("com.example.orders.latency");
        for (int ms : new int[] {3, 20, 40, 300, 1200}) {
            latency.update(ms, TimeUnit.MILLISECONDS);
        }
        registry.register("queue.depth", (Gauge<Integer>) () -> 42);
        registry.register("build.label", (Gauge<String>) () -> "not a number");
        Meter events = registry.meter("events");
        events.mark(11);
        Histogram sizes = registry.histogram("payload-size");
        sizes.update(10);
        sizes.update(30);

        Declared<Entry> declared = bridge.declared();
        RecordingWriter out = new RecordingWriter();
        assertThat(bridge.collect(out, declared)).isFalse();

        assertThat(out.one("com_example_orders_placed", "registry", "shop").fields()).containsEntry("count", 7L);
        Map<String, Object> timer = out.one("com_example_orders_latency", "registry", "shop").fields();
        assertThat(timer).containsEntry("count", 5L).containsEntry("min", 0.003).containsEntry("max", 1.2);
        assertThat((double) timer.get("mean") * 5).isCloseTo(1.563, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(out.one("queue_depth", "registry", "shop").fields()).containsEntry("value", 42.0);
        assertThat(out.named("build_label")).as("a gauge that is no number is left out").isEmpty();
        assertThat(out.one("events", "registry", "shop").fields()).containsEntry("count", 11L);
        assertThat(out.one("payload_size", "registry", "shop").fields()).containsEntry("count", 2L)
                .containsEntry("mean", 20.0).containsEntry("p50", 30.0);
        assertThat(out.named(DropwizardBridge.SELF).get(0).fields()).containsEntry("metrics", 6L)
                .containsEntry("series", 5L).containsEntry("errors", 0L).containsEntry("registries", 1L);

        List<RecordingDeclarations.Declared> kinds = RecordingDeclarations.of(registered(declared));
        assertThat(kinds).contains(
                new RecordingDeclarations.Declared("com_example_orders_placed", "count", Kind.COUNTER, "",
                        "Dropwizard counter com.example.orders.placed"),
                new RecordingDeclarations.Declared("events", "count", Kind.COUNTER, "{event}",
                        "Dropwizard meter events (events marked)"),
                new RecordingDeclarations.Declared("com_example_orders_latency", "p99", Kind.GAUGE, "s",
                        "Dropwizard timer com.example.orders.latency (p99 of the reservoir's snapshot)"));
        DeclarationCheck.assertAgree(registered(declared), out);
    }

    @Test
    void aNewMetricOrRegistryWaitsForTheNextRegistration() {
        Declared<Entry> before = bridge.declared();
        MetricRegistry other = new MetricRegistry();
        other.counter("late").inc();
        registries.put(other, "other");
        RecordingWriter out = new RecordingWriter();
        assertThat(bridge.collect(out, before)).isTrue();
        assertThat(out.named("late")).isEmpty();
        RecordingWriter next = new RecordingWriter();
        assertThat(bridge.collect(next, bridge.declared())).isFalse();
        assertThat(next.one("late", "registry", "other").fields()).containsEntry("count", 1L);
    }

    @Test
    void sameNameOfAnotherTypeInAnotherRegistryIsCountedNotWritten() {
        registry.counter("x").inc();
        MetricRegistry other = new MetricRegistry();
        other.meter("x").mark();
        registries.put(other, "other");
        Declared<Entry> declared = bridge.declared();
        RecordingWriter out = new RecordingWriter();
        bridge.collect(out, declared);
        assertThat(out.named("x")).hasSize(1);
        assertThat(out.named(DropwizardBridge.SELF).get(0).fields()).containsEntry("errors", 1L);
    }

    @Test
    void metricsBeyondMaxSeriesAreLeftOutAndCountedWithoutAskingAgain() {
        DropwizardBridge small = new DropwizardBridge(registries, 2, "app_");
        for (int i = 0; i < 5; i++) {
            registry.counter("c" + i).inc();
        }
        Declared<Entry> declared = small.declared();
        RecordingWriter out = new RecordingWriter();
        assertThat(small.collect(out, declared)).isFalse();
        assertThat(out.points()).filteredOn(p -> p.measurement().startsWith("app_c")).hasSize(2);
        assertThat(out.named(DropwizardBridge.SELF).get(0).fields()).containsEntry("over_limit", 3L);
    }

    @Test
    void aThrowingGaugeCostsThatMetricOnly() {
        boolean[] fail = {false};
        registry.register("flaky", (Gauge<Double>) () -> {
            if (fail[0]) {
                throw new IllegalStateException("the application's gauge fails");
            }
            return 1.5;
        });
        registry.counter("steady").inc();
        Declared<Entry> declared = bridge.declared();
        fail[0] = true;
        RecordingWriter out = new RecordingWriter();
        bridge.collect(out, declared);
        assertThat(out.one("steady", "registry", "shop").fields()).containsEntry("count", 1L);
        assertThat(out.named(DropwizardBridge.SELF).get(0).fields()).containsEntry("errors", 1L);
    }

    @Test
    void aMetricNamedLikeTheBridgesOwnPointIsCountedAndNeverAsksAgain() {
        registry.counter("osgimon.dropwizard").inc();
        Declared<Entry> declared = bridge.declared();
        RecordingWriter out = new RecordingWriter();
        assertThat(bridge.collect(out, declared)).isFalse();
        assertThat(out.named(DropwizardBridge.SELF)).hasSize(1);
        assertThat(out.named(DropwizardBridge.SELF).get(0).fields()).containsEntry("errors", 1L);
    }

    @Test
    void aBadConfigurationIsRefused() {
        assertThatThrownBy(() -> bridge.configure(0, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bridge.configure(5, "x.")).isInstanceOf(IllegalArgumentException.class);
        registry.counter("y").inc();
        assertThat(bridge.declared().entries()).containsKey("y");
    }
}
