package dev.osgimon.sourcekit.internal;

import java.util.Dictionary;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.MetricSource;

/**
 * Keeps one {@link MetricSource} registered and registers a fresh one when its declarations are out of
 * date: the core takes a source's declarations once per registration, and a bridge learns of new
 * meters while it runs. The swap runs on a thread of its own (never on the collector's, SCR's or
 * ConfigAdmin's), at most one pending at a time, and {@link #close()} stops that thread and withdraws
 * the registration.
 */
public final class Registrar implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Registrar.class);

    private final BundleContext context;
    private final Dictionary<String, Object> properties;
    private final Supplier<MetricSource> fresh;
    private final ExecutorService thread;
    private final AtomicBoolean pending = new AtomicBoolean();
    private ServiceRegistration<MetricSource> registration;
    private boolean closed;

    /**
     * Registers the first source at once.
     *
     * @param context the bundle context to register with
     * @param properties the source's service properties
     * @param fresh makes a source with declarations as of now
     * @param threadName the name of the thread that swaps registrations
     */
    public Registrar(BundleContext context, Dictionary<String, Object> properties, Supplier<MetricSource> fresh, String threadName) {
        this.context = context;
        this.properties = properties;
        this.fresh = fresh;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        synchronized (this) {
            registration = context.registerService(MetricSource.class, fresh.get(), properties);
        }
    }

    /** Asks for a fresh registration; returns at once. Any thread. */
    public void redeclare() {
        if (pending.compareAndSet(false, true)) {
            try {
                thread.execute(this::swap);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                pending.set(false);
            }
        }
    }

    private void swap() {
        pending.set(false);
        synchronized (this) {
            if (closed) {
                return;
            }
            unregister();
            try {
                registration = context.registerService(MetricSource.class, fresh.get(), properties);
            } catch (IllegalStateException stopping) {
                LOG.debug("Bundle stopping, source not registered again", stopping);
            }
        }
    }

    private void unregister() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping
            }
            registration = null;
        }
    }

    /** Withdraws the source and stops the thread (waiting up to 10 s for a swap under way). */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            unregister();
        }
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("The registration thread of a metric source did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
