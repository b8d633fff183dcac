package dev.osgimon.core.internal.ready;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleListener;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.admin.Ready;
import dev.osgimon.api.admin.SourceControl;

/**
 * Registers the {@link Ready} marker service once the agent can answer truly (see {@link ReadinessCheck}), or
 * when {@code timeoutSeconds} of PID {@value ReadyConfig#PID} ran out (then what is missing is logged at WARN
 * and told by {@link Ready#missing()}). The front ends that open a port hold a mandatory reference to it.
 * The waiting runs on a thread of its own, never on an SCR thread; a new configuration restarts the wait.
 *
 * <p>The marker is registered by hand (it must wait), so the capability that resolvers (Karaf's features)
 * look for is declared here.
 */
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=dev.osgimon.api.admin.Ready",
        uses = Ready.class)
@Component(service = {}, immediate = true, configurationPid = ReadyConfig.PID)
@Designate(ocd = ReadyConfig.class)
public final class ReadyComponent {

    private static final Logger LOG = LoggerFactory.getLogger(ReadyComponent.class);

    private final BundleContext context;
    private final Object lock = new Object();
    private final ReadyGate gate;
    private final long startNanos = System.nanoTime();
    private final AtomicLong lastBundleEvent = new AtomicLong(System.nanoTime());
    private final BundleListener bundleEvents = event -> lastBundleEvent.set(System.nanoTime());
    private ServiceRegistration<Ready> registration;
    private boolean closed;

    /**
     * Starts waiting.
     *
     * @param context the core's bundle context, to register the marker
     * @param config the configuration
     * @param scr the DS runtime, to see which expected components can still come
     * @param sources the collector, to see every registered source bound
     */
    @Activate
    public ReadyComponent(BundleContext context, ReadyConfig config, @Reference ServiceComponentRuntime scr,
            @Reference SourceControl sources) {
        this.context = context;
        context.addBundleListener(bundleEvents);
        ReadinessCheck check = new ReadinessCheck(context, scr, sources, lastBundleEvent::get);
        Duration timeout = Duration.ofSeconds(Math.max(0, config.timeoutSeconds()));
        this.gate = new ReadyGate(check::missing, timeout, this::open);
    }

    private void open(List<String> missing) {
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        synchronized (lock) {
            if (closed) {
                return;
            }
            registration = context.registerService(Ready.class, new ReadySnapshot(missing), null);
        }
        if (missing.isEmpty()) {
            LOG.info("osgimon ready after {} ms: every expected source and the log level admin are bound", millis);
        } else {
            LOG.warn("osgimon ready after {} ms without: {} (the wait of PID {} timeoutSeconds ran out; answers about"
                    + " these are incomplete until they come)", millis, String.join("; ", missing), ReadyConfig.PID);
        }
    }

    /** Stops waiting and withdraws the marker, which stops the front ends' ports. */
    @Deactivate
    void deactivate() {
        gate.close();
        try {
            context.removeBundleListener(bundleEvents);
        } catch (IllegalStateException stopping) {
            // the bundle context is no longer valid: the framework dropped the listener already
        }
        ServiceRegistration<Ready> r;
        synchronized (lock) {
            closed = true;
            r = registration;
            registration = null;
        }
        if (r != null) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping
            }
        }
    }
}
