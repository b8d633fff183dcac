package dev.osgimon.sourcekit.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.MetricSource;

/**
 * Keeps one {@link MetricSource} registered for its whole life and has the core take its
 * declarations again when they are out of date: a bridge learns of new meters while it runs, and the
 * core calls {@link MetricSource#declare} again whenever a source's service properties are modified.
 * So {@link #redeclare()} sets the service property {@value #GENERATION} (a {@code Long} counting the
 * requests, from 0) to its next value with {@code ServiceRegistration.setProperties}. The source keeps
 * its registration, its place in the cycles and its status counters.
 *
 * <p>That runs on a thread of its own, at most one pending at a time: {@code setProperties} delivers
 * the change to every listener on the calling thread, so the core's {@code declare} call (which walks
 * every meter) would otherwise run on whoever asked, that is the collector thread in the middle of a
 * cycle, or an SCR or ConfigAdmin thread. {@link #close()} stops that thread and withdraws the
 * registration.
 */
public final class Registrar implements AutoCloseable {

    /** The service property changed to have the source declared again: a {@code Long} generation. */
    public static final String GENERATION = "osgimon.source.generation";

    private static final Logger LOG = LoggerFactory.getLogger(Registrar.class);

    private final Hashtable<String, Object> properties = new Hashtable<>();
    private final ExecutorService thread;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final ServiceRegistration<MetricSource> registration;
    private long generation;
    private boolean closed;

    /**
     * Registers the source at once.
     *
     * @param context the bundle context to register with
     * @param properties the source's service properties ({@value #GENERATION} is added)
     * @param source the source; its {@code declare} must declare what it has as of the call
     * @param threadName the name of the thread that asks for new declarations
     */
    public Registrar(BundleContext context, Dictionary<String, Object> properties, MetricSource source, String threadName) {
        for (java.util.Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            this.properties.put(key, properties.get(key));
        }
        this.properties.put(GENERATION, 0L);
        // not Executors.newSingleThreadExecutor: its wrapper has a finalizer, which keeps the bundle's
        // class loader (the thread factory is the bundle's) alive after an uninstall until it has run
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        synchronized (this) {
            registration = context.registerService(MetricSource.class, source, this.properties);
        }
    }

    /** Asks the core to take the source's declarations again; returns at once. Any thread. */
    public void redeclare() {
        if (pending.compareAndSet(false, true)) {
            try {
                thread.execute(this::touch);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                pending.set(false);
            }
        }
    }

    private void touch() {
        pending.set(false);
        synchronized (this) {
            if (closed) {
                return;
            }
            properties.put(GENERATION, ++generation);
            try {
                registration.setProperties(properties);
            } catch (IllegalStateException stopping) {
                LOG.debug("Bundle stopping, source not declared again", stopping);
            }
        }
    }

    /** Withdraws the source and stops the thread (waiting up to 10 s for a request under way). */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping
            }
        }
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("The declaration thread of a metric source did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
