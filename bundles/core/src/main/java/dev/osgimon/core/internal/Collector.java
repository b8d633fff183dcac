package dev.osgimon.core.internal;

import java.nio.channels.FileChannel;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.CycleListener;
import dev.osgimon.api.MetricSource;
import dev.osgimon.api.admin.CollectionPreview;
import dev.osgimon.api.admin.DeliveryMonitor;
import dev.osgimon.api.admin.DeliveryStatus;
import dev.osgimon.api.admin.MetricCatalog;
import dev.osgimon.api.admin.SourceControl;
import dev.osgimon.api.admin.SourceRule;
import dev.osgimon.api.admin.SourceStatus;
import dev.osgimon.api.model.CycleObserver;
import dev.osgimon.api.transport.TransportFactory;
import dev.osgimon.core.internal.catalog.Catalog;
import dev.osgimon.core.internal.delivery.Delivery;

/**
 * The core component: wires the {@link SourceRegistry} (which sources are collected), the
 * {@link CycleRunner} (when and how they are collected) and the {@link Delivery} (where the lines
 * go, through one ordered outbox), and registers the {@code monitoring} {@link SelfSource} and the
 * {@link MetricCatalog} of what the sources declared.
 *
 * <p>Configuration changes return at once: delivery changes are applied by the outbox thread
 * between two writes.
 */
@Component(service = {SourceControl.class, CollectionPreview.class, DeliveryMonitor.class}, immediate = true,
        configurationPid = CoreConfig.PID)
