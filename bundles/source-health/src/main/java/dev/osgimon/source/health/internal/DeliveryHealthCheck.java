package dev.osgimon.source.health.internal;

import java.util.Locale;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.admin.DeliveryMonitor;
import dev.osgimon.api.admin.DeliveryStatus;

/**
 * The Felix health check {@value #NAME} (tag {@code osgimon}), built on the core's
 * {@link DeliveryMonitor}: is osgimon delivering what it collects?
 * <ul>
 * <li>CRITICAL when lines were dropped since the check last ran (the buffer reached its cap: points
 * are being lost), or when the oldest waiting line has waited {@code criticalAfterSeconds};</li>
 * <li>WARN when the oldest waiting line has waited {@code warnAfterSeconds}, or when the target
 * refused lines for good since the check last ran;</li>
 * <li>OK otherwise.</li>
 * </ul>
 * The message always carries the target, whether it is connected, what waits and the last error.
 * Through the {@code health} source the check's status becomes the time series
 * {@code health_check,name=osgimon\ delivery}. Example code as much as a shipped check: a check of
 * one's own takes the same three steps (a {@link HealthCheck} component with {@code hc.name}, a
 * service to ask, a status from its answer).
 *
 * <p>The component is immediate: the Felix executor gets and ungets a check's service on every run,
 * so a delayed component would be activated and deactivated every cycle — losing the counters of the
 * last run, and announcing a component state change to SCR's {@code service.changecount} each time,
 * which makes the {@code osgi} source read every component's DTOs again.
 */
@Component(service = HealthCheck.class, configurationPid = DeliveryCheckConfig.PID, immediate = true,
        property = {HealthCheck.NAME + "=" + DeliveryHealthCheck.NAME, HealthCheck.TAGS + "=osgimon"})
@Designate(ocd = DeliveryCheckConfig.class)
public final class DeliveryHealthCheck implements HealthCheck {

    /** The check's {@code hc.name}. */
    static final String NAME = "osgimon delivery";

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryHealthCheck.class);
    /** The thresholds of the configuration's defaults. */
    static final Thresholds DEFAULTS = new Thresholds(60, 600);

    private final DeliveryMonitor monitor;
    private volatile Thresholds thresholds;

    /** Seconds after which the oldest waiting line makes the check WARN and CRITICAL. */
    record Thresholds(long warn, long critical) {
    }
    /** The counters at the last run; the first run compares with those at activation. */
    private long droppedSeen;
    private long rejectedSeen;

    /**
     * Activates the check. Bad thresholds are logged as an error and the defaults used instead: a
     * check that is missing would be worse than one with the default thresholds.
     *
     * @param monitor the core's delivery state
     * @param config the thresholds
     */
    @Activate
    public DeliveryHealthCheck(@Reference DeliveryMonitor monitor, DeliveryCheckConfig config) {
        this.monitor = monitor;
        this.thresholds = checked(config, DEFAULTS, "the defaults");
        try {
            DeliveryStatus s = monitor.deliveryStatus();
            droppedSeen = s.linesDropped();
            rejectedSeen = s.linesRejected();
        } catch (RuntimeException e) {
            // the first run compares with zero then
        }
    }

    /**
     * Takes new thresholds; bad ones are logged as an error and the check keeps those it had.
     *
     * @param config the new configuration
     */
    @Modified
    void modified(DeliveryCheckConfig config) {
        thresholds = checked(config, thresholds, "the thresholds it had");
    }

    /** @return the thresholds in force */
    Thresholds thresholds() {
        return thresholds;
    }

    private static Thresholds checked(DeliveryCheckConfig c, Thresholds otherwise, String what) {
        String problem = null;
        if (c.warnAfterSeconds() < 1) {
            problem = "warnAfterSeconds must be at least 1, was " + c.warnAfterSeconds();
        } else if (c.criticalAfterSeconds() < c.warnAfterSeconds()) {
            problem = "criticalAfterSeconds (" + c.criticalAfterSeconds() + ") must be at least warnAfterSeconds ("
                    + c.warnAfterSeconds() + ")";
        }
        if (problem != null) {
            LOG.error("{}: {}; the check \"{}\" keeps {} (warn at {} s, critical at {} s)", DeliveryCheckConfig.PID,
                    problem, NAME, what, otherwise.warn(), otherwise.critical());
            return otherwise;
        }
        return new Thresholds(c.warnAfterSeconds(), c.criticalAfterSeconds());
    }

    @Override
    public synchronized Result execute() {
        DeliveryStatus s;
        try {
            s = monitor.deliveryStatus();
        } catch (RuntimeException e) {
            return new Result(Result.Status.HEALTH_CHECK_ERROR, "cannot read the delivery state: " + e);
        }
        Thresholds c = thresholds;
        long dropped = s.linesDropped() - droppedSeen;
        long rejected = s.linesRejected() - rejectedSeen;
        droppedSeen = s.linesDropped();
        rejectedSeen = s.linesRejected();
        double age = s.oldestBufferedAgeSeconds();

        Result.Status status = Result.Status.OK;
        StringBuilder why = new StringBuilder();
        if (dropped > 0) {
            status = Result.Status.CRITICAL;
            why.append(dropped).append(" lines dropped since the last check (the buffer is full); ");
        }
        if (age >= c.critical()) {
            status = Result.Status.CRITICAL;
            why.append("far behind: ");
        } else if (age >= c.warn()) {
            status = worse(status, Result.Status.WARN);
            why.append("behind: ");
        }
        if (rejected > 0) {
            status = worse(status, Result.Status.WARN);
            why.append(rejected).append(" lines refused by the target since the last check; ");
        }
        why.append(String.format(Locale.ROOT, "oldest waiting line %.1f s old (warn at %d s, critical at %d s); ",
                age, c.warn(), c.critical()));
        why.append("target ").append(s.target().isEmpty() ? "(none)" : s.target())
                .append(s.connected() ? " connected" : " not connected")
                .append(", ").append(s.linesBuffered()).append(" lines waiting (").append(s.buffer()).append(')');
        if (!s.lastError().isEmpty()) {
            why.append(", last error: ").append(s.lastError());
        }
        return new Result(status, why.toString());
    }

    private static Result.Status worse(Result.Status a, Result.Status b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }
}
