package dev.osgimon.source.micrometer.internal;

import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;

import dev.osgimon.api.MetricSource;
import dev.osgimon.sourcekit.internal.BridgeSource;
import dev.osgimon.sourcekit.internal.Registrar;

/**
 * The Micrometer bridge, metric source {@code micrometer} (tags {@code micrometer}, {@code app}).
 *
 * <p>Registers a {@link MeterRegistry} service with the property {@code osgimon=true}. It is a service
 * factory: each bundle that gets it has a registry of its own (an {@link OsgimonMeterRegistry}), closed
 * and forgotten when the bundle ungets it or stops, so the meters of a bundle that goes away (and the
 * gauge functions that hold its classes) go with it. Every cycle the source reads all of them through a
 * {@link MeterBridge}. The source is registered once by a {@link dev.osgimon.sourcekit.internal.Registrar}, which modifies its
 * service property {@value dev.osgimon.sourcekit.internal.Registrar#GENERATION} when meters with new names appear or the
 * prefix changes, so that the core takes its declarations again.
 */
@Component(service = {}, configurationPid = MicrometerConfig.PID)
@Designate(ocd = MicrometerConfig.class)
public final class MicrometerSource {

    /** The source's name. */
    static final String NAME = "micrometer";

    private static final Logger LOG = LoggerFactory.getLogger(MicrometerSource.class);

    private final Map<Bundle, OsgimonMeterRegistry> registries = new ConcurrentHashMap<>();
    private final MeterBridge bridge;
    private final ServiceRegistration<?> registryRegistration;
    private final Registrar registrar;

    /**
     * Registers the registry service and the source.
     *
     * @param context the bundle context
     * @param config the configuration
     */
    @Activate
    public MicrometerSource(BundleContext context, MicrometerConfig config) {
        MeterBridge b;
        try {
            b = new MeterBridge(registries.values(), config.maxSeries(), config.measurementPrefix());
        } catch (IllegalArgumentException bad) {
            LOG.error("Bad configuration of {} ({}); using the defaults", MicrometerConfig.PID, bad.getMessage());
            b = new MeterBridge(registries.values(), 10_000, "");
        }
        bridge = b;
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("osgimon", Boolean.TRUE);
        registryRegistration = context.registerService(MeterRegistry.class.getName(), new Registries(), props);
        Hashtable<String, Object> source = new Hashtable<>();
        source.put(MetricSource.NAME, NAME);
        source.put(MetricSource.TAGS, new String[] {"micrometer", "app"});
        registrar = new Registrar(context, source, new BridgeSource<>(bridge, this::redeclare), "osgimon-micrometer-declare");
    }

    /**
     * Takes a new configuration; a bad one is logged and changes nothing.
     *
     * @param config the new configuration
     */
    @Modified
    void modified(MicrometerConfig config) {
        try {
            bridge.configure(config.maxSeries(), config.measurementPrefix());
            registrar.redeclare();
        } catch (IllegalArgumentException bad) {
            LOG.error("Bad configuration of {} ignored: {}", MicrometerConfig.PID, bad.getMessage());
        }
    }

    /** Withdraws the source and the registry service (which closes every bundle's registry). */
    @Deactivate
    void deactivate() {
        registrar.close();
        try {
            registryRegistration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping
        }
        registries.values().forEach(MeterRegistry::close);
        registries.clear();
    }

    /** @return the registries handed out, by bundle (tests) */
    Map<Bundle, OsgimonMeterRegistry> registries() {
        return registries;
    }

    /** One registry per bundle. */
    private final class Registries implements ServiceFactory<Object> {

        @Override
        public Object getService(Bundle bundle, ServiceRegistration<Object> registration) {
            return registries.computeIfAbsent(bundle, b -> new OsgimonMeterRegistry());
        }

        @Override
        public void ungetService(Bundle bundle, ServiceRegistration<Object> registration, Object service) {
            OsgimonMeterRegistry r = registries.remove(bundle);
            if (r != null) {
                r.close();
            }
        }
    }

    /** Asks the registrar for another declare call (the bridge met a metric its source has not declared). */
    private void redeclare() {
        registrar.redeclare();
    }
}
