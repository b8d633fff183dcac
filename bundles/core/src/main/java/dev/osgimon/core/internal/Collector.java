package dev.osgimon.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.CycleListener;
import dev.osgimon.api.MetricSource;
import dev.osgimon.api.admin.CollectionPreview;
import dev.osgimon.api.admin.SourceControl;
import dev.osgimon.api.admin.SourceRule;
import dev.osgimon.api.admin.SourceStatus;
import dev.osgimon.api.admin.SourceStatus.SourceState;
import dev.osgimon.api.transport.TransportFactory;
import dev.osgimon.core.internal.encode.LineEncoder;
import dev.osgimon.core.internal.state.SourceRules;

/**
 * The heart of osgimon: tracks metric sources, decides which are enabled, collects the enabled
 * ones every interval into one line-protocol buffer and hands it to the transport for the target.
 *
 * <p>Threads: a scheduler ticks every interval and hands the cycle to a collector thread. A source
 * that does not return within {@code 2 × interval} is marked stuck and skipped (its thread is
 * abandoned and a new collector thread takes over) until its call returns. Sending never blocks the
 * cycle: transports only copy the lines.
 */
@Component(service = {SourceControl.class, CollectionPreview.class}, immediate = true,
        configurationPid = CoreConfig.PID)
@Designate(ocd = CoreConfig.class)
public final class Collector implements SourceControl, CollectionPreview {

    private static final Logger LOG = LoggerFactory.getLogger(Collector.class);
    private static final Pattern NAME = Pattern.compile(MetricSource.NAME_PATTERN);
    private static final long SOURCE_OVERRUN_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Object stateLock = new Object();
    private final Map<Long, SourceEntry> sources = new ConcurrentHashMap<>();
    private volatile SourceRules rules = SourceRules.ALL_ENABLED;
    /** Enabled, unshadowed sources in name order: what a cycle collects. */
    private volatile SourceEntry[] active = new SourceEntry[0];

    private final TransportSwitch transports = new TransportSwitch();

    private volatile Settings settings;
    private final ScheduledExecutorService scheduler;
    private ScheduledFuture<?> tick;
    private final Worker[] worker = new Worker[1];
    /** Workers given up on because a source hung; interrupted on deactivate. */
    private final List<Worker> abandonedWorkers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ServiceRegistration<MetricSource> selfRegistration;
    private volatile boolean running = true;

    /** Told about every cycle's lines (the operator page); empty almost always. */
    private final List<CycleListener> cycleListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    private volatile long cycles;
    private volatile long lastCycleNanos;
    private volatile long stuckSources;

    /**
     * Starts collecting.
     *
     * @param context the bundle context, to register the {@code monitoring} self source
     * @param config the configuration
     */
    @Activate
    public Collector(BundleContext context, CoreConfig config) {
        this.settings = Settings.of(config, null);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(named("osgimon-scheduler"));
        synchronized (worker) {
            worker[0] = new Worker();
        }
        transports.configure(config);
        schedule(settings.intervalSeconds);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(MetricSource.NAME, "monitoring");
        props.put(MetricSource.TAGS, new String[] {"internal"});
        this.selfRegistration = context.registerService(MetricSource.class, new SelfSource(), props);
        LOG.info("osgimon collecting every {} s into {}", settings.intervalSeconds, transports.target());
    }

    /**
     * Applies a new configuration without losing buffered lines.
     *
     * @param next the configuration
     */
    @Modified
    void modified(CoreConfig next) {
        Settings old = settings;
        Settings fresh = Settings.of(next, old);
        this.settings = fresh;
        transports.configure(next);
        if (fresh.intervalSeconds != old.intervalSeconds) {
            schedule(fresh.intervalSeconds);
        }
        LOG.info("osgimon configuration changed: every {} s into {}", fresh.intervalSeconds, transports.target());
    }

    /** Stops every thread, the transport and the self source. */
    @Deactivate
    void deactivate() {
        running = false;
        try {
            selfRegistration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework is stopping
        }
        scheduler.shutdownNow();
        Worker w;
        synchronized (worker) {
            w = worker[0];
        }
        w.stop();
        for (Worker hung : abandonedWorkers) {
            hung.executor.shutdownNow();
        }
        awaitQuietly(scheduler);
        transports.close();
    }

