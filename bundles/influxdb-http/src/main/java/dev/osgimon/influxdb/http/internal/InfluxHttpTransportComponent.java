package dev.osgimon.influxdb.http.internal;

import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.transport.TransportFactory;

/**
 * Registers the {@link TransportFactory} for {@code http} and {@code https} targets, configured by
 * PID {@value InfluxHttpConfig#PID}.
 *
 * <p>The factory is registered by hand instead of as the component's service: DS copies every
 * configuration property onto the service registration, and the configuration holds a token and a
 * password, which must not be visible to every bundle that looks at service properties. There is no
 * {@code @Modified}: a new configuration deactivates this component, which unregisters the factory
 * and registers a new one. The writers belong to the core's outbox alone: when the factory is
 * unregistered the core closes the writer it made, on its sender thread, before the unregistration
 * returns; this component closes nothing itself.
 */
@Component(service = {}, configurationPid = InfluxHttpConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = InfluxHttpConfig.class)
public final class InfluxHttpTransportComponent {

    private static final Logger LOG = LoggerFactory.getLogger(InfluxHttpTransportComponent.class);

    private final ServiceRegistration<TransportFactory> registration;

    /**
     * Registers the factory.
     *
     * @param context this bundle's context
     * @param config the configuration
     */
    @Activate
    public InfluxHttpTransportComponent(BundleContext context, InfluxHttpConfig config) {
        TransportFactory factory = new InfluxHttpTransportFactory(config);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(TransportFactory.SCHEMES, new String[] {"http", "https"});
        props.put(Constants.SERVICE_DESCRIPTION, "InfluxDB HTTP transport (influxdb-client-java)");
        this.registration = context.registerService(TransportFactory.class, factory, props);
        LOG.debug("Registered the http/https transport factory");
    }

    /** Unregisters the factory; the core closes the writer it made from it. */
    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // already gone with the bundle
        }
        LOG.debug("Unregistered the http/https transport factory");
    }
}
