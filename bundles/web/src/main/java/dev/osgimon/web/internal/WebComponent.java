package dev.osgimon.web.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.wiring.BundleWiring;
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

import dev.osgimon.api.CycleListener;
import dev.osgimon.api.admin.CommandService;
import dev.osgimon.api.admin.DeliveryMonitor;
import dev.osgimon.api.admin.DeliveryStatus;
import dev.osgimon.api.admin.SourceControl;

/**
 * The operator page: keeps the recent history of every cycle (as a {@link CycleListener}),
 * registers the page servlet on the Http Whiteboard at {@code path}, and the Felix Web Console
 * tab where {@code jakarta.servlet} is available. A configuration change restarts it.
 */
@Component(service = CycleListener.class, immediate = true, configurationPid = WebConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = WebConfig.class)
public final class WebComponent implements CycleListener {

    private static final Logger LOG = LoggerFactory.getLogger(WebComponent.class);
    /** Series kept at most; see {@link History} for the memory this bounds. */
    static final int MAX_SERIES = 4096;

    private final History history;
    private final Memtrace memtrace;
    private final Page page;
    private final Path dir;
    private final ServiceRegistration<?> servlet;
    private final List<ServiceRegistration<?>> consolePlugins;

    /** The core's delivery state, when a core that offers it is there. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile DeliveryMonitor deliveryMonitor;

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
     */
    @Activate
    public WebComponent(BundleContext context, WebConfig config, @Reference CommandService commands,
            @Reference SourceControl sources) {
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
            clients = new ClientFilter(config.allow());
        } catch (IllegalArgumentException e) {
            LOG.error("Invalid configuration {} {}; answering loopback clients only", WebConfig.PID, e.getMessage());
            clients = new ClientFilter(new String[0]);
        }
        this.history = new History(cycles, MAX_SERIES);
        try {
            this.dir = Files.createTempDirectory(context.getDataFile("").toPath(), "memtrace");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.memtrace = new Memtrace(dir, bundleIndex(context));
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        this.page = new Page(commands, sources, this::delivery, history, memtrace, HexFormat.of().formatHex(secret));

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

    /** Stops the page, its event streams, a running recording, and deletes its files. */
    @Deactivate
    void deactivate() {
        page.close();
        unregister(servlet);
        consolePlugins.forEach(WebComponent::unregister);
        memtrace.close();
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.debug("Could not delete {}", dir, e);
        }
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
    public void cycleCollected(long timestampNanos, String lines) {
        history.add(timestampNanos, lines);
        page.cycle(timestampNanos);
    }

    /**
     * Makes the lookup of the bundle that holds a class: its package in the bundles' own class
     * files (taken when a recording ends, so bundles installed since are known).
     */
    private static Supplier<Function<String, String>> bundleIndex(BundleContext context) {
        return () -> {
            Map<String, String> packages = packages(context);
            return className -> {
                int dot = className.lastIndexOf('.');
                return packages.get(dot < 0 ? "" : className.substring(0, dot));
            };
        };
    }

    private static Map<String, String> packages(BundleContext context) {
        Map<String, String> out = new HashMap<>();
        for (Bundle b : context.getBundles()) {
            if (b.getBundleId() == 0) {
                continue;
            }
            BundleWiring wiring = b.adapt(BundleWiring.class);
            if (wiring == null) {
                continue;
            }
            for (String res : wiring.listResources("/", "*.class",
                    BundleWiring.LISTRESOURCES_LOCAL | BundleWiring.LISTRESOURCES_RECURSE)) {
                int slash = res.lastIndexOf('/');
                out.putIfAbsent(slash < 0 ? "" : res.substring(0, slash).replace('/', '.'), b.getSymbolicName());
            }
        }
        return out;
    }
}