    // ---- sources ------------------------------------------------------------------------------

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addSource(MetricSource source, Map<String, Object> props) {
        long id = (Long) props.get(Constants.SERVICE_ID);
        Object nameProp = props.get(MetricSource.NAME);
        String name = nameProp instanceof String ? (String) nameProp : null;
        if (name == null || !NAME.matcher(name).matches()) {
            LOG.warn("Ignoring metric source service {} ({}): property {} must match {}, was {}", id,
                    source.getClass().getName(), MetricSource.NAME, MetricSource.NAME_PATTERN, nameProp);
            return;
        }
        List<String> tags = new ArrayList<>();
        for (String t : stringArray(props.get(MetricSource.TAGS))) {
            if (NAME.matcher(t).matches()) {
                tags.add(t);
            } else {
                LOG.warn("Metric source {}: ignoring tag '{}' (must match {})", name, t, MetricSource.NAME_PATTERN);
            }
        }
        synchronized (stateLock) {
            sources.put(id, new SourceEntry(id, name, tags, source));
            recompute();
        }
        LOG.debug("Metric source {} {} registered", name, tags);
    }

    void removeSource(MetricSource source, Map<String, Object> props) {
        long id = (Long) props.get(Constants.SERVICE_ID);
        synchronized (stateLock) {
            if (sources.remove(id) != null) {
                recompute();
            }
        }
    }

    static List<String> stringArray(Object value) {
        if (value instanceof String[]) {
            return Arrays.asList((String[]) value);
        }
        if (value instanceof String) {
            return List.of((String) value);
        }
        if (value instanceof Iterable<?>) {
            List<String> out = new ArrayList<>();
            for (Object o : (Iterable<?>) value) {
                out.add(String.valueOf(o));
            }
            return out;
        }
        return List.of();
    }

    /** Recomputes every entry's state and the active list. Callers hold {@link #stateLock}. */
    private void recompute() {
        Map<String, SourceEntry> byName = new LinkedHashMap<>();
        List<SourceEntry> all = new ArrayList<>(sources.values());
        all.sort(Comparator.comparingLong(e -> e.serviceId));
        for (SourceEntry e : all) {
            SourceEntry first = byName.putIfAbsent(e.name, e);
            boolean shadowed = first != null;
            if (shadowed && !e.shadowed) {
                LOG.warn("Two metric sources are named '{}' (services {} and {}); collecting only {}", e.name,
                        first.serviceId, e.serviceId, first.serviceId);
            }
            e.shadowed = shadowed;
            e.enabled = rules.isEnabled(e.name, e.tags);
        }
        List<SourceEntry> on = new ArrayList<>();
        for (SourceEntry e : byName.values()) {
            if (e.enabled) {
                on.add(e);
            }
        }
        on.sort(Comparator.comparing(e -> e.name));
        active = on.toArray(new SourceEntry[0]);
    }

    // ---- SourceControl ------------------------------------------------------------------------

    @Override
    public void apply(List<SourceRule> changes) {
        synchronized (stateLock) {
            for (SourceRule r : changes) {
                switch (r.scope()) {
                    case ALL:
                        break;
                    case TAG:
                        if (!NAME.matcher(r.target()).matches()) {
                            throw new IllegalArgumentException("invalid tag: " + r.target());
                        }
                        break;
                    case SOURCE:
                        if (sources.values().stream().noneMatch(e -> e.name.equals(r.target()))) {
                            throw new IllegalArgumentException("unknown source: " + r.target());
                        }
                        break;
                    default:
                        throw new IllegalArgumentException("unknown rule scope: " + r.scope());
                }
            }
            rules = rules.with(changes);
            recompute();
        }
        LOG.info("Metric sources now: {}", describe());
    }

    private String describe() {
        StringBuilder sb = new StringBuilder();
        for (SourceState s : status().sources()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(s.name()).append(s.enabled() ? " on" : " off");
        }
        return sb.toString();
    }

    @Override
    public SourceStatus status() {
        synchronized (stateLock) {
            SourceRules r = rules;
            Map<String, SourceState> byName = new java.util.TreeMap<>();
            List<SourceEntry> all = new ArrayList<>(sources.values());
            all.sort(Comparator.comparingLong(e -> e.serviceId));
            for (SourceEntry e : all) {
                byName.putIfAbsent(e.name, new SourceState(e.name, e.tags, e.enabled));
            }
            return new SourceStatus(r.defaultEnabled(), r.tagRules(), new ArrayList<>(byName.values()));
        }
    }

