package dev.osgimon.source.micrometer.internal;

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
import java.util.concurrent.CopyOnWriteArrayList;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceRegistration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.osgimon.api.MetricSource;
import dev.osgimon.api.model.Kind;
import dev.osgimon.sourcekit.internal.Registrar;
import dev.osgimon.testing.RecordingDeclarations;
import dev.osgimon.testing.RecordingWriter;

/** The component with a mock context that declares the source again on setProperties, as the core does. */
class MicrometerSourceTest {

    @SuppressWarnings({"unchecked", "rawtypes"})
    @Test
    void aNewMeterModifiesTheOneRegistrationAndIsWrittenOnceDeclared() throws Exception {
        BundleContext context = mock(BundleContext.class);
        ServiceRegistration<MetricSource> registration = mock(ServiceRegistration.class);
        when(context.registerService(eq(MetricSource.class), any(MetricSource.class), any())).thenReturn(registration);
        when(context.registerService(eq(MeterRegistry.class.getName()), any(), any())).thenReturn(mock(ServiceRegistration.class));
        List<Object> generations = new CopyOnWriteArrayList<>();
        List<List<RecordingDeclarations.Declared>> declared = new CopyOnWriteArrayList<>();
        MicrometerSource component = new MicrometerSource(context, config());
        ArgumentCaptor<MetricSource> source = ArgumentCaptor.forClass(MetricSource.class);
        verify(context).registerService(eq(MetricSource.class), source.capture(), any());
        doAnswer(call -> { // what the core does on a modified source: declare it again, on the calling thread
            Dictionary<String, ?> props = call.getArgument(0);
            generations.add(props.get(Registrar.GENERATION));
            declared.add(RecordingDeclarations.of(source.getValue()));
            return null;
        }).when(registration).setProperties(any());
        assertThat(RecordingDeclarations.of(source.getValue())).extracting(RecordingDeclarations.Declared::measurement)
                .doesNotContain("orders_placed");

        ArgumentCaptor<Object> factory = ArgumentCaptor.forClass(Object.class);
        verify(context).registerService(eq(MeterRegistry.class.getName()), factory.capture(), any());
        MeterRegistry registry = (MeterRegistry) ((ServiceFactory) factory.getValue()).getService(mock(Bundle.class), null);
        Counter.builder("orders.placed").register(registry).increment(3);

        RecordingWriter first = new RecordingWriter();
        source.getValue().collect(first);
        assertThat(first.named("orders_placed")).as("not written before it is declared").isEmpty();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> declared.size() == 1);
        assertThat(generations).containsExactly(1L);
        assertThat(declared.get(0)).extracting(RecordingDeclarations.Declared::measurement, RecordingDeclarations.Declared::kind)
                .contains(org.assertj.core.groups.Tuple.tuple("orders_placed", Kind.COUNTER));
        RecordingWriter next = new RecordingWriter();
        source.getValue().collect(next);
        assertThat(next.named("orders_placed")).singleElement()
                .satisfies(p -> assertThat(((Number) p.fields().get("count")).doubleValue()).isEqualTo(3.0));
        verify(context, times(1)).registerService(eq(MetricSource.class), any(MetricSource.class), any());
        verify(registration, never()).unregister();

        component.deactivate();
        verify(registration).unregister();
    }

    private static MicrometerConfig config() {
        return (MicrometerConfig) java.lang.reflect.Proxy.newProxyInstance(MicrometerConfig.class.getClassLoader(),
                new Class<?>[] {MicrometerConfig.class}, (proxy, method, args) -> method.getDefaultValue());
    }
}
