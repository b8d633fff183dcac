package dev.osgimon.prometheus.internal;

import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.model.Cycle;
import dev.osgimon.api.model.CycleObserver;
import dev.osgimon.httpaccess.internal.ClientFilter;
import dev.osgimon.httpaccess.internal.RequiredAuthorization;

/**
 * The Prometheus scrape endpoint: observes every cycle (only copying it, on the collector thread:
 * {@link LatestCycle}) and serves the last cycle at {@code path} on the Http Whiteboard. A scrape
 * never collects a source; the first scrape of a cycle builds its {@link Snapshot}, which renders
 * each format at most once.
 *
 * <p>The observer and the servlet are registered by hand, not as this component's service: DS
 * would copy the configuration, {@code authorization} included, into the service properties that
 * every bundle can read. A configuration change restarts the component.
 */
@Component(service = {}, immediate = true, configurationPid = PrometheusConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = PrometheusConfig.class)
public final class PrometheusComponent implements CycleObserver {

    private static final Logger LOG = LoggerFactory.getLogger(PrometheusComponent.class);

    private final LatestCycle latest = new LatestCycle();
    private final ServiceRegistration<CycleObserver> observer;
    private final ServiceRegistration<?> servlet;

    /**
     * Starts the endpoint.
     *
     * @param context the bundle context
     * @param config the configuration
     * @throws IllegalArgumentException when {@code authorization} is set but not usable: the endpoint
     *             is then not served at all rather than served without the protection asked for
     */
    @Activate
    public PrometheusComponent(BundleContext context, PrometheusConfig config) {
        RequiredAuthorization authorization;
        try {
            authorization = RequiredAuthorization.parse(config.authorization());
        } catch (IllegalArgumentException e) {
            LOG.error("Invalid configuration {} {}; the scrape endpoint is not served", PrometheusConfig.PID, e.getMessage());
            throw e;
        }
        String path = path(config.path());
        ClientFilter clients;
        try {
            clients = ClientFilter.parse(config.allow());
        } catch (IllegalArgumentException e) {
            LOG.error("Invalid configuration {} {}; answering loopback clients only", PrometheusConfig.PID, e.getMessage());
            clients = ClientFilter.loopbackOnly();
        }
        this.observer = context.registerService(CycleObserver.class, this, null);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, path);
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, "osgimon-prometheus");
        this.servlet = context.registerService("javax.servlet.Servlet",
                new MetricsServlet(latest::snapshot, clients, authorization), props);
        LOG.info("Prometheus scrape endpoint at {} for {}, authorization {}", path, clients, authorization);
    }

    /** The path if it is a plain absolute path, else the default (logged). */
    static String path(String configured) {
        String path = configured == null ? "" : configured.trim();
        if (!path.matches("/[A-Za-z0-9._~/-]*") || (path.endsWith("/") && path.length() > 1) || path.contains("//")
                || path.equals("/")) {
            LOG.error("Invalid configuration {} path='{}': must look like /metrics; using /metrics", PrometheusConfig.PID,
                    configured);
            return "/metrics";
        }
        return path;
    }

    @Override
    public void cycleCollected(Cycle cycle) {
        latest.cycleCollected(cycle);
    }

    /** @return the snapshot a scrape gets now */
    Snapshot latest() {
        return latest.snapshot();
    }

    /** Stops serving and observing. */
    @Deactivate
    void deactivate() {
        unregister(servlet);
        unregister(observer);
    }

    private static void unregister(ServiceRegistration<?> r) {
        try {
            r.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework is stopping
        }
    }
}
