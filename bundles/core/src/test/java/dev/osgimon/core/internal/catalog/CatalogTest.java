package dev.osgimon.core.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.osgimon.api.Declarations;
import dev.osgimon.api.MetricSource;
import dev.osgimon.api.PointWriter;
import dev.osgimon.api.model.Kind;
import dev.osgimon.api.model.MetricInfo;

class CatalogTest {

    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private final Catalog catalog = new Catalog(registered::contains);

    /** Registers {@code name} and takes what {@code declare} declares, as the collector thread does. */
    private SourceMetrics add(long id, String name, java.util.function.Consumer<Declarations> declare) {
        registered.add(name);
        return catalog.declare(id, name, new MetricSource() {
            @Override
            public void collect(PointWriter out) {
            }

            @Override
            public void declare(Declarations d) {
                declare.accept(d);
            }
        });
    }

    @Test
    void theFirstDeclarationWinsAndAConflictingKindIsIgnored() {
        SourceMetrics m = add(1, "alpha", d -> d.counter("http", "requests", "{request}", "Requests")
                .gauge("http", "requests", "1", "again")
                .gauge("http", "*", "By", "the rest")
                .counter("http", "*", "s", "again")
                .histogram("http", "s", "a histogram where fields were declared")
                .histogram("lat", "s", "Latency")
                .gauge("lat", "count", "1", "a field where a histogram was declared"));
        assertThat(m.field("http", "requests")).extracting(MetricInfo::kind, MetricInfo::unit, MetricInfo::description)
                .containsExactly(Kind.COUNTER, "{request}", "Requests");
        assertThat(m.field("http", "other")).extracting(MetricInfo::field, MetricInfo::kind, MetricInfo::unit)
                .containsExactly("*", Kind.GAUGE, "By");
        assertThat(m.histogram("lat")).extracting(MetricInfo::kind, MetricInfo::unit, MetricInfo::declared)
                .containsExactly(Kind.HISTOGRAM, "s", true);
        assertThat(m.histogram("http").declared()).isFalse();
        assertThat(m.field("lat", "count").declared()).isFalse();
        assertThat(m.field("http", "requests")).as("resolved twice: the same object").isSameAs(m.field("http", "requests"));
    }

    @Test
    void declarationsAreTakenOnlyDuringDeclareAndBadOnesAreRefused() {
        AtomicReference<Declarations> kept = new AtomicReference<>();
        add(1, "alpha", d -> {
            kept.set(d);
            assertThatThrownBy(() -> d.gauge("", "f", "", "")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("without a measurement");
            assertThatThrownBy(() -> d.counter("m", null, "", "")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("without a field");
            d.gauge("m", "f", null, null);
        });
        assertThatThrownBy(() -> kept.get().gauge("m", "g", "", "")).isInstanceOf(IllegalStateException.class);
        assertThat(catalog.metrics("alpha")).extracting(MetricInfo::field, MetricInfo::unit, MetricInfo::description)
                .containsExactly(tuple("f", "", ""));
    }

    @Test
    void aThrowingDeclareKeepsWhatItDeclaredBeforeAndIsNotFatal() {
        SourceMetrics m = add(1, "alpha", d -> {
            d.counter("m", "a", "1", "");
            throw new IllegalStateException("declare bug");
        });
        assertThat(m.field("m", "a").kind()).isEqualTo(Kind.COUNTER);
        assertThat(m.field("m", "b").kind()).isEqualTo(Kind.GAUGE);
        assertThat(catalog.metrics("alpha")).extracting(MetricInfo::field, MetricInfo::declared)
                .containsExactly(tuple("a", true), tuple("b", false));
    }

    @Test
    void theCatalogIsSortedKnowsOnlyRegisteredSourcesAndForgetsRemovedOnes() {
        SourceMetrics beta = add(2, "beta", d -> d.gauge("z", "b", "", "").gauge("a", "x", "", ""));
        add(1, "alpha", d -> d.counter("z", "b", "", "").gauge("a", "y", "", ""));
        beta.field("a", "written");
        registered.add("gamma"); // registered, not collected yet
        assertThat(catalog.metrics()).extracting(MetricInfo::measurement, MetricInfo::field, MetricInfo::source)
                .containsExactly(tuple("a", "written", "beta"), tuple("a", "x", "beta"), tuple("a", "y", "alpha"),
                        tuple("z", "b", "alpha"), tuple("z", "b", "beta"));
        assertThat(catalog.metrics("beta")).extracting(MetricInfo::measurement, MetricInfo::field)
                .containsExactly(tuple("a", "written"), tuple("a", "x"), tuple("z", "b"));
        assertThat(catalog.metrics("gamma")).isEmpty();
        assertThatThrownBy(() -> catalog.metrics("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown source: nope");
        assertThatThrownBy(() -> catalog.metrics().add(null)).isInstanceOf(UnsupportedOperationException.class);
        catalog.remove(2);
        assertThat(catalog.metrics()).extracting(MetricInfo::source).containsOnly("alpha");
    }

    @Test
    void undeclaredFieldsAreRememberedUpToACap() {
        SourceMetrics m = add(1, "alpha", d -> { });
        for (int i = 0; i < SourceMetrics.MAX_UNDECLARED + 10; i++) {
            assertThat(m.field("m", "f" + i).kind()).isEqualTo(Kind.GAUGE);
        }
        assertThat(catalog.metrics("alpha")).hasSize(SourceMetrics.MAX_UNDECLARED);
    }
}
