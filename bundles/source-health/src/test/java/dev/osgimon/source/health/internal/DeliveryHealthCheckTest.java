package dev.osgimon.source.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;

import org.apache.felix.hc.api.Result;
import org.junit.jupiter.api.Test;

import dev.osgimon.testing.Statuses;
import dev.osgimon.api.admin.DeliveryMonitor;
import dev.osgimon.api.admin.DeliveryStatus;
import dev.osgimon.testing.LogCapture;

class DeliveryHealthCheckTest {

    /** A delivery state the test sets, as the core's would change. */
    private static final class State implements DeliveryMonitor {
        volatile DeliveryStatus now = status(true, 0, 0, 0, 0, "");

        @Override
        public DeliveryStatus deliveryStatus() {
            return now;
        }
    }

    static DeliveryStatus status(boolean connected, long buffered, long dropped, long rejected, double age, String error) {
        return new Statuses.Delivery("tcp://127.0.0.1:8094", "disk", connected, buffered, buffered * 80, 1000, dropped,
                rejected, 0, 0, 0, 0, error, age);
    }

    static DeliveryCheckConfig config(long warn, long critical) {
        return new DeliveryCheckConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return DeliveryCheckConfig.class;
            }

            @Override
            public long warnAfterSeconds() {
                return warn;
            }

            @Override
            public long criticalAfterSeconds() {
                return critical;
            }
        };
    }

    @Test
    void okWhileDeliveringThenWarnAndCriticalAsTheOldestWaitingLineAges() {
        State state = new State();
        DeliveryHealthCheck check = new DeliveryHealthCheck(state, config(30, 300));
        Result ok = check.execute();
        assertThat(ok.getStatus()).isEqualTo(Result.Status.OK);
        assertThat(ok.toString()).contains("tcp://127.0.0.1:8094 connected", "0 lines waiting (disk)");

        state.now = status(false, 120, 0, 0, 29.9, "127.0.0.1:8094: Connection refused");
        assertThat(check.execute().getStatus()).as("not yet behind").isEqualTo(Result.Status.OK);
        state.now = status(false, 130, 0, 0, 30, "127.0.0.1:8094: Connection refused");
        Result warn = check.execute();
        assertThat(warn.getStatus()).isEqualTo(Result.Status.WARN);
        assertThat(warn.toString()).contains("behind", "30.0 s old", "not connected", "Connection refused");
        state.now = status(false, 1300, 0, 0, 300, "refused");
        Result critical = check.execute();
        assertThat(critical.getStatus()).isEqualTo(Result.Status.CRITICAL);
        assertThat(critical.toString()).contains("far behind");

        state.now = status(true, 0, 0, 0, 0, "");
        assertThat(check.execute().getStatus()).as("caught up").isEqualTo(Result.Status.OK);
    }

    @Test
    void droppedLinesAreCriticalAndRefusedLinesAWarningUntilTheNextRun() {
        State state = new State();
        state.now = status(true, 0, 7, 2, 0, ""); // counts from before the check existed are not news
        DeliveryHealthCheck check = new DeliveryHealthCheck(state, config(30, 300));
        assertThat(check.execute().getStatus()).isEqualTo(Result.Status.OK);

        state.now = status(true, 0, 57, 2, 0, "");
        Result dropped = check.execute();
        assertThat(dropped.getStatus()).isEqualTo(Result.Status.CRITICAL);
        assertThat(dropped.toString()).contains("50 lines dropped since the last check");
        assertThat(check.execute().getStatus()).as("no new drops").isEqualTo(Result.Status.OK);

        state.now = status(true, 0, 57, 5, 0, "");
        Result refused = check.execute();
        assertThat(refused.getStatus()).isEqualTo(Result.Status.WARN);
        assertThat(refused.toString()).contains("3 lines refused by the target");

        state.now = status(true, 0, 58, 6, 40, "");
        assertThat(check.execute().getStatus()).as("the worst reason wins").isEqualTo(Result.Status.CRITICAL);
    }

    @Test
    void aFailingMonitorIsAHealthCheckErrorNotAnException() {
        boolean[] failing = {false};
        State state = new State();
        DeliveryHealthCheck check = new DeliveryHealthCheck(() -> {
            if (failing[0]) {
                throw new IllegalStateException("core is stopping");
            }
            return state.deliveryStatus();
        }, config(30, 300));
        failing[0] = true;
        Result r = check.execute();
        assertThat(r.getStatus()).isEqualTo(Result.Status.HEALTH_CHECK_ERROR);
        assertThat(r.toString()).contains("core is stopping");
    }

    @Test
    void badThresholdsAreLoggedAndTheDefaultsOrTheOldOnesKept() {
        State state = new State();
        try (LogCapture log = new LogCapture()) {
            DeliveryHealthCheck zero = new DeliveryHealthCheck(state, config(0, 300));
            assertThat(zero.thresholds()).isEqualTo(DeliveryHealthCheck.DEFAULTS);
            assertThat(log.text()).contains("warnAfterSeconds must be at least 1, was 0", "keeps the defaults");
            DeliveryHealthCheck reversed = new DeliveryHealthCheck(state, config(60, 30));
            assertThat(reversed.thresholds()).isEqualTo(DeliveryHealthCheck.DEFAULTS);
            assertThat(log.text()).contains("criticalAfterSeconds (30) must be at least warnAfterSeconds (60)");

            DeliveryHealthCheck check = new DeliveryHealthCheck(state, config(30, 300));
            check.modified(config(10, 5));
            assertThat(log.text()).contains("keeps the thresholds it had (warn at 30 s, critical at 300 s)");
            state.now = status(false, 10, 0, 0, 20, "");
            assertThat(check.execute().getStatus()).as("still warn at 30 s").isEqualTo(Result.Status.OK);
            check.modified(config(10, 100));
            assertThat(check.execute().getStatus()).isEqualTo(Result.Status.WARN);
        }
    }
}
