package dev.osgimon.source.osgi.internal;

import java.util.Collection;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.osgi.service.metatype.annotations.Designate;

import dev.osgimon.api.Declarations;
import dev.osgimon.api.MetricSource;
import dev.osgimon.api.MetricSourceProperties;
import dev.osgimon.api.PointWriter;

/**
 * Metric source {@code osgi} (tag {@code osgi}): the framework as an operator sees it — bundles by
 * state, registered services, Declarative Services components by state, one point per component
 * that is neither satisfied nor active, and cumulative framework events. The point layout is
 * documented in {@code docs/sources.md}.
 *
 * <p>Bundles are counted from {@link BundleContext#getBundles()} every cycle; services and events
 * are counted by listeners as they happen, so a cycle does not list every service. Components come
 * from the {@link ServiceComponentRuntime} DTOs, which SCR builds afresh on every call: that is the
 * bulk of a cycle's cost and allocation (see the {@code OsgiSourceBenchmark}). A collection may run
 * on the collector thread and a preview thread at once: {@link #collect} is synchronized.
 */
@Component(service = MetricSource.class, configurationPid = OsgiConfig.PID)
@Designate(ocd = OsgiConfig.class)
@MetricSourceProperties(name = "osgi", tags = "osgi")
public final class OsgiSource implements MetricSource {

    private static final int PROBLEM_TEXT_MAX = 200;

    private final BundleContext context;
    private final ServiceComponentRuntime scr;
    private final FrameworkEvents events = new FrameworkEvents();
    private final StringBuilder text = new StringBuilder(PROBLEM_TEXT_MAX);
    private volatile OsgiConfig config;

    /**
     * Activates the source: its listeners are added before the services are counted once, so no
     * registration is missed (one made in that instant may be counted twice).
     *
     * @param context the bundle context
     * @param scr the Declarative Services runtime
     * @param config its configuration
     */
    @Activate
    public OsgiSource(BundleContext context, @Reference ServiceComponentRuntime scr, OsgiConfig config) {
        validate(config);
        this.context = context;
        this.scr = scr;
        this.config = config;
        context.addFrameworkListener(events);
        context.addBundleListener(events);
        context.addServiceListener(events);
        try {
            ServiceReference<?>[] all = context.getAllServiceReferences(null, null);
            events.services.add(all == null ? 0 : all.length);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("no filter, no syntax error", e);
        }
    }

    /**
     * Takes a new configuration.
     *
     * @param config the new configuration
     */
    @Modified
    void modified(OsgiConfig config) {
        validate(config);
        this.config = config;
    }

    /** Removes the listeners. */
    @Deactivate
    void deactivate() {
        context.removeServiceListener(events);
        context.removeBundleListener(events);
        context.removeFrameworkListener(events);
    }

    private static void validate(OsgiConfig c) {
        if (c.maxProblems() < 0) {
            throw new IllegalArgumentException("maxProblems must not be negative, was " + c.maxProblems());
        }
    }

    @Override
    public void declare(Declarations d) {
        d.gauge("osgi_bundles", "installed", "{bundle}", "Bundles in state INSTALLED")
                .gauge("osgi_bundles", "resolved", "{bundle}", "Bundles in state RESOLVED")
                .gauge("osgi_bundles", "starting", "{bundle}", "Bundles in state STARTING")
                .gauge("osgi_bundles", "active", "{bundle}", "Bundles in state ACTIVE")
                .gauge("osgi_bundles", "stopping", "{bundle}", "Bundles in state STOPPING")
                .gauge("osgi_bundles", "fragments", "{bundle}", "Bundles that are fragments")
                .gauge("osgi_bundles", "total", "{bundle}", "Bundles installed in the framework")
                .gauge("osgi_services", "registered", "{service}", "Services registered")
                .gauge("osgi_components", "satisfied", "{component}", "DS component configurations satisfied")
                .gauge("osgi_components", "active", "{component}", "DS component configurations active")
                .gauge("osgi_components", "unsatisfied_reference", "{component}", "DS component configurations missing a reference")
                .gauge("osgi_components", "unsatisfied_configuration", "{component}", "DS component configurations missing a configuration")
                .gauge("osgi_components", "failed_activation", "{component}", "DS component configurations whose activation failed")
                .gauge("osgi_components", "total", "{component}", "DS component configurations")
                .gauge("osgi_component_problem", "state", "", "The problem: unsatisfied_reference, unsatisfied_configuration or failed_activation")
                .gauge("osgi_component_problem", "unsatisfied_references", "", "Names of the missing references, space-separated")
                .gauge("osgi_component_problem", "failure", "", "Why activation failed, at most 200 characters")
                .counter("osgi_events", "framework_errors", "{event}", "Framework events of type ERROR since the source started")
                .counter("osgi_events", "framework_warnings", "{event}", "Framework events of type WARNING since the source started")
                .counter("osgi_events", "bundle_installs", "{bundle}", "Bundles installed since the source started")
                .counter("osgi_events", "bundle_uninstalls", "{bundle}", "Bundles uninstalled since the source started")
                .counter("osgi_events", "refreshes", "{refresh}", "Package refreshes since the source started");
    }

