package dev.osgimon.logging.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes back expiring log levels when they are due, on a thread of its own: one run at start (what came due
 * while the framework was down goes at once), then one at each next due time.
 */
final class LevelExpiry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LevelExpiry.class);
    /** After a failed run (e.g. ConfigurationAdmin away), try again this soon. */
    private static final Duration RETRY = Duration.ofSeconds(5);

    private final Supplier<Instant> expire;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private ScheduledFuture<?> next;

    /**
     * Starts the timer and runs once at once.
     *
     * @param expire takes back what is due and tells when the next one is due ({@code null}: none)
     * @param clock the clock of the due times
     */
    LevelExpiry(Supplier<Instant> expire, Clock clock) {
        this.expire = Objects.requireNonNull(expire, "expire");
        this.clock = Objects.requireNonNull(clock, "clock");
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "osgimon-log-expiry");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
        reschedule(Duration.ZERO);
    }

    /** Runs again now: call after levels changed, so that the timer knows the new due times. */
    void changed() {
        reschedule(Duration.ZERO);
    }

    private synchronized void reschedule(Duration delay) {
        if (timer.isShutdown()) {
            return;
        }
        if (next != null) {
            next.cancel(false);
        }
        next = timer.schedule(this::run, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    }

    private void run() {
        Instant due;
        try {
            due = expire.get();
        } catch (RuntimeException e) {
            LOG.warn("Expiring log levels could not be taken back yet: {}", e.getMessage());
            reschedule(RETRY);
            return;
        }
        if (due != null) {
            // a little after the due time, so that the run finds it due
            reschedule(Duration.between(clock.instant(), due).plusMillis(1));
        }
    }

    /** Stops the timer thread. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("osgimon-log-expiry did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
