package dev.osgimon.source.health.internal;

import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.execution.HealthCheckExecutionOptions;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckMetadata;
import org.apache.felix.hc.api.execution.HealthCheckSelector;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.Declarations;
import dev.osgimon.api.MetricSource;
import dev.osgimon.api.MetricSourceProperties;
import dev.osgimon.api.PointWriter;

/**
 * Metric source {@code health} (tag {@code health}): the results of the Apache Felix Health Checks,
 * one {@code health_check,name=<name>} point per check and the worst status in {@code health}. It
 * exists only where the Felix Health Checks run: the bundle imports their API and the component
 * needs their {@link HealthCheckExecutor}. Without configured {@code tags} every check with an
 * {@code hc.name} is run. The point layout is documented in {@code docs/sources.md}.
 *
 * <p>The checks never run on the collector thread. A cycle writes the results of the last finished
 * run; the runs happen on the source's own thread ({@code osgimon-health}), once per cycle, half a
 * cycle after each collection, timed by that thread itself from the interval it sees between
 * collections. A collection wakes the thread only when no run is due: after the start, after a
 * pause of the cycles or a longer interval. Waking a sleeping thread from the collector thread costs
 * that thread the scheduler's wake-up (measured at about 0.45 ms a cycle at a 1 s interval: the
 * woken thread preempted the collector), so in steady state the collector never does it. The
 * executor gives each run a time budget ({@code timeoutMs}); a check that has not answered by then
 * is reported as status 4 ({@code HEALTH_CHECK_ERROR}) and the executor keeps waiting for it in the
 * background without starting it again. The age of the results is written too, so that a run that
 * never ends shows. The thread is stopped in deactivate.
 */
@Component(service = MetricSource.class, configurationPid = HealthConfig.PID)
@Designate(ocd = HealthConfig.class)
@MetricSourceProperties(name = "health", tags = "health")
public final class HealthSource implements MetricSource {

    private static final Logger LOG = LoggerFactory.getLogger(HealthSource.class);

    /** Status of a check that did not answer in time, and of an executor that failed. */
    static final int ERROR = 4;

    private final BundleContext context;
    private final HealthCheckExecutor executor;
    private final LongSupplier nanoTime;
    private final ScheduledExecutorService thread;
    /** A run is going or due (scheduled): a collection then starts none. */
    private final AtomicBoolean running = new AtomicBoolean();
    /** {@link System#nanoTime()} of the last collection, 0 before the first. */
    private volatile long lastCollect;
    /** Nanoseconds between the last two collections, 0 until two were seen. */
    private volatile long interval;
    /** Collections so far; a run that sees no new one since the run before goes idle. */
    private volatile long collects;
    /** {@link #collects} when the last run started (written by the source's thread only). */
    private long collectsAtLastRun;
    private final AtomicReference<Results> last = new AtomicReference<>();
    private volatile HealthConfig config;

    /** The results of one run, as arrays indexed alike. */
    record Results(String[] names, int[] status, long[] elapsedMs, int worst, long takenNanos) {
    }

