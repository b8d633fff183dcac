package dev.osgimon.core.internal.ready;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

import dev.osgimon.api.MetricSource;
import dev.osgimon.api.admin.LogLevelAdmin;
import dev.osgimon.api.admin.MetricCatalog;
import dev.osgimon.api.admin.SourceControl;
import dev.osgimon.api.admin.SourceStatus;

/**
 * What the agent still waits for before it can answer truly. Nothing is listed by hand: what is expected
 * is read from the running framework.
 * <ul>
 * <li>The framework has started (the system bundle is ACTIVE: {@code FrameworkEvent.STARTED} has passed,
 * so every bundle of the start levels has been started). Under Karaf, the boot features are installed too
 * (Karaf's {@code BootFinished} marker service), since Karaf installs them after the framework started.</li>
 * <li>Every active bundle (or one the framework is starting as a start level is raised) that declares, in
 * its manifest, that it provides a {@link MetricSource}, a {@link LogLevelAdmin} or a {@link MetricCatalog}
 * service ({@code Provide-Capability: osgi.service;objectClass=…}, which bnd writes for every DS component)
 * has them registered: each enabled DS component of it that offers the service is
 * satisfied. A component that waits for configuration, failed to activate, or waits for a service that
 * nothing in the framework can provide (the health source without Felix Health Checks) is not waited
 * for.</li>
 * <li>No bundle has been installed, resolved, started or stopped for {@link #SETTLE}: Karaf's
 * {@code feature:install} installs and resolves a feature's bundles first and starts them one by one, so a
 * source bundle can be resolved but not started yet when the core already runs.</li>
 * <li>Every registered metric source is known to the collector (bound into {@link SourceControl}).</li>
 * </ul>
 */
final class ReadinessCheck {

    /** The services a front end needs before it can answer every command as it will later. */
    static final List<String> EXPECTED = List.of(MetricSource.class.getName(), LogLevelAdmin.class.getName(),
            MetricCatalog.class.getName());

    /** Karaf's marker service, registered once the boot features are installed. */
    static final String KARAF_BOOT_FINISHED = "org.apache.karaf.features.BootFinished";
    static final String KARAF_FEATURES = "org.apache.karaf.features.core";

    private static final String SERVICE_NAMESPACE = "osgi.service";

    /** How long no bundle may have changed before the set of bundles counts as settled. */
    static final Duration SETTLE = Duration.ofMillis(500);

    private final BundleContext context;
    private final ServiceComponentRuntime scr;
    private final SourceControl sources;
    private final LongSupplier lastBundleEventNanos;

    /**
     * @param context the core's bundle context
     * @param scr the DS runtime, to read the state of the components that provide expected services
     * @param sources the collector, to see that every registered source is bound
     * @param lastBundleEventNanos when ({@link System#nanoTime()}) a bundle was last installed, resolved,
     *        started or stopped: a batch of bundles being installed and started (Karaf's
     *        {@code feature:install}, a start level) counts as settled {@link #SETTLE} after its last event
     */
    ReadinessCheck(BundleContext context, ServiceComponentRuntime scr, SourceControl sources,
            LongSupplier lastBundleEventNanos) {
        this.context = context;
        this.scr = scr;
        this.sources = sources;
        this.lastBundleEventNanos = lastBundleEventNanos;
    }

    /** @return what is missing now, readable for a log line; empty when the agent can answer truly */
    List<String> missing() {
        List<String> missing = new ArrayList<>();
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        if (system == null || system.getState() != Bundle.ACTIVE) {
            missing.add("framework start");
            return missing;
        }
        if (karafBooting()) {
            missing.add("Karaf boot features");
            return missing;
        }
        if (System.nanoTime() - lastBundleEventNanos.getAsLong() < SETTLE.toNanos()) {
            // a bundle of the same batch (a Karaf feature, a deploy/ folder) may be installed but not started yet
            missing.add("bundles settling");
            return missing;
        }
        for (Bundle bundle : context.getBundles()) {
            if (running(bundle)) {
                for (String service : declared(bundle)) {
                    expect(bundle, service, missing);
                }
            } else if (startPending(bundle) && !declared(bundle).isEmpty()) {
                // a start level being raised starts it in a moment
                missing.add(bundle.getSymbolicName() + " not started yet");
            }
        }
        unboundSources(missing);
        return missing;
    }

    private boolean karafBooting() {
        for (Bundle b : context.getBundles()) {
            if (KARAF_FEATURES.equals(b.getSymbolicName()) && b.getState() == Bundle.ACTIVE) {
                return !registered(KARAF_BOOT_FINISHED);
            }
        }
        return false;
    }