@Designate(ocd = CoreConfig.class)
public final class Collector implements SourceControl, CollectionPreview, DeliveryMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(Collector.class);
    static final long MIN_BACKOFF_MILLIS = 100;
    static final long MAX_BACKOFF_MILLIS = 10_000;

    private final SourceRegistry registry = new SourceRegistry();
    private final java.util.Map<ComponentServiceObjects<CycleListener>, LazyService<CycleListener>> cycleListeners =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<ComponentServiceObjects<CycleObserver>, LazyService<CycleObserver>> cycleObservers =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final Catalog catalog = new Catalog(name -> registry.status().sources().stream()
            .anyMatch(s -> s.name().equals(name)));
    private final ServiceRegistration<MetricCatalog> catalogRegistration;
    private final Delivery delivery;
    private final CycleRunner cycles;
    private final ServiceRegistration<MetricSource> selfRegistration;
    private volatile CycleSettings settings;

    /**
     * Starts collecting.
     *
     * @param context the bundle context, to register the {@code monitoring} self source
     * @param config the configuration
     */
    @Activate
    public Collector(BundleContext context, CoreConfig config) {
        this.settings = CycleSettings.of(config, null);
        this.delivery = new Delivery(FileChannel::open, MIN_BACKOFF_MILLIS, MAX_BACKOFF_MILLIS);
        configureDelivery(config);
        this.cycles = new CycleRunner(registry, () -> settings, delivery.outbox(), delivery::encoding);
        cycles.schedule(settings.intervalSeconds());
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(MetricSource.NAME, "monitoring");
        props.put(MetricSource.TAGS, new String[] {"internal"});
        this.selfRegistration = context.registerService(MetricSource.class,
                new SelfSource(delivery, cycles, registry), props);
        this.catalogRegistration = context.registerService(MetricCatalog.class, catalog, null);
        LOG.info("osgimon collecting every {} s into {}", settings.intervalSeconds(), delivery.outbox().target());
    }

    /**
     * Applies a new configuration without losing or reordering buffered lines; returns at once.
     *
     * @param next the configuration
     */
    @Modified
    void modified(CoreConfig next) {
        CycleSettings old = settings;
        CycleSettings fresh = CycleSettings.of(next, old);
        this.settings = fresh;
        configureDelivery(next);
        if (fresh.intervalSeconds() != old.intervalSeconds()) {
            cycles.schedule(fresh.intervalSeconds());
        }
        LOG.info("osgimon configuration changed: every {} s into {}", fresh.intervalSeconds(),
                delivery.outbox().target());
    }

    private void configureDelivery(CoreConfig c) {
        try {
            delivery.configure(Delivery.parse(c));
        } catch (IllegalArgumentException e) {
            if (!delivery.configured()) {
                LOG.error("Invalid configuration {}: {}; lines are kept in memory until it is fixed", CoreConfig.PID,
                        e.getMessage());
                delivery.configure(Delivery.defaults(c.target()));
            } else {
                LOG.error("Invalid configuration {}: {}; nothing changed", CoreConfig.PID, e.getMessage());
            }
        }
    }

    /** Stops every thread, the outbox and the self source. */
    @Deactivate
    void deactivate() {
        try {
            selfRegistration.unregister();
            catalogRegistration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework is stopping
        }
        cycles.stop();
        delivery.close();
    }

    /** @return whether every thread the collector started has ended (for tests) */
    boolean isStopped() {
        return cycles.isStopped() && delivery.outbox().isStopped();
    }

    // ---- sources ------------------------------------------------------------------------------

    /** Binds a source: takes its declarations, then lists it. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedSource")
    void addSource(MetricSource source, Map<String, Object> props) {
        long id = (Long) props.get(Constants.SERVICE_ID);
        registry.add(id, source, props.get(MetricSource.NAME), props.get(MetricSource.TAGS),
                name -> catalog.declare(id, name, source));
    }

    /**
     * A bound source's service properties were modified: takes its declarations again, on the thread
     * that modified them, keeping its entry; the catalog shows them when this returns. A new name or
     * new tags list it anew, as an unregistration and a registration would.
     */
    void updatedSource(MetricSource source, Map<String, Object> props) {
        long id = (Long) props.get(Constants.SERVICE_ID);
        registry.update(id, source, props.get(MetricSource.NAME), props.get(MetricSource.TAGS),
                name -> catalog.declare(id, name, source), () -> catalog.remove(id));
    }

    void removeSource(MetricSource source, Map<String, Object> props) {
        long id = (Long) props.get(Constants.SERVICE_ID);
        registry.remove(id);
        catalog.remove(id);
    }

    @Override
    public void apply(List<SourceRule> changes) {
        registry.apply(changes);
    }

    @Override
    public SourceStatus status() {
        return registry.status();
    }

    @Override
    public boolean isEnabled(String source) {
        return registry.isEnabled(source);
    }

    @Override
    public String preview() {
        return cycles.preview();
    }

    @Override
    public DeliveryStatus deliveryStatus() {
        return delivery.status();
    }

    // ---- transports ---------------------------------------------------------------------------

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addTransportFactory(TransportFactory factory, Map<String, Object> props) {
        delivery.addFactory(factory, props.get(TransportFactory.SCHEMES));
    }

    void removeTransportFactory(TransportFactory factory, Map<String, Object> props) {
        delivery.removeFactory(factory);
    }

    /** Bound as service objects: got lazily on the collector thread, see {@link LazyService}. */
    @Reference(service = CycleObserver.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addCycleObserver(ComponentServiceObjects<CycleObserver> observer) {
        LazyService<CycleObserver> lazy = new LazyService<>(observer);
        if (cycleObservers.putIfAbsent(observer, lazy) == null) {
            cycles.addObserver(lazy);
        }
    }

    void removeCycleObserver(ComponentServiceObjects<CycleObserver> observer) {
        LazyService<CycleObserver> lazy = cycleObservers.remove(observer);
        if (lazy != null) {
            cycles.removeObserver(lazy);
            lazy.release();
        }
    }

    /** The deprecated text form; bound as service objects like the observers. */
    @Reference(service = CycleListener.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addCycleListener(ComponentServiceObjects<CycleListener> listener) {
        LazyService<CycleListener> lazy = new LazyService<>(listener);
        if (cycleListeners.putIfAbsent(listener, lazy) == null) {
            cycles.addListener(lazy);
        }
    }

    void removeCycleListener(ComponentServiceObjects<CycleListener> listener) {
        LazyService<CycleListener> lazy = cycleListeners.remove(listener);
        if (lazy != null) {
            cycles.removeListener(lazy);
            lazy.release();
        }
    }
}