    @Override
    public boolean isEnabled(String source) {
        for (SourceEntry e : active) {
            if (e.name.equals(source)) {
                return true;
            }
        }
        return false;
    }

    // ---- transports ---------------------------------------------------------------------------

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addTransportFactory(TransportFactory factory, Map<String, Object> props) {
        transports.addFactory(factory, props.get(TransportFactory.SCHEMES));
    }

    void removeTransportFactory(TransportFactory factory, Map<String, Object> props) {
        transports.removeFactory(factory);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addCycleListener(CycleListener listener) {
        cycleListeners.add(listener);
    }

    void removeCycleListener(CycleListener listener) {
        cycleListeners.remove(listener);
    }

    private void tellCycleListeners(long timestampNanos, LineEncoder enc) {
        if (cycleListeners.isEmpty()) {
            return;
        }
        String lines = new String(enc.buffer(), 0, enc.size(), StandardCharsets.UTF_8);
        for (CycleListener l : cycleListeners) {
            try {
                l.cycleCollected(timestampNanos, lines);
            } catch (RuntimeException e) {
                LOG.warn("Cycle listener {} failed", l.getClass().getName(), e);
            }
        }
    }

    // ---- cycles -------------------------------------------------------------------------------

    private synchronized void schedule(int seconds) {
        if (tick != null) {
            tick.cancel(false);
        }
        tick = scheduler.scheduleAtFixedRate(this::onTick, seconds, seconds, TimeUnit.SECONDS);
    }

    private void onTick() {
        Worker w;
        synchronized (worker) {
            w = worker[0];
        }
        if (w.busy) {
            long runningFor = System.nanoTime() - w.currentSince;
            SourceEntry current = w.current;
            if (current != null && runningFor > 2 * TimeUnit.SECONDS.toNanos(settings.intervalSeconds)) {
                current.stuck = true;
                stuckSources++;
                LOG.error("Metric source '{}' has not returned for {} ms; skipping it until it does", current.name,
                        TimeUnit.NANOSECONDS.toMillis(runningFor));
                synchronized (worker) {
                    w.abandon();
                    abandonedWorkers.add(w);
                    worker[0] = new Worker();
                }
            } else {
                LOG.debug("Previous cycle still running; skipping this tick");
                return;
            }
            synchronized (worker) {
                w = worker[0];
            }
        }
        w.submitCycle();
    }

    @Override
    public String preview() {
        Worker w;
        synchronized (worker) {
            w = worker[0];
        }
        Future<String> f = w.executor.submit(() -> {
            LineEncoder enc = new LineEncoder(4096);
            w.collectInto(enc, false);
            return new String(enc.buffer(), 0, enc.size(), StandardCharsets.UTF_8);
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

    /** The collector thread with its own encoder; replaced when a source hangs. */
    private final class Worker {
        final ExecutorService executor = Executors.newSingleThreadExecutor(named("osgimon-collector"));
        final LineEncoder encoder = new LineEncoder(16 * 1024);
        volatile boolean busy;
        volatile boolean abandoned;
        volatile SourceEntry current;
        volatile long currentSince;
        private Settings applied;

        void submitCycle() {
            busy = true;
            try {
                executor.execute(this::cycle);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                busy = false;
            }
        }

        private void cycle() {
            try {
                long start = System.nanoTime();
                long timestamp = System.currentTimeMillis() * 1_000_000L;
                encoder.reset(timestamp);
                collectInto(encoder, true);
                if (abandoned || !running) {
                    return;
                }
                transports.send(encoder);
                tellCycleListeners(timestamp, encoder);
                lastCycleNanos = System.nanoTime() - start;
                cycles++;
            } catch (RuntimeException | Error e) {
                LOG.error("Collection cycle failed", e);
            } finally {
                busy = false;
            }
        }

        void collectInto(LineEncoder enc, boolean count) {
            Settings s = settings;
            if (enc != encoder || applied != s) {
                enc.globalTags(s.tagKeys, s.tagValues);
                enc.uintSupport(s.uintSupport);
                if (enc == encoder) {
                    applied = s;
                }
            }
            if (enc != encoder) {
                enc.reset(System.currentTimeMillis() * 1_000_000L);
            }
            for (SourceEntry e : active) {
                if (e.stuck || !running) {
                    continue;
                }
                int mark = enc.size();
                int linesMark = enc.lines();
                current = e;
                long t0 = System.nanoTime();
                currentSince = t0;
                boolean ok = false;
                try {
                    e.source.collect(enc);
                    enc.finish();
                    ok = true;
                } catch (Throwable t) {
                    enc.rollback(mark, linesMark);
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
                    return;
                }
                if (ok && took > SOURCE_OVERRUN_NANOS) {
                    enc.rollback(mark, linesMark);
                    if (count) {
                        e.overruns++;
                        LOG.warn("Metric source '{}' took {} ms; its points of this cycle are dropped", e.name,
                                TimeUnit.NANOSECONDS.toMillis(took));
                    }
                    ok = false;
                }
                if (count) {
                    e.lastNanos = took;
                    e.lastLines = enc.lines() - linesMark;
                    if (ok && e.failing) {
                        e.failing = false;
                        LOG.info("Metric source '{}' works again", e.name);
                    }
                }
            }
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

    // ---- self-metrics -------------------------------------------------------------------------

    /** The {@code monitoring} source: what the core itself did. */
    private final class SelfSource implements MetricSource {
        @Override
        public void collect(dev.osgimon.api.PointWriter out) {
            TransportSwitch.Totals t = transports.totals();
            SourceEntry[] on = active;
            out.point("osgimon")
                    .tag("target", t.scheme())
                    .field("lines_sent", t.sent())
                    .field("lines_dropped", t.dropped())
                    .field("write_errors", t.writeErrors())
                    .field("reconnects", t.reconnects())
                    .field("buffer_lines", t.buffered())
                    .field("buffer_capacity", t.capacity())
                    .field("buffer_fill", t.capacity() == 0 ? 0.0 : (double) t.buffered() / t.capacity())
                    .field("cycles", cycles)
                    .field("cycle_time_ns", lastCycleNanos)
                    .field("sources_enabled", on.length)
                    .field("sources_stuck", stuckSources);
            for (SourceEntry e : on) {
                out.point("osgimon_source")
                        .tag("source", e.name)
                        .field("collect_time_ns", e.lastNanos)
                        .field("lines", e.lastLines)
                        .field("errors", e.errors)
                        .field("overruns", e.overruns);
            }
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** The parts of the configuration a cycle reads, validated once. */
    private static final class Settings {
        final int intervalSeconds;
        final String[] tagKeys;
        final String[] tagValues;
        final boolean uintSupport;

        private Settings(int intervalSeconds, String[] tagKeys, String[] tagValues, boolean uintSupport) {
            this.intervalSeconds = intervalSeconds;
            this.tagKeys = tagKeys;
            this.tagValues = tagValues;
            this.uintSupport = uintSupport;
        }

        static Settings of(CoreConfig c, Settings previous) {
            int interval = c.interval();
            if (interval < 1) {
                int fallback = previous == null ? 10 : previous.intervalSeconds;
                LOG.error("Invalid configuration {} interval={}: must be at least 1 second; using {}", CoreConfig.PID,
                        interval, fallback);
                interval = fallback;
            }
            List<String> keys = new ArrayList<>();
            List<String> values = new ArrayList<>();
            String host = c.hostname() == null ? "" : c.hostname().trim();
            if (!host.isEmpty()) {
                keys.add("vm");
                values.add(host);
            }
            for (String kv : c.tags() == null ? new String[0] : c.tags()) {
                if (kv == null || kv.isBlank()) {
                    continue;
                }
                int eq = kv.indexOf('=');
                if (eq <= 0 || eq == kv.length() - 1) {
                    LOG.error("Invalid configuration {} tags entry '{}': must be key=value; ignored", CoreConfig.PID, kv);
                    continue;
                }
                String k = kv.substring(0, eq).trim();
                if (keys.contains(k)) {
                    LOG.error("Invalid configuration {} tags entry '{}': tag {} is set twice; ignored", CoreConfig.PID,
                            kv, k);
                    continue;
                }
                keys.add(k);
                values.add(kv.substring(eq + 1).trim());
            }
            return new Settings(interval, keys.toArray(new String[0]), values.toArray(new String[0]), c.uintSupport());
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
}
