package dev.osgimon.otlp.internal;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
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
 * Registers the {@link TransportFactory} for {@code otlp+http} and {@code otlp+https} targets,
 * configured by PID {@value OtlpConfig#PID}.
 *
 * <p>Registered by hand, not as the component's service: DS would copy the configuration (the
 * headers, which hold credentials) onto the service's properties. A new configuration deactivates
 * this component (no {@code @Modified}): the factory is unregistered, the core closes the writer it
 * made, and a factory with the new settings is registered. A bad configuration is logged as an error
 * naming the property (never a header value) and registers no factory.
 */
@Component(service = {}, configurationPid = OtlpConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = OtlpConfig.class)
public final class OtlpTransportComponent {

    private static final Logger LOG = LoggerFactory.getLogger(OtlpTransportComponent.class);

    private final ServiceRegistration<TransportFactory> registration;

    /**
     * @param context this bundle's context
     * @param config the configuration
     */
    @Activate
    public OtlpTransportComponent(BundleContext context, OtlpConfig config) {
        Settings settings;
        try {
            String instanceId = config.service_instance_id() == null || config.service_instance_id().isBlank()
                    ? InstanceId.load(idFile(context, config)) : config.service_instance_id().trim();
            settings = Settings.of(config, System.getenv(OtlpConfig.HEADERS_ENV), instanceId,
                    context.getBundle().getVersion().toString(),
                    ManagementFactory.getRuntimeMXBean().getStartTime() * 1_000_000L);
        } catch (IllegalArgumentException e) {
            LOG.error("The OTLP transport is not available: configuration {}: {}", OtlpConfig.PID, e.getMessage());
            registration = null;
            return;
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(TransportFactory.SCHEMES, new String[] {"otlp+http", "otlp+https"});
        props.put(Constants.SERVICE_DESCRIPTION, "OpenTelemetry OTLP/HTTP metrics transport");
        registration = context.registerService(TransportFactory.class, new OtlpTransportFactory(settings), props);
        LOG.debug("Registered the otlp+http/otlp+https transport factory ({})", settings);
    }

    private static Path idFile(BundleContext context, OtlpConfig config) {
        if (config.instanceIdFile() != null && !config.instanceIdFile().isBlank()) {
            return Path.of(config.instanceIdFile().trim());
        }
        File data = context.getDataFile("service-instance-id");
        return data != null ? data.toPath() : Path.of("osgimon-otlp-instance-id");
    }

    /** Unregisters the factory; the core closes the writer it made from it. */
    @Deactivate
    void deactivate() {
        if (registration == null) {
            return;
        }
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // already gone with the bundle
        }
        LOG.debug("Unregistered the otlp+http/otlp+https transport factory");
    }
}
