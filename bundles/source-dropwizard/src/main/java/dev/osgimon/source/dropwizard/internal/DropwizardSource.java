package dev.osgimon.source.dropwizard.internal;

import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.BundleContext;
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

import com.codahale.metrics.MetricRegistry;

import dev.osgimon.api.MetricSource;
import dev.osgimon.sourcekit.internal.BridgeSource;
import dev.osgimon.sourcekit.internal.Registrar;

/**
 * The Dropwizard Metrics bridge, metric source {@code dropwizard} (tags {@code dropwizard}, {@code app}):
 * every {@link MetricRegistry} service, with its {@code name} service property as the tag
 * {@code registry}, read every cycle by a {@link DropwizardBridge}. The source is registered by a
 * {@link dev.osgimon.sourcekit.internal.Registrar}, registered once; the registrar modifies its service property
 * {@value dev.osgimon.sourcekit.internal.Registrar#GENERATION} when registries or metrics with new names appear or the
 * prefix changes, so that the core takes its declarations again.
 */
@Component(service = {}, configurationPid = DropwizardConfig.PID)
@Designate(ocd = DropwizardConfig.class)
public final class DropwizardSource {

    /** The source's name. */
    static final String NAME = "dropwizard";

    private static final Logger LOG = LoggerFactory.getLogger(DropwizardSource.class);

    private final Map<MetricRegistry, String> registries = new ConcurrentHashMap<>();
    private final DropwizardBridge bridge;
    private final Registrar registrar;

    /**
     * Registers the source.
     *
     * @param context the bundle context
     * @param config the configuration
     */
    @Activate
    public DropwizardSource(BundleContext context, DropwizardConfig config) {
        DropwizardBridge b;
        try {
            b = new DropwizardBridge(registries, config.maxSeries(), config.measurementPrefix());
        } catch (IllegalArgumentException bad) {
            LOG.error("Bad configuration of {} ({}); using the defaults", DropwizardConfig.PID, bad.getMessage());
            b = new DropwizardBridge(registries, 10_000, "");
        }
        bridge = b;
        Hashtable<String, Object> source = new Hashtable<>();
        source.put(MetricSource.NAME, NAME);
        source.put(MetricSource.TAGS, new String[] {"dropwizard", "app"});
        registrar = new Registrar(context, source, new BridgeSource<>(bridge, this::redeclare), "osgimon-dropwizard-declare");
    }

    /**
     * A registry service came.
     *
     * @param registry the registry
     * @param props its service properties ({@code name}: the tag {@code registry})
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addRegistry(MetricRegistry registry, Map<String, Object> props) {
        Object name = props.get("name");
        registries.put(registry, name == null ? "" : name.toString());
        Registrar r = registrar;
        if (r != null) {
            r.redeclare();
        }
    }

    /**
     * A registry service went.
     *
     * @param registry the registry
     */
    void removeRegistry(MetricRegistry registry) {
        registries.remove(registry);
    }

    /**
     * Takes a new configuration; a bad one is logged and changes nothing.
     *
     * @param config the new configuration
     */
    @Modified
    void modified(DropwizardConfig config) {
        try {
            bridge.configure(config.maxSeries(), config.measurementPrefix());
            registrar.redeclare();
        } catch (IllegalArgumentException bad) {
            LOG.error("Bad configuration of {} ignored: {}", DropwizardConfig.PID, bad.getMessage());
        }
    }

    /** Withdraws the source. */
    @Deactivate
    void deactivate() {
        registrar.close();
    }

    /** Asks the registrar for another declare call (the bridge met a metric its source has not declared). */
    private void redeclare() {
        registrar.redeclare();
    }
}
