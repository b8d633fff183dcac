package dev.osgimon.source.osgi.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

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
 * <p>A cycle in which nothing changed costs next to nothing: the bundle counts and the component
 * states are kept between cycles and built again only after an event that can change them (see
 * {@link FrameworkEvents}). Bundles are counted again from {@link BundleContext#getBundles()} after
 * any bundle event. Components come from the {@link ServiceComponentRuntime} DTOs, which SCR builds
 * afresh on every call (2.5 MB for 1,000 components in the benchmark): they are read again after any
 * service event, bundle event or package refresh. A component configuration's state changes that no
 * service or bundle event shows (a delayed component activated by its first user, a component
 * enabled that stays unsatisfied, a configuration that satisfies a component without a service)
 * reach the source through SCR's {@code service.changecount}, which Felix SCR publishes at most
 * {@code ds.service.changecount.timeout} (5 s) after the change. The flag is cleared before the
 * DTOs are read, so an event during a rebuild causes another one. Services and events are counted
 * by listeners as they happen. A collection may run on the collector thread and a preview thread at
 * once: {@link #collect} is synchronized.
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
    /** installed, resolved, starting, active, stopping, fragments, total: as of the last bundle event */
    private final long[] bundleCounts = new long[7];
    /** satisfied, active, unsatisfied_reference, unsatisfied_configuration, failed_activation, total */
    private final long[] componentCounts = new long[6];
    /** The osgi_component_problem points of the last rebuild, at most maxProblems. */
    private final List<Problem> problems = new ArrayList<>();
    private long bundleRebuilds;
    private long componentRebuilds;

    /** One component configuration that is neither satisfied nor active, as its point is written. */
    private record Problem(String component, String bundle, String state, String references, String failure) {
    }

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
        events.componentsChanged.set(true);
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
        if (events.bundlesChanged.getAndSet(false)) {
            try {
                countBundles();
            } catch (RuntimeException e) {
                events.bundlesChanged.set(true); // counted again next cycle
                throw e;
            }
        }
        out.point("osgi_bundles")
                .field("installed", bundleCounts[0]).field("resolved", bundleCounts[1])
                .field("starting", bundleCounts[2]).field("active", bundleCounts[3])
                .field("stopping", bundleCounts[4]).field("fragments", bundleCounts[5])
                .field("total", bundleCounts[6]);
        out.point("osgi_services").field("registered", events.services.sum());
        OsgiConfig c = config;
        if (c.components()) {
            if (events.componentsChanged.getAndSet(false)) {
                try {
                    readComponents(c.maxProblems());
                } catch (RuntimeException e) {
                    events.componentsChanged.set(true); // read again next cycle
                    throw e;
                }
            }
            writeComponents(out);
        }
        out.point("osgi_events")
                .field("framework_errors", events.errors.sum())
                .field("framework_warnings", events.warnings.sum())
                .field("bundle_installs", events.installs.sum())
                .field("bundle_uninstalls", events.uninstalls.sum())
                .field("refreshes", events.refreshes.sum());
    }

    /** @return the listeners (for tests, which play the framework's events) */
    FrameworkEvents events() {
        return events;
    }

    /** @return how often the bundles were counted and the component DTOs read since activation (for tests) */
    synchronized long[] rebuilds() {
        return new long[] {bundleRebuilds, componentRebuilds};
    }

    private void countBundles() {
        bundleRebuilds++;
        Arrays.fill(bundleCounts, 0);
        Bundle[] bundles = context.getBundles();
        for (Bundle b : bundles) {
            switch (b.getState()) {
                case Bundle.INSTALLED:
                    bundleCounts[0]++;
                    break;
                case Bundle.RESOLVED:
                    bundleCounts[1]++;
                    break;
                case Bundle.STARTING:
                    bundleCounts[2]++;
                    break;
                case Bundle.ACTIVE:
                    bundleCounts[3]++;
                    break;
                case Bundle.STOPPING:
                    bundleCounts[4]++;
                    break;
                default:
                    break;
            }
            BundleRevision revision = b.adapt(BundleRevision.class);
            if (revision != null && (revision.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0) {
                bundleCounts[5]++;
            }
        }
        bundleCounts[6] = bundles.length;
    }

    private void readComponents(int maxProblems) {
        componentRebuilds++;
        Arrays.fill(componentCounts, 0);
        problems.clear();
        Collection<ComponentDescriptionDTO> descriptions = scr.getComponentDescriptionDTOs();
        for (ComponentDescriptionDTO d : descriptions) {
            for (ComponentConfigurationDTO cc : scr.getComponentConfigurationDTOs(d)) {
                componentCounts[5]++;
                switch (cc.state) {
                    case ComponentConfigurationDTO.SATISFIED:
                        componentCounts[0]++;
                        break;
                    case ComponentConfigurationDTO.ACTIVE:
                        componentCounts[1]++;
                        break;
                    case ComponentConfigurationDTO.UNSATISFIED_REFERENCE:
                        componentCounts[2]++;
                        break;
                    case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION:
                        componentCounts[3]++;
                        break;
                    case ComponentConfigurationDTO.FAILED_ACTIVATION:
                        componentCounts[4]++;
                        break;
                    default:
                        break;
                }
                if (isProblem(cc.state) && problems.size() < maxProblems) {
                    problems.add(problem(d, cc));
                }
            }
        }
    }

    private void writeComponents(PointWriter out) {
        for (Problem p : problems) {
            out.point("osgi_component_problem").tag("component", p.component()).tag("bundle", p.bundle())
                    .field("state", p.state());
            if (p.references() != null) {
                out.field("unsatisfied_references", p.references());
            }
            if (p.failure() != null) {
                out.field("failure", p.failure());
            }
        }
        out.point("osgi_components")
                .field("satisfied", componentCounts[0]).field("active", componentCounts[1])
                .field("unsatisfied_reference", componentCounts[2])
                .field("unsatisfied_configuration", componentCounts[3])
                .field("failed_activation", componentCounts[4])
                .field("total", componentCounts[5]);
    }

    private static boolean isProblem(int state) {
        return state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE
                || state == ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION
                || state == ComponentConfigurationDTO.FAILED_ACTIVATION;
    }

    private Problem problem(ComponentDescriptionDTO d, ComponentConfigurationDTO cc) {
        String references = null;
        UnsatisfiedReferenceDTO[] missing = cc.unsatisfiedReferences;
        if (missing != null && missing.length > 0) {
            text.setLength(0);
            for (UnsatisfiedReferenceDTO r : missing) {
                if (text.length() > 0) {
                    text.append(' ');
                }
                text.append(r.name);
            }
            references = clip(text).toString();
        }
        String failure = null;
        if (cc.failure != null) {
            text.setLength(0);
            text.append(cc.failure);
            failure = clip(text).toString();
        }
        return new Problem(d.name, d.bundle == null ? null : d.bundle.symbolicName, stateName(cc.state), references, failure);
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
