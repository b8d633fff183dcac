package dev.osgimon.itests.deploy.probes;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;

/**
 * The activator of a test bundle instrumented with Dropwizard Metrics (built at test time by
 * {@link dev.osgimon.itests.deploy.ProbeBundle}): registers a {@code MetricRegistry} service named
 * {@code itest} in which the counter {@code dw.orders} was incremented exactly 7 times, the timer
 * {@code dw.latency} got the 5 samples 3, 20, 40, 300 and 1200 ms (1.563 s) and the gauge {@code dw.queue}
 * reads 42.
 */
public final class DropwizardProbe implements BundleActivator {

    private ServiceRegistration<MetricRegistry> registration;

    @Override
    public void start(BundleContext context) {
        MetricRegistry registry = new MetricRegistry();
        Counter orders = registry.counter("dw.orders");
        for (int i = 0; i < 7; i++) {
            orders.inc();
        }
        Timer latency = registry.timer("dw.latency");
        for (int ms : new int[] {3, 20, 40, 300, 1200}) {
            latency.update(ms, TimeUnit.MILLISECONDS);
        }
        registry.register("dw.queue", (Gauge<Integer>) () -> 42);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("name", "itest");
        registration = context.registerService(MetricRegistry.class, registry, props);
    }

    @Override
    public void stop(BundleContext context) {
        registration.unregister();
    }
}
