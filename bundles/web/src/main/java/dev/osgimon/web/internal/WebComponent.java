package dev.osgimon.web.internal;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HexFormat;
import java.util.Hashtable;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.httpaccess.internal.ClientFilter;
import dev.osgimon.api.admin.CommandService;
import dev.osgimon.api.admin.DeliveryMonitor;
import dev.osgimon.api.admin.DeliveryStatus;
import dev.osgimon.api.admin.LogLevelAdmin;
import dev.osgimon.api.admin.Ready;
import dev.osgimon.api.admin.SourceControl;
import dev.osgimon.api.model.Cycle;
import dev.osgimon.api.model.CycleObserver;

/**
 * The operator page: keeps the recent history of every cycle (as a {@link CycleObserver}), registers
 * the page servlet on the Http Whiteboard at {@code path}, and the Felix Web Console tab. It starts
 * only once the core says the agent is {@link Ready}, so the page never answers with a half-bound
 * agent. A configuration change restarts it.
 */
@Component(service = CycleObserver.class, immediate = true, configurationPid = WebConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = WebConfig.class)
public final class WebComponent implements CycleObserver {

    private static final Logger LOG = LoggerFactory.getLogger(WebComponent.class);
    /** Series kept at most; see {@link History} for the memory this bounds. */
    static final int MAX_SERIES = 4096;

    private final History history;
    private final EventStreams streams;
    private final Page page;
    private final ServiceRegistration<?> servlet;
    private final List<ServiceRegistration<?>> consolePlugins;

    /** The core's delivery state, when a core that offers it is there. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile DeliveryMonitor deliveryMonitor;

    /** The log levels' owner, when the logging bundle is there. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile LogLevelAdmin levels;

    /** The memtrace bundle's recorder, when that bundle is there. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Allocations allocations;

    private DeliveryStatus delivery() {
        DeliveryMonitor m = deliveryMonitor;
        return m == null ? null : m.deliveryStatus();
    }

    /**
     * Starts the page.
     *
     * @param context the bundle context
     * @param config the configuration
     * @param commands the text protocol (every change goes through it)
     * @param sources the source states
     * @param ready the core's word that the agent answers truly (only its presence matters)
     */
    @Activate
    public WebComponent(BundleContext context, WebConfig config, @Reference CommandService commands,
            @Reference SourceControl sources, @Reference Ready ready) {
        String path = config.path() == null ? "" : config.path().trim();
        if (!path.matches("/[A-Za-z0-9._~/-]*") || path.endsWith("/") || path.contains("//")) {
            LOG.error("Invalid configuration {} path='{}': must look like /osgimon; using /osgimon", WebConfig.PID,
                    config.path());
            path = "/osgimon";
        }
        int cycles = config.historyCycles();
        if (cycles < 1 || cycles > 100_000) {
            LOG.error("Invalid configuration {} historyCycles={}: must be 1 to 100000; using 360", WebConfig.PID, cycles);
            cycles = 360;
        }
        ClientFilter clients;
        try {
            clients = ClientFilter.parse(config.allow());
        } catch (IllegalArgumentException e) {
            LOG.error("Invalid configuration {} {}; answering loopback clients only", WebConfig.PID, e.getMessage());
            clients = ClientFilter.loopbackOnly();
        }
        this.history = new History(cycles, MAX_SERIES);
        this.streams = new EventStreams();
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        this.page = new Page(HexFormat.of().formatHex(secret),
                new Views(sources, this::delivery, () -> levels, history), streams, new Changes(commands),
                new MemtraceCard(() -> allocations));

        Dictionary<String, Object> props = new Hashtable<>();
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, new String[] {path, path + "/*"});
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, "osgimon-web");
        this.servlet = context.registerService("javax.servlet.Servlet", PageServlet.whiteboard(page, clients, path), props);
        this.consolePlugins = registerConsolePlugins(context, page);
        LOG.info("osgimon page at {} for {}, {} cycles of history", path, clients, cycles);
    }

    /**
     * The Web Console tab in both flavours: {@code javax.servlet} for Web Console 4 (Karaf 4.4's
     * {@code webconsole} feature) and, where {@code jakarta.servlet} is wired, {@code jakarta.servlet}
     * for Web Console 5 (the Felix distribution). Each console picks up the servlet type it speaks.
     */
    private static List<ServiceRegistration<?>> registerConsolePlugins(BundleContext context, Page page) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("felix.webconsole.label", ConsolePlugin.LABEL);
        props.put("felix.webconsole.title", "osgimon");
        props.put("felix.webconsole.category", "Status");
        List<ServiceRegistration<?>> out = new ArrayList<>();
        out.add(context.registerService("javax.servlet.Servlet", PageServlet.consoleTab(page), props));
        try {
            WebComponent.class.getClassLoader().loadClass("jakarta.servlet.http.HttpServlet");
        } catch (ClassNotFoundException | LinkageError noJakarta) {
            return out;
        }
        out.add(context.registerService("jakarta.servlet.Servlet", new ConsolePlugin(page), props));
        return out;
    }

    /** Stops the page and its event streams. */
    @Deactivate
    void deactivate() {
        page.close();
        unregister(servlet);
        consolePlugins.forEach(WebComponent::unregister);
    }

    private static void unregister(ServiceRegistration<?> r) {
        if (r == null) {
            return;
        }
        try {
            r.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework is stopping
        }
    }

    @Override
    public void cycleCollected(Cycle cycle) {
        history.add(cycle);
        streams.cycle(cycle.timestampNanos());
    }
}