    @Override
    public synchronized void collect(PointWriter out) {
        bundles(out);
        out.point("osgi_services").field("registered", events.services.sum());
        OsgiConfig c = config;
        if (c.components()) {
            components(out, c.maxProblems());
        }
        out.point("osgi_events")
                .field("framework_errors", events.errors.sum())
                .field("framework_warnings", events.warnings.sum())
                .field("bundle_installs", events.installs.sum())
                .field("bundle_uninstalls", events.uninstalls.sum())
                .field("refreshes", events.refreshes.sum());
    }

    private void bundles(PointWriter out) {
        long installed = 0;
        long resolved = 0;
        long starting = 0;
        long active = 0;
        long stopping = 0;
        long fragments = 0;
        Bundle[] bundles = context.getBundles();
        for (Bundle b : bundles) {
            switch (b.getState()) {
                case Bundle.INSTALLED:
                    installed++;
                    break;
                case Bundle.RESOLVED:
                    resolved++;
                    break;
                case Bundle.STARTING:
                    starting++;
                    break;
                case Bundle.ACTIVE:
                    active++;
                    break;
                case Bundle.STOPPING:
                    stopping++;
                    break;
                default:
                    break;
            }
            BundleRevision revision = b.adapt(BundleRevision.class);
            if (revision != null && (revision.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0) {
                fragments++;
            }
        }
        out.point("osgi_bundles")
                .field("installed", installed).field("resolved", resolved).field("starting", starting)
                .field("active", active).field("stopping", stopping).field("fragments", fragments)
                .field("total", (long) bundles.length);
    }

    private void components(PointWriter out, int maxProblems) {
        long satisfied = 0;
        long active = 0;
        long unsatisfiedReference = 0;
        long unsatisfiedConfiguration = 0;
        long failedActivation = 0;
        long total = 0;
        int problems = 0;
        Collection<ComponentDescriptionDTO> descriptions = scr.getComponentDescriptionDTOs();
        for (ComponentDescriptionDTO d : descriptions) {
            for (ComponentConfigurationDTO cc : scr.getComponentConfigurationDTOs(d)) {
                total++;
                switch (cc.state) {
                    case ComponentConfigurationDTO.SATISFIED:
                        satisfied++;
                        break;
                    case ComponentConfigurationDTO.ACTIVE:
                        active++;
                        break;
                    case ComponentConfigurationDTO.UNSATISFIED_REFERENCE:
                        unsatisfiedReference++;
                        break;
                    case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION:
                        unsatisfiedConfiguration++;
                        break;
                    case ComponentConfigurationDTO.FAILED_ACTIVATION:
                        failedActivation++;
                        break;
                    default:
                        break;
                }
                if (isProblem(cc.state) && problems < maxProblems) {
                    problems++;
                    problem(out, d, cc);
                }
            }
        }
        out.point("osgi_components")
                .field("satisfied", satisfied).field("active", active)
                .field("unsatisfied_reference", unsatisfiedReference)
                .field("unsatisfied_configuration", unsatisfiedConfiguration)
                .field("failed_activation", failedActivation)
                .field("total", total);
    }

    private static boolean isProblem(int state) {
        return state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE
                || state == ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION
                || state == ComponentConfigurationDTO.FAILED_ACTIVATION;
    }

    private void problem(PointWriter out, ComponentDescriptionDTO d, ComponentConfigurationDTO cc) {
        out.point("osgi_component_problem").tag("component", d.name)
                .tag("bundle", d.bundle == null ? null : d.bundle.symbolicName)
                .field("state", stateName(cc.state));
        UnsatisfiedReferenceDTO[] missing = cc.unsatisfiedReferences;
        if (missing != null && missing.length > 0) {
            text.setLength(0);
            for (UnsatisfiedReferenceDTO r : missing) {
                if (text.length() > 0) {
                    text.append(' ');
                }
                text.append(r.name);
            }
            out.field("unsatisfied_references", clip(text));
        }
        if (cc.failure != null) {
            text.setLength(0);
            text.append(cc.failure);
            out.field("failure", clip(text));
        }
    }

    private static CharSequence clip(StringBuilder s) {
        if (s.length() > PROBLEM_TEXT_MAX) {
            s.setLength(PROBLEM_TEXT_MAX);
        }
        return s;
    }

    static String stateName(int state) {
        switch (state) {
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION:
                return "unsatisfied_configuration";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE:
                return "unsatisfied_reference";
            case ComponentConfigurationDTO.SATISFIED:
                return "satisfied";
            case ComponentConfigurationDTO.ACTIVE:
                return "active";
            case ComponentConfigurationDTO.FAILED_ACTIVATION:
                return "failed_activation";
            default:
                return "unknown";
        }
    }
}
