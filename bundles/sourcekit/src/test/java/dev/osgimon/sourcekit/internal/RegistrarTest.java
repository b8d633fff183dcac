package dev.osgimon.sourcekit.internal;

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
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import dev.osgimon.api.MetricSource;

class RegistrarTest {

    /** What one setProperties call carried, and on which thread. */
    record Change(Object generation, Object name, String thread) {
    }

    @SuppressWarnings("unchecked")
    @Test
    void registersOnceAndModifiesTheGenerationOnItsOwnThreadAndWithdrawsOnClose() {
        BundleContext context = mock(BundleContext.class);
        ServiceRegistration<MetricSource> registration = mock(ServiceRegistration.class);
        List<Dictionary<String, ?>> registered = new CopyOnWriteArrayList<>();
        when(context.registerService(eq(MetricSource.class), any(MetricSource.class), any())).thenAnswer(call -> {
            registered.add(new Hashtable<>(toMap(call.getArgument(2))));
            return registration;
        });
        List<Change> changes = new CopyOnWriteArrayList<>();
        doAnswer(call -> {
            Dictionary<String, ?> d = call.getArgument(0);
            changes.add(new Change(d.get(Registrar.GENERATION), d.get(MetricSource.NAME), Thread.currentThread().getName()));
            return null;
        }).when(registration).setProperties(any());
        MetricSource source = out -> { };
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(MetricSource.NAME, "kit");
        Registrar registrar = new Registrar(context, props, source, "registrar-test");
        verify(context).registerService(eq(MetricSource.class), eq(source), any());
        assertThat(registered).singleElement().satisfies(d -> {
            assertThat(d.get(MetricSource.NAME)).isEqualTo("kit");
            assertThat(d.get(Registrar.GENERATION)).isEqualTo(0L);
        });

        registrar.redeclare();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> changes.size() == 1);
        registrar.redeclare();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> changes.size() == 2);
        assertThat(changes).containsExactly(new Change(1L, "kit", "registrar-test"), new Change(2L, "kit", "registrar-test"));
        verify(context, times(1)).registerService(eq(MetricSource.class), any(MetricSource.class), any());
        verify(registration, never()).unregister();

        registrar.close();
        verify(registration).unregister();
        registrar.redeclare();
        assertThat(changes).as("nothing modified after close").hasSize(2);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("registrar-test"));
    }

    private static java.util.Map<String, Object> toMap(Dictionary<String, ?> d) {
        java.util.Map<String, Object> m = new java.util.HashMap<>();
        for (java.util.Enumeration<String> k = d.keys(); k.hasMoreElements();) {
            String key = k.nextElement();
            m.put(key, d.get(key));
        }
        return m;
    }
}
