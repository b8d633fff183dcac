package dev.osgimon.source.dropwizard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import com.codahale.metrics.MetricRegistry;

import dev.osgimon.api.MetricSource;
import dev.osgimon.api.model.Kind;
import dev.osgimon.sourcekit.internal.Registrar;
import dev.osgimon.testing.RecordingDeclarations;
import dev.osgimon.testing.RecordingWriter;

/** The component with a mock context that declares the source again on setProperties, as the core does. */
class DropwizardSourceTest {

    @SuppressWarnings("unchecked")
    @Test
    void aNewMetricModifiesTheOneRegistrationAndIsWrittenOnceDeclared() throws Exception {
        BundleContext context = mock(BundleContext.class);
        ServiceRegistration<MetricSource> registration = mock(ServiceRegistration.class);
        when(context.registerService(eq(MetricSource.class), any(MetricSource.class), any())).thenReturn(registration);
        List<Object> generations = new CopyOnWriteArrayList<>();
        List<List<RecordingDeclarations.Declared>> declared = new CopyOnWriteArrayList<>();
        DropwizardSource component = new DropwizardSource(context, config());
        ArgumentCaptor<MetricSource> source = ArgumentCaptor.forClass(MetricSource.class);
        verify(context).registerService(eq(MetricSource.class), source.capture(), any());
        doAnswer(call -> { // what the core does on a modified source: declare it again, on the calling thread
            Dictionary<String, ?> props = call.getArgument(0);
            generations.add(props.get(Registrar.GENERATION));
            declared.add(RecordingDeclarations.of(source.getValue()));
            return null;
        }).when(registration).setProperties(any());

        MetricRegistry registry = new MetricRegistry();
        component.addRegistry(registry, Map.of("name", "shop"));
        Awaitility.await("a new registry asks for new declarations").atMost(Duration.ofSeconds(10))
                .until(() -> declared.size() == 1);
        registry.counter("orders.placed").inc(3);
        RecordingWriter first = new RecordingWriter();
        source.getValue().collect(first);
        assertThat(first.named("orders_placed")).as("not written before it is declared").isEmpty();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> declared.size() == 2);
        assertThat(generations).containsExactly(1L, 2L);
        assertThat(declared.get(1)).extracting(RecordingDeclarations.Declared::measurement, RecordingDeclarations.Declared::kind)
                .contains(org.assertj.core.groups.Tuple.tuple("orders_placed", Kind.COUNTER));
        RecordingWriter next = new RecordingWriter();
        source.getValue().collect(next);
        assertThat(next.named("orders_placed")).singleElement()
                .satisfies(p -> assertThat(p.fields()).containsEntry("count", 3L));
        verify(context, times(1)).registerService(eq(MetricSource.class), any(MetricSource.class), any());
        verify(registration, never()).unregister();

        component.deactivate();
        verify(registration).unregister();
    }

    private static DropwizardConfig config() {
        return (DropwizardConfig) java.lang.reflect.Proxy.newProxyInstance(DropwizardConfig.class.getClassLoader(),
                new Class<?>[] {DropwizardConfig.class}, (proxy, method, args) -> method.getDefaultValue());
    }
}
