package dev.osgimon.sourcekit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import dev.osgimon.api.Declarations;
import dev.osgimon.api.MetricSource;
import dev.osgimon.api.PointWriter;
import dev.osgimon.testing.DeclarationCheck;
import dev.osgimon.testing.RecordingDeclarations;
import dev.osgimon.testing.RecordingWriter;

class RegistryBridgeTest {

    /** One counter; its value says how a cycle treats it: 0 left out, below 0 another kind, 7 refused, 13 throws. */
    record Count(String name) implements Declared.Entry {
        @Override
        public void declare(Declarations d, String measurement) {
            d.counter(measurement, "count", "{event}", "Counter " + name);
        }
    }

    /** Registries of named counters, each registry's name being its points' tag. */
    static final class CountBridge extends RegistryBridge<String, Long, Count> {
        final Map<String, Map<String, Long>> registries = new ConcurrentHashMap<>();

        CountBridge(int maxSeries, String prefix) {
            super(new OwnPoint("own", "counts", "{count}", "Registries read", "Counts in all registries",
                    "Counts written this cycle", "Counts left out because of maxSeries", "Counts left out by errors"),
                    maxSeries, prefix);
        }

        @Override
        protected int walk(Visitor<String, Long> v) {
            registries.forEach((registry, counts) -> counts.forEach((name, value) -> v.metric(registry, name, value)));
            return registries.size();
        }

        @Override
        protected Count entry(String name, Long value) {
            return new Count(name);
        }

        @Override
        protected Check check(Count entry, Long value) {
            return value == 0 ? Check.SKIP : value < 0 ? Check.ERROR : Check.WRITE;
        }

        @Override
        protected boolean write(PointWriter out, String measurement, String registry, Long value, Count entry) {
            if (value == 13) {
                throw new IllegalStateException("unlucky");
            }
            if (value == 7) {
                return false;
            }
            out.point(measurement).tag("registry", registry).field("count", value);
            return true;
        }
    }

    private final CountBridge bridge = new CountBridge(100, "app_");

    private static Map<String, Long> counts(Object... nameValue) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put((String) nameValue[i], ((Number) nameValue[i + 1]).longValue());
        }
        return m;
    }

    private static Map<String, Object> own(RecordingWriter out) {
        return out.named("own").get(0).fields();
    }

    @Test
    void declaredMetricsAreWrittenUnderThePrefixAndAgreeWithTheDeclarations() {
        bridge.registries.put("shop", counts("orders.placed", 3, "orders-paid", 2));
        Declared<Count> declared = bridge.declared();
        RecordingWriter out = new RecordingWriter();

        assertThat(bridge.collect(out, declared)).isFalse();

        assertThat(out.one("app_orders_placed", "registry", "shop").fields()).containsEntry("count", 3L);
        assertThat(out.one("app_orders_paid", "registry", "shop").fields()).containsEntry("count", 2L);
        assertThat(own(out)).containsEntry("registries", 1L).containsEntry("counts", 2L).containsEntry("series", 2L)
                .containsEntry("over_limit", 0L).containsEntry("errors", 0L);
        MetricSource source = new BridgeSource<>(bridge, () -> { });
        DeclarationCheck.assertAgree(source, out);
        assertThat(RecordingDeclarations.of(source)).extracting(RecordingDeclarations.Declared::measurement)
                .containsOnly("app_orders_placed", "app_orders_paid", "own");
    }

    @Test
    void aMetricNotDeclaredYetAsksForADeclarationAndIsWrittenAfterIt() {
        bridge.registries.put("shop", counts("a", 1));
        Declared<Count> before = bridge.declared();
        bridge.registries.put("other", counts("late", 4));

        RecordingWriter out = new RecordingWriter();
        assertThat(bridge.collect(out, before)).isTrue();
        assertThat(out.named("app_late")).isEmpty();
        assertThat(own(out)).containsEntry("counts", 2L).containsEntry("series", 1L).containsEntry("over_limit", 0L);

        RecordingWriter next = new RecordingWriter();
        assertThat(bridge.collect(next, bridge.declared())).isFalse();
        assertThat(next.one("app_late", "registry", "other").fields()).containsEntry("count", 4L);
    }

    @Test
    void pastMaxSeriesMetricsAreNeitherDeclaredNorWrittenAndAreCountedOverLimit() {
        CountBridge small = new CountBridge(2, "");
        small.registries.put("shop", counts("a", 1, "b", 2, "c", 3));
        Declared<Count> declared = small.declared();
        assertThat(declared.entries()).hasSize(2);
        assertThat(declared.full()).isTrue();

        RecordingWriter out = new RecordingWriter();
        assertThat(small.collect(out, declared)).as("full: no new declaration asked for").isFalse();
        assertThat(own(out)).containsEntry("series", 2L).containsEntry("over_limit", 1L);
        small.collect(new RecordingWriter(), declared);
        RecordingWriter third = new RecordingWriter();
        small.collect(third, declared);
        assertThat(own(third)).as("summed over cycles").containsEntry("over_limit", 3L);
    }

    @Test
    void eachLeftOutMetricIsCountedOnceAndTheOthersAreWritten() {
        CountBridge plain = new CountBridge(100, "");
        plain.registries.put("shop", counts("skipped", 0, "other_kind", -1, "refused", 7, "throws", 13, "fine", 5,
                "own", 1));
        Declared<Count> declared = plain.declared();
        assertThat(declared.entries()).as("a name mapped onto the own point is not declared").doesNotContainKey("own");

        RecordingWriter out = new RecordingWriter();
        assertThat(plain.collect(out, declared)).isFalse();

        assertThat(out.named("fine")).hasSize(1);
        assertThat(out.points()).extracting(RecordingWriter.Point::measurement).containsOnly("fine", "own");
        assertThat(own(out)).containsEntry("counts", 6L).containsEntry("series", 1L)
                .as("other kind, refused, throws, named like the own point").containsEntry("errors", 4L);
    }

    @Test
    void aNewPrefixAsksForADeclarationAndABadConfigurationChangesNothing() {
        bridge.registries.put("shop", counts("a", 1));
        Declared<Count> declared = bridge.declared();

        assertThatThrownBy(() -> bridge.configure(0, "x_")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bridge.configure(5, "x.")).isInstanceOf(IllegalArgumentException.class);
        assertThat(bridge.collect(new RecordingWriter(), declared)).isFalse();

        bridge.configure(5, "x_");
        RecordingWriter out = new RecordingWriter();
        assertThat(bridge.collect(out, declared)).isTrue();
        assertThat(out.named("app_a")).as("written as declared until declared again").hasSize(1);
        assertThat(bridge.declared().entries()).containsOnlyKeys("x_a");
    }
}
