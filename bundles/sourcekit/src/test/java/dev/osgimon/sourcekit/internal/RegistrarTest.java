package dev.osgimon.sourcekit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import dev.osgimon.api.MetricSource;

class RegistrarTest {

    @SuppressWarnings("unchecked")
    @Test
    void registersAtOnceSwapsOnRequestOnItsOwnThreadAndWithdrawsOnClose() {
        BundleContext context = mock(BundleContext.class);
        List<ServiceRegistration<MetricSource>> registrations = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        when(context.registerService(eq(MetricSource.class), any(MetricSource.class), any())).thenAnswer(call -> {
            ServiceRegistration<MetricSource> r = mock(ServiceRegistration.class);
            registrations.add(r);
            threads.add(Thread.currentThread().getName());
            return r;
        });
        AtomicInteger made = new AtomicInteger();
        Registrar registrar = new Registrar(context, new Hashtable<>(), () -> {
            made.incrementAndGet();
            return out -> { };
        }, "registrar-test");
        assertThat(registrations).hasSize(1);

        registrar.redeclare();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> registrations.size() == 2);
        verify(registrations.get(0)).unregister();
        assertThat(threads.get(1)).isEqualTo("registrar-test");
        assertThat(made).hasValue(2);

        registrar.close();
        verify(registrations.get(1)).unregister();
        registrar.redeclare();
        assertThat(registrations).as("nothing registered after close").hasSize(2);
        verify(registrations.get(0), times(1)).unregister();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("registrar-test"));
    }
}
