package dev.osgimon.core.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.CycleListener;
import dev.osgimon.api.model.Cycle;
import dev.osgimon.api.model.CycleObserver;
import dev.osgimon.api.transport.CycleEncoder;
import dev.osgimon.core.internal.delivery.Encoding;
import dev.osgimon.core.internal.delivery.Formats;
import dev.osgimon.core.internal.delivery.Outbox;
import dev.osgimon.core.internal.encode.CycleBuffer;
import dev.osgimon.core.internal.encode.LineRenderer;

/**
 * Runs the collection cycles: a scheduler ticks every interval and hands the cycle to a collector
 * thread, which collects the active sources into one {@link CycleBuffer}, appends it to the outbox
 * in the target's format (its line-protocol rendering, or what the target's {@link CycleEncoder}
 * makes of it: one encoder per collector thread and target, made when the target changes), then
 * hands the structured cycle to every {@link CycleObserver} (and the line-protocol text to every
 * deprecated {@link CycleListener}, rendered only while one is registered). Each point is resolved
 * against the declarations its source made as it registered.
 *
 * <p>Hung-source supervision: a source that does not return within {@code 2 × interval} is marked
 * stuck and skipped; its thread is abandoned (and interrupted at {@link #stop()}) and a new
 * collector thread takes over. When the hung call returns the source is collected again. A source
 * that takes longer than {@value #OVERRUN_SECONDS} s loses the points of that cycle.
 */
final class CycleRunner {

    private static final Logger LOG = LoggerFactory.getLogger(CycleRunner.class);
    static final long OVERRUN_SECONDS = 5;
    private static final long OVERRUN_NANOS = TimeUnit.SECONDS.toNanos(OVERRUN_SECONDS);

    private final SourceRegistry registry;
    private final Supplier<CycleSettings> settings;
    private final Outbox outbox;
    private final Supplier<Encoding> encoding;
    /** Told about every cycle (the operator page, scrape endpoints). */
    private final List<LazyService<CycleObserver>> observers = new CopyOnWriteArrayList<>();
    /** Told about every cycle's lines (deprecated); empty almost always. */
    @SuppressWarnings("deprecation")
    private final List<LazyService<CycleListener>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler;
    private final AtomicReference<Worker> worker = new AtomicReference<>();
    /** Workers given up on because a source hung; interrupted on stop. */
    private final List<Worker> abandoned = new CopyOnWriteArrayList<>();
    private ScheduledFuture<?> tick;
    private volatile boolean running = true;

    private volatile long cycles;
    private volatile long lastCycleNanos;
    private volatile long lastAppendNanos;
    private volatile long stuckSources;

    CycleRunner(SourceRegistry registry, Supplier<CycleSettings> settings, Outbox outbox,
            Supplier<Encoding> encoding) {
        this.registry = registry;
        this.settings = settings;
        this.outbox = outbox;
        this.encoding = encoding;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(named("osgimon-scheduler"));
        this.worker.set(new Worker());
    }

    long cycles() {
        return cycles;
    }

    @SuppressWarnings("deprecation")
    void addListener(LazyService<CycleListener> listener) {
        listeners.add(listener);
    }

    @SuppressWarnings("deprecation")
    void removeListener(LazyService<CycleListener> listener) {
        listeners.remove(listener);
    }

    void addObserver(LazyService<CycleObserver> observer) {
        observers.add(observer);
    }

    void removeObserver(LazyService<CycleObserver> observer) {
        observers.remove(observer);
    }

    long lastCycleNanos() {
        return lastCycleNanos;
    }

    /** @return how long the last cycle's append to the outbox (its buffer or disk spool) took, ns */
    long lastAppendNanos() {
        return lastAppendNanos;
    }

    long stuckSources() {
        return stuckSources;
    }

    /** (Re)starts the ticks every {@code seconds}. */
    synchronized void schedule(int seconds) {
        if (tick != null) {
            tick.cancel(false);
        }
        tick = scheduler.scheduleAtFixedRate(this::onTick, seconds, seconds, TimeUnit.SECONDS);
    }

    /** Stops the scheduler and every collector thread, the abandoned ones too (interrupted). */
    void stop() {
        running = false;
        scheduler.shutdownNow();
        worker.get().stop();
        for (Worker hung : abandoned) {
            hung.stop();
        }
        awaitQuietly(scheduler);
    }

    /** @return whether every thread this runner started has ended */
    boolean isStopped() {
        if (!scheduler.isTerminated() || !worker.get().executor.isTerminated()) {
            return false;
        }
        return abandoned.stream().allMatch(w -> w.executor.isTerminated());
    }

