package dev.osgimon.source.jmx.internal;

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

import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import dev.osgimon.api.MetricSource;
import dev.osgimon.api.model.Kind;
import dev.osgimon.sourcekit.internal.Registrar;
import dev.osgimon.testing.DescribedMBean;
import dev.osgimon.testing.RecordingDeclarations;
import dev.osgimon.testing.RecordingWriter;

/**
 * The component with a mock bundle context whose registration declares the source again on
 * {@code setProperties}, on the calling thread, as the core does; the MBeans are real, on a private
 * MBean server.
 */
class JmxComponentTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** One declare call the modified registration caused: its generation, thread and declarations. */
    record Redeclared(Object generation, String thread, List<RecordingDeclarations.Declared> declared) {
    }

    private final MBeanServer server = MBeanServerFactory.newMBeanServer();
    private JmxComponent component;

    @AfterEach
    void stop() {
        if (component != null) {
            component.deactivate();
        }
    }

    @SuppressWarnings("unchecked")
    @Test
    void mbeansRegisteredLaterHaveTheOneRegistrationModifiedAndAreDeclaredOnTheRegistrarsThread() throws Exception {
        BundleContext context = mock(BundleContext.class);
        ServiceRegistration<MetricSource> registration = mock(ServiceRegistration.class);
        ArgumentCaptor<Dictionary<String, Object>> properties = ArgumentCaptor.forClass(Dictionary.class);
        when(context.registerService(eq(MetricSource.class), any(MetricSource.class), properties.capture())).thenReturn(registration);
        component = new JmxComponent(context, server, JmxSourceTest.config(1000, "app:*"));
        ArgumentCaptor<MetricSource> captured = ArgumentCaptor.forClass(MetricSource.class);
        verify(context).registerService(eq(MetricSource.class), captured.capture(), any());
        MetricSource source = captured.getValue();
        assertThat(source).isSameAs(component.source());
        assertThat(properties.getValue().get(MetricSource.NAME)).isEqualTo("jmx");
        assertThat((String[]) properties.getValue().get(MetricSource.TAGS)).containsExactly("jmx");
        assertThat(properties.getValue().get(Registrar.GENERATION)).isEqualTo(0L);
        List<Redeclared> redeclared = new CopyOnWriteArrayList<>();
        doAnswer(call -> {
            Dictionary<String, ?> d = call.getArgument(0);
            redeclared.add(new Redeclared(d.get(Registrar.GENERATION), Thread.currentThread().getName(),
                    RecordingDeclarations.of(source)));
            return null;
        }).when(registration).setProperties(any());
        assertThat(RecordingDeclarations.of(source)).as("the core binds it").extracting(RecordingDeclarations.Declared::measurement)
                .containsOnly("jmx_source");

        server.registerMBean(new DescribedMBean(), new ObjectName("app:type=Net"));
        RecordingWriter first = new RecordingWriter();
        source.collect(first);
        assertThat(first.named("jmx_app_net")).as("not before it is declared").isEmpty();
        Awaitility.await().atMost(WAIT).until(() -> redeclared.size() == 1);
        assertThat(redeclared.get(0).generation()).isEqualTo(1L);
        assertThat(redeclared.get(0).thread()).isEqualTo("osgimon-jmx-declare");
        assertThat(redeclared.get(0).declared()).filteredOn(d -> d.measurement().equals("jmx_app_net"))
                .extracting(d -> d.field() + " " + d.kind() + " " + d.unit())
                .containsExactly("Sent " + Kind.COUNTER + " By", "* " + Kind.GAUGE + " ");
        RecordingWriter next = new RecordingWriter();
        source.collect(next);
        assertThat(next.named("jmx_app_net")).singleElement().satisfies(p -> assertThat(p.fields()).containsEntry("Sent", 1024L));

        int burst = 500;
        for (int i = 0; i < burst; i++) {
            server.registerMBean(new DescribedMBean(), new ObjectName("app:type=Burst" + i));
        }
        source.collect(new RecordingWriter());
        Awaitility.await().atMost(WAIT).until(() -> redeclared.size() == 2);
        assertThat(redeclared.get(1).declared()).filteredOn(d -> d.field().equals("Sent")).hasSize(burst + 1);
        RecordingWriter after = new RecordingWriter();
        source.collect(after);
        assertThat(after.named("jmx_source")).singleElement().satisfies(p -> assertThat(p.fields())
                .containsEntry("series", burst + 1L).containsEntry("errors", 0L));
        verify(registration, times(2)).setProperties(any());
        verify(context, times(1)).registerService(eq(MetricSource.class), any(MetricSource.class), any());
        verify(registration, never()).unregister();

        component.deactivate();
        component = null;
        verify(registration).unregister();
        // the executor is terminated when deactivate returns; its thread ends a moment later
        Awaitility.await("the registrar's thread ends").atMost(WAIT).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("osgimon-jmx-declare")));
        server.registerMBean(new DescribedMBean(), new ObjectName("app:type=Late"));
        RecordingWriter late = new RecordingWriter();
        source.collect(late);
        assertThat(late.named("jmx_source")).as("the listener is gone: no resolve").singleElement()
                .satisfies(p -> assertThat(p.fields()).containsEntry("resolves", 3L).containsEntry("mbeans", burst + 1L));
        verify(registration, times(2)).setProperties(any());
    }
}
