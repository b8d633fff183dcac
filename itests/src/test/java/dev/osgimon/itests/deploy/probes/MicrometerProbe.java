package dev.osgimon.itests.deploy.probes;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The activator of a test bundle instrumented with Micrometer (built at test time by
 * {@link dev.osgimon.itests.deploy.ProbeBundle}): as soon as osgimon's {@code MeterRegistry} service
 * ({@code osgimon=true}) is there, it increments the counter {@code mm.orders} exactly 7 times, records the
 * 5 samples of {@link #SAMPLES_MS} into the timer {@code mm.latency} and sets the gauge {@code mm.queue} to 42.
 */
public final class MicrometerProbe implements BundleActivator {

    /** The timer samples, in milliseconds: their sum is 1.563 s. */
    public static final int[] SAMPLES_MS = {3, 20, 40, 300, 1200};

    private final AtomicInteger queue = new AtomicInteger(42);
    private ServiceTracker<MeterRegistry, MeterRegistry> tracker;

    @Override
    public void start(BundleContext context) throws InvalidSyntaxException {
        tracker = new ServiceTracker<>(context,
                context.createFilter("(&(objectClass=" + MeterRegistry.class.getName() + ")(osgimon=true))"), null) {
            @Override
            public MeterRegistry addingService(ServiceReference<MeterRegistry> reference) {
                MeterRegistry registry = context.getService(reference);
                Counter orders = Counter.builder("mm.orders").tag("shop", "north").register(registry);
                for (int i = 0; i < 7; i++) {
                    orders.increment();
                }
                Timer latency = Timer.builder("mm.latency").register(registry);
                for (int ms : SAMPLES_MS) {
                    latency.record(Duration.ofMillis(ms));
                }
                Gauge.builder("mm.queue", queue, AtomicInteger::get).strongReference(true).register(registry);
                return registry;
            }
        };
        tracker.open();
    }

    @Override
    public void stop(BundleContext context) {
        tracker.close();
    }
}