    private void onTick() {
        Worker w = worker.get();
        if (w.busy) {
            long runningFor = System.nanoTime() - w.currentSince;
            SourceEntry current = w.current;
            if (current == null || runningFor <= 2 * TimeUnit.SECONDS.toNanos(settings.get().intervalSeconds())) {
                LOG.debug("Previous cycle still running; skipping this tick");
                return;
            }
            current.stuck = true;
            stuckSources++;
            LOG.error("Metric source '{}' has not returned for {} ms; skipping it until it does", current.name,
                    TimeUnit.NANOSECONDS.toMillis(runningFor));
            w.abandon();
            abandoned.add(w);
            abandoned.removeIf(a -> a.executor.isTerminated());
            w = new Worker();
            worker.set(w);
        }
        w.submitCycle();
    }

    /** Collects once on the collector thread and returns the lines, without sending or counting. */
    String preview() {
        Worker w = worker.get();
        Future<String> f = w.executor.submit(() -> {
            CycleBuffer buffer = new CycleBuffer();
            LineRenderer renderer = new LineRenderer(4096);
            w.collectInto(buffer, renderer, false);
            renderer.render(buffer);
            return renderer.text();
        });
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            f.cancel(true);
            throw new IllegalStateException("collection failed: " + e, e);
        }
    }

    /** A collector thread with its own buffer and renderer; replaced when a source hangs. */
    private final class Worker {
        final ExecutorService executor = Executors.newSingleThreadExecutor(named("osgimon-collector"));
        final CycleBuffer buffer = new CycleBuffer();
        final LineRenderer renderer = new LineRenderer(16 * 1024);
        volatile boolean busy;
        volatile boolean abandoned;
        volatile SourceEntry current;
        volatile long currentSince;
        private CycleSettings applied;
        /** The encoding {@link #encoder} was made for; {@link Encoding#LINE} needs none. */
        private Encoding encodedFor = Encoding.LINE;
        private CycleEncoder encoder;
        private boolean encoderFailed;

        Worker() {
            encoderFor(encoding.get());
        }

        /** Makes this thread's encoder when the target's encoding changed (not per cycle). */
        private void encoderFor(Encoding e) {
            if (e == encodedFor) {
                return;
            }
            encodedFor = e;
            encoder = null;
            encoderFailed = false;
            if (e.line()) {
                return;
            }
            try {
                encoder = e.newEncoder();
            } catch (RuntimeException ex) {
                encoderFailed = true;
                LOG.error("Cannot make an encoder for {}: {}; cycles are not sent until the target changes", e.format(),
                        ex.toString());
            }
        }

        void submitCycle() {
            busy = true;
            try {
                executor.execute(this::cycle);
            } catch (RejectedExecutionException e) {
                busy = false;
            }
        }

        private void cycle() {
            try {
                long start = System.nanoTime();
                long timestamp = System.currentTimeMillis() * 1_000_000L;
                buffer.reset(timestamp);
                collectInto(buffer, renderer, true);
                if (abandoned || !running) {
                    return;
                }
                Encoding e = encoding.get();
                if (e.line()) {
                    if (encodedFor != Encoding.LINE) {
                        encoderFor(Encoding.LINE); // lets go of the encoder of a target no longer used
                    }
                    renderer.render(buffer);
                    long appendStart = System.nanoTime();
                    outbox.appendQuietly(Formats.LINE, renderer.buffer(), 0, renderer.size(), renderer.lines());
                    lastAppendNanos = System.nanoTime() - appendStart;
                    tellObservers(buffer);
                    tellListeners(timestamp, renderer);
                } else {
                    encode(e);
                    tellObservers(buffer);
                    if (!listeners.isEmpty()) {
                        renderer.render(buffer);
                        tellListeners(timestamp, renderer);
                    }
                }
                lastCycleNanos = System.nanoTime() - start;
                cycles++;
            } catch (RuntimeException | Error e) {
                LOG.error("Collection cycle failed", e);
            } finally {
                outbox.wakeSender(); // after the cycle's work: see Outbox.appendQuietly
                busy = false;
            }
        }

        /** Appends the cycle in the format of {@code e}; a failing encoder loses the cycle's push (logged once). */
        private void encode(Encoding e) {
            encoderFor(e);
            if (encoder == null) {
                return;
            }
            int records;
            int size;
            byte[] bytes;
            try {
                records = encoder.encode(buffer);
                size = encoder.size();
                bytes = encoder.buffer();
                if (records < 0 || size < 0 || (records > 0 && (bytes == null || size > bytes.length))) {
                    throw new IllegalStateException("the encoder answered " + records + " records in " + size
                            + " bytes");
                }
            } catch (RuntimeException ex) {
                if (!encoderFailed) {
                    encoderFailed = true;
                    LOG.error("The {} encoder failed; the cycle is not sent", e.format(), ex);
                } else {
                    LOG.debug("The {} encoder failed again: {}", e.format(), ex.toString());
                }
                return;
            }
            encoderFailed = false;
            long appendStart = System.nanoTime();
            outbox.appendQuietly(e.format(), bytes, 0, size, records);
            lastAppendNanos = System.nanoTime() - appendStart;
        }

        void collectInto(CycleBuffer buf, LineRenderer r, boolean count) {
            CycleSettings s = settings.get();
            if (buf != buffer || applied != s) {
                buf.globalTags(s.tagKeys(), s.tagValues());
                r.uintSupport(s.uintSupport());
                if (buf == buffer) {
                    applied = s;
                }
            }
            if (buf != buffer) {
                buf.reset(System.currentTimeMillis() * 1_000_000L);
            }
            for (SourceEntry e : registry.active()) {
                if (e.stuck || !running) {
                    continue;
                }
                if (!collectOne(buf, e, count)) {
                    return;
                }
            }
        }

        /** @return false if this worker was abandoned meanwhile (the cycle ends) */
        private boolean collectOne(CycleBuffer buf, SourceEntry e, boolean count) {
            int mark = buf.points();
            int linesMark = buf.lines();
            current = e;
            currentSince = System.nanoTime();
            buf.source(e.metrics);
            long t0 = System.nanoTime();
            boolean ok = false;
            try {
                e.source.collect(buf);
                buf.finish();
                ok = true;
            } catch (Throwable t) {
                buf.rollback(mark);
                if (count) {
                    e.errors++;
                    if (!e.failing) {
                        LOG.warn("Metric source '{}' failed; skipping it this cycle", e.name, t);
                    } else {
                        LOG.debug("Metric source '{}' failed again: {}", e.name, t.toString());
                    }
                    e.failing = true;
                }
            } finally {
                current = null;
            }
            long took = System.nanoTime() - t0;
            if (abandoned) {
                // this thread was given up on while the source hung; it has returned now
                e.stuck = false;
                LOG.info("Metric source '{}' returned after {} ms; collecting it again", e.name,
                        TimeUnit.NANOSECONDS.toMillis(took));
                return false;
            }
            if (ok && took > OVERRUN_NANOS) {
                buf.rollback(mark);
                if (count) {
                    e.overruns++;
                    LOG.warn("Metric source '{}' took {} ms; its points of this cycle are dropped", e.name,
                            TimeUnit.NANOSECONDS.toMillis(took));
                }
                ok = false;
            }
            if (count) {
                e.lastNanos = took;
                e.lastLines = buf.lines() - linesMark;
                if (ok && e.failing) {
                    e.failing = false;
                    LOG.info("Metric source '{}' works again", e.name);
                }
            }
            return true;
        }

        /** Gives up on this worker without interrupting the hung source; its thread ends when the call returns. */
        void abandon() {
            abandoned = true;
            executor.shutdown();
            busy = false;
        }

        void stop() {
            abandoned = true;
            executor.shutdownNow();
            awaitQuietly(executor);
        }
    }

    private static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static void awaitQuietly(ExecutorService executor) {
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void tellObservers(Cycle cycle) {
        for (LazyService<CycleObserver> o : observers) {
            try {
                CycleObserver observer = o.get();
                if (observer != null) {
                    observer.cycleCollected(cycle);
                }
            } catch (RuntimeException e) {
                LOG.warn("Cycle observer {} failed", o, e);
            }
        }
    }

    /** Deprecated listeners get the rendered text; it is made only when one is registered. */
    @SuppressWarnings("deprecation")
    private void tellListeners(long timestampNanos, LineRenderer rendered) {
        if (listeners.isEmpty()) {
            return;
        }
        String lines = rendered.text();
        for (LazyService<CycleListener> l : listeners) {
            try {
                CycleListener listener = l.get();
                if (listener != null) {
                    listener.cycleCollected(timestampNanos, lines);
                }
            } catch (RuntimeException e) {
                LOG.warn("Cycle listener {} failed", l, e);
            }
        }
    }
}