    /**
     * Activates the source and starts the first run.
     *
     * @param context the bundle context, to find the checks
     * @param executor the Felix health-check executor
     * @param config its configuration
     */
    @Activate
    public HealthSource(BundleContext context, @Reference HealthCheckExecutor executor, HealthConfig config) {
        this(context, executor, config, System::nanoTime, new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "osgimon-health");
            t.setDaemon(true);
            return t;
        }));
    }

    HealthSource(BundleContext context, HealthCheckExecutor executor, HealthConfig config, LongSupplier nanoTime,
            ScheduledExecutorService thread) {
        validate(config);
        this.context = context;
        this.executor = executor;
        this.config = config;
        this.nanoTime = nanoTime;
        this.thread = thread;
        startRun();
    }

    /**
     * Takes a new configuration; the next run uses it.
     *
     * @param config the new configuration
     */
    @Modified
    void modified(HealthConfig config) {
        validate(config);
        this.config = config;
    }

    /**
     * Stops the source's thread, interrupting a run that is still going.
     *
     * @throws InterruptedException if interrupted while waiting for the thread
     */
    @Deactivate
    void deactivate() throws InterruptedException {
        thread.shutdownNow();
        if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
            LOG.warn("osgimon-health did not stop within 10 s: a health-check executor call does not return");
        }
    }

    private static void validate(HealthConfig c) {
        if (c.timeoutMs() < 1) {
            throw new IllegalArgumentException("timeoutMs must be at least 1, was " + c.timeoutMs());
        }
    }

    @Override
    public void declare(Declarations d) {
        d.gauge("health_check", "status", "", "Result of the check: 0 OK, 1 WARN, 2 TEMPORARILY_UNAVAILABLE, 3 CRITICAL, 4 HEALTH_CHECK_ERROR")
                .gauge("health_check", "ok", "", "Whether the check's status is OK")
                .gauge("health_check", "elapsed_ms", "ms", "How long the check took")
                .gauge("health", "status", "", "The worst status of all checks, 0 with none")
                .gauge("health", "checks", "{check}", "Checks in the last run")
                .gauge("health", "age_s", "s", "Age of the results written");
    }

    @Override
    public void collect(PointWriter out) {
        Results r = last.get();
        if (r != null) {
            for (int i = 0; i < r.names.length; i++) {
                out.point("health_check").tag("name", r.names[i])
                        .field("status", (long) r.status[i]).field("ok", r.status[i] == 0)
                        .field("elapsed_ms", r.elapsedMs[i]);
            }
            out.point("health").field("status", (long) r.worst).field("checks", (long) r.names.length)
                    .field("age_s", (nanoTime.getAsLong() - r.takenNanos) / 1e9);
        }
        long now = nanoTime.getAsLong();
        long previous = lastCollect;
        if (previous != 0) {
            interval = now - previous;
        }
        lastCollect = now;
        collects++;
        startRun();
    }

    /** @return whether a run is going or due (for tests) */
    boolean isRunning() {
        return running.get();
    }

    /** Starts a run now unless one is going or due. */
    private void startRun() {
        if (running.compareAndSet(false, true)) {
            try {
                thread.execute(this::run);
            } catch (RejectedExecutionException e) {
                running.set(false); // deactivated
            }
        }
    }

    /**
     * After a run: the next one is due half an interval after the next collection, if collections
     * are coming (one since the run before) at a known interval; otherwise the source goes idle and
     * the next collection starts a run.
     */
    private void scheduleNext() {
        long seen = collects;
        long iv = interval;
        boolean demand = seen != collectsAtLastRun;
        collectsAtLastRun = seen;
        if (demand && iv > 0) {
            long delay = Math.max(0, lastCollect + iv + iv / 2 - nanoTime.getAsLong());
            try {
                thread.schedule(this::run, delay, TimeUnit.NANOSECONDS);
                return;
            } catch (RejectedExecutionException e) {
                // deactivated
            }
        }
        running.set(false);
    }

    private void run() {
        try {
            HealthConfig c = config;
            HealthCheckSelector selector = c.tags().length == 0 ? everyCheck() : HealthCheckSelector.tags(c.tags());
            List<HealthCheckExecutionResult> results = selector == null ? List.of() : executor.execute(selector,
                    new HealthCheckExecutionOptions().setOverrideGlobalTimeout(c.timeoutMs()));
            last.set(results(results, nanoTime.getAsLong()));
        } catch (RuntimeException e) {
            LOG.warn("The health-check executor failed; health keeps its last results", e);
        } finally {
            scheduleNext();
        }
    }

    /**
     * The executor's empty selection means its {@code defaultTags} (by default only checks tagged
     * {@code default}), and its filters escape wildcards: every check is selected by its name.
     *
     * @return a selector of every registered check with a name, or {@code null} if there is none
     */
    private HealthCheckSelector everyCheck() {
        ServiceReference<?>[] refs;
        try {
            refs = context.getServiceReferences(HealthCheck.class.getName(), null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("no filter, no syntax error", e);
        }
        if (refs == null) {
            return null;
        }
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (ServiceReference<?> ref : refs) {
            if (ref.getProperty(HealthCheck.NAME) instanceof String name && !name.isEmpty()) {
                names.add(name);
            }
        }
        return names.isEmpty() ? null : HealthCheckSelector.names(names.toArray(new String[0]));
    }

    static Results results(List<HealthCheckExecutionResult> results, long now) {
        int n = results.size();
        String[] names = new String[n];
        int[] status = new int[n];
        long[] elapsed = new long[n];
        int worst = 0;
        for (int i = 0; i < n; i++) {
            HealthCheckExecutionResult r = results.get(i);
            names[i] = name(r.getHealthCheckMetadata());
            Result result = r.getHealthCheckResult();
            status[i] = r.hasTimedOut() || result == null || result.getStatus() == null ? ERROR
                    : result.getStatus().ordinal();
            elapsed[i] = r.getElapsedTimeInMs();
            worst = Math.max(worst, status[i]);
        }
        return new Results(names, status, elapsed, worst, now);
    }

    private static String name(HealthCheckMetadata m) {
        if (m == null) {
            return "unknown";
        }
        if (m.getName() != null && !m.getName().isEmpty()) {
            return m.getName();
        }
        if (m.getTitle() != null && !m.getTitle().isEmpty()) {
            return m.getTitle();
        }
        return "service-" + m.getServiceId();
    }
}