    /** Every enabled DS component of {@code bundle} that offers {@code service} is satisfied, or cannot be. */
    private void expect(Bundle bundle, String service, List<String> missing) {
        List<ComponentDescriptionDTO> offering = new ArrayList<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(bundle)) {
            if (List.of(d.serviceInterfaces).contains(service)) {
                offering.add(d);
            }
        }
        String what = simpleName(service) + " of " + bundle.getSymbolicName();
        if (offering.isEmpty()) {
            // not DS (or not read by SCR yet): the bundle registers the service itself
            if (!registeredBy(bundle, service)) {
                missing.add(what);
            }
            return;
        }
        for (ComponentDescriptionDTO d : offering) {
            String waits = waitsFor(d, new HashSet<>());
            if (waits != null) {
                missing.add(what + " (" + d.name + waits + ")");
            }
        }
    }

    /**
     * @return {@code null} when the component is satisfied or cannot become so by waiting; otherwise what it
     *         still waits for, for the log
     */
    private String waitsFor(ComponentDescriptionDTO d, Set<String> visiting) {
        if (!scr.isComponentEnabled(d)) {
            return null;
        }
        var configurations = scr.getComponentConfigurationDTOs(d);
        if (configurations.isEmpty()) {
            // a required configuration that is not there is a choice of the user, not something to wait for
            return "require".equals(d.configurationPolicy) ? null : " not built yet";
        }
        for (ComponentConfigurationDTO c : configurations) {
            if (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
                for (UnsatisfiedReferenceDTO u : c.unsatisfiedReferences) {
                    String iface = interfaceOf(d, u.name);
                    if (iface != null && coming(iface, visiting)) {
                        return " waits for " + simpleName(iface);
                    }
                }
            }
            // SATISFIED and ACTIVE: registered; UNSATISFIED_CONFIGURATION, FAILED_ACTIVATION (SCR logs it): not waited for
        }
        return null;
    }

    /** Whether a service of {@code iface} is there or will come without anyone doing anything. */
    private boolean coming(String iface, Set<String> visiting) {
        if (!visiting.add(iface)) {
            return false;
        }
        if (registered(iface)) {
            return true;
        }
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (!List.of(d.serviceInterfaces).contains(iface) || !scr.isComponentEnabled(d)) {
                continue;
            }
            var configurations = scr.getComponentConfigurationDTOs(d);
            if (configurations.isEmpty() && !"require".equals(d.configurationPolicy)) {
                return true;
            }
            for (ComponentConfigurationDTO c : configurations) {
                if (c.state == ComponentConfigurationDTO.SATISFIED || c.state == ComponentConfigurationDTO.ACTIVE) {
                    return true;
                }
                if (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE && allComing(d, c, visiting)) {
                    return true;
                }
            }
        }
        // a bundle that declares the service and is still starting, or marked to start at a level not reached yet
        for (Bundle b : context.getBundles()) {
            if ((b.getState() == Bundle.STARTING || startPending(b)) && declared(b).contains(iface)) {
                return true;
            }
        }
        return false;
    }

    private boolean allComing(ComponentDescriptionDTO d, ComponentConfigurationDTO c, Set<String> visiting) {
        for (UnsatisfiedReferenceDTO u : c.unsatisfiedReferences) {
            String iface = interfaceOf(d, u.name);
            if (iface == null || !coming(iface, new HashSet<>(visiting))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Marked to start at a start level already reached, and resolved: the framework is starting it (a start
     * level being raised). An unresolved bundle cannot start and is not waited for.
     */
    private boolean startPending(Bundle b) {
        if (b.getState() != Bundle.RESOLVED) {
            return false;
        }
        BundleStartLevel level = b.adapt(BundleStartLevel.class);
        FrameworkStartLevel framework = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION)
                .adapt(FrameworkStartLevel.class);
        return level != null && framework != null && level.isPersistentlyStarted()
                && level.getStartLevel() <= framework.getStartLevel();
    }

    /** A registered source the collector does not list yet (it binds each one as it registers). */
    private void unboundSources(List<String> missing) {
        Set<String> registered = new TreeSet<>();
        for (ServiceReference<?> ref : references(MetricSource.class.getName())) {
            Object name = ref.getProperty(MetricSource.NAME);
            if (name instanceof String && ((String) name).matches(MetricSource.NAME_PATTERN)) {
                registered.add((String) name);
            }
        }
        for (SourceStatus.SourceState s : sources.status().sources()) {
            registered.remove(s.name());
        }
        for (String name : registered) {
            missing.add("source " + name + " not bound by the collector");
        }
    }

    private static boolean running(Bundle bundle) {
        return bundle.getState() == Bundle.ACTIVE || bundle.getState() == Bundle.STARTING;
    }

    /** The expected services the bundle's manifest says it provides. */
    static Set<String> declared(Bundle bundle) {
        Set<String> out = new TreeSet<>();
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        if (revision == null) {
            return out;
        }
        for (BundleCapability cap : revision.getDeclaredCapabilities(SERVICE_NAMESPACE)) {
            Object classes = cap.getAttributes().get(Constants.OBJECTCLASS);
            if (classes instanceof List<?>) {
                for (Object c : (List<?>) classes) {
                    if (EXPECTED.contains(c)) {
                        out.add((String) c);
                    }
                }
            } else if (classes instanceof String && EXPECTED.contains(classes)) {
                out.add((String) classes);
            }
        }
        return out;
    }

    private static String interfaceOf(ComponentDescriptionDTO d, String reference) {
        for (ReferenceDTO r : d.references) {
            if (r.name.equals(reference)) {
                return r.interfaceName;
            }
        }
        return null;
    }

    private boolean registered(String iface) {
        return !references(iface).isEmpty();
    }

    private boolean registeredBy(Bundle bundle, String iface) {
        for (ServiceReference<?> ref : references(iface)) {
            if (ref.getBundle() != null && ref.getBundle().getBundleId() == bundle.getBundleId()) {
                return true;
            }
        }
        return false;
    }

    private List<ServiceReference<?>> references(String iface) {
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(iface, null);
            return refs == null ? List.of() : List.of(refs);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String simpleName(String iface) {
        return iface.substring(iface.lastIndexOf('.') + 1);
    }
}
