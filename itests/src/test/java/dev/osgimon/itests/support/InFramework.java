package dev.osgimon.itests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Dictionary;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * What the in-framework tests ({@code *InFrameworkTest}, run inside Felix by bnd's tester, see
 * {@code itests/in-framework.bndrun}) do to the framework they run in: configure, bring up the osgimon
 * bundles (start level 2) once they are configured, find bundles, refresh, and the port Jetty bound.
 */
public final class InFramework {

    /** The start level of the osgimon bundles in {@code in-framework.bndrun}. */
    public static final int OSGIMON_LEVEL = 2;

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The javax whiteboard's runtime service (by name: the tests need no compile-time whiteboard API). */
    private static final String HTTP_RUNTIME = "org.osgi.service.http.runtime.HttpServiceRuntime";

    private InFramework() {
    }

    /**
     * Updates a configuration (any bundle may bind it).
     *
     * @param cm the ConfigurationAdmin
     * @param pid its PID
     * @param properties the new properties
     */
    public static void configure(ConfigurationAdmin cm, String pid, Dictionary<String, ?> properties) {
        try {
            cm.getConfiguration(pid, "?").update(properties);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Raises the framework to {@link #OSGIMON_LEVEL} (once: later calls return at once), so the
     * osgimon bundles start with the configuration set before.
     *
     * @param context any bundle context
     */
    public static void startOsgimon(BundleContext context) throws InterruptedException {
        FrameworkStartLevel level = context.getBundle(0).adapt(FrameworkStartLevel.class);
        if (level.getStartLevel() >= OSGIMON_LEVEL) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        level.setStartLevel(OSGIMON_LEVEL, event -> {
            if (event.getType() == FrameworkEvent.STARTLEVEL_CHANGED) {
                done.countDown();
            }
        });
        if (!done.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("start level " + OSGIMON_LEVEL + " not reached");
        }
    }

    /**
     * @param context any bundle context
     * @param bsn a symbolic name
     * @return the installed bundle of that name
     */
    public static Bundle bundle(BundleContext context, String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new IllegalArgumentException("no bundle " + bsn);
    }

    /**
     * Refreshes bundles and waits until the framework is done.
     *
     * @param context any bundle context
     * @param bundles the bundles
     */
    public static void refresh(BundleContext context, Bundle... bundles) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(bundles), event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            }
        });
        if (!done.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("refresh not done");
        }
    }

    /**
     * Jetty binds port 0 ({@code org.osgi.service.http.port=0} in the bndrun); this reads the port it
     * got back from the whiteboard runtime's endpoint.
     *
     * @param context any bundle context
     * @return the HTTP port
     */
    public static int httpPort(BundleContext context) {
        Waits.until("HTTP whiteboard runtime", WAIT, () -> context.getServiceReference(HTTP_RUNTIME) != null);
        ServiceReference<?> ref = context.getServiceReference(HTTP_RUNTIME);
        Object endpoints = ref.getProperty("osgi.http.endpoint");
        String first = endpoints instanceof String[] ? ((String[]) endpoints)[0]
                : endpoints instanceof List ? String.valueOf(((List<?>) endpoints).get(0)) : String.valueOf(endpoints);
        int port = URI.create(first).getPort();
        if (port <= 0) {
            throw new IllegalStateException("no port in the HTTP endpoint " + first);
        }
        return port;
    }

    /**
     * Stops bundles (their state is restored by {@link #start}).
     *
     * @param bundles the bundles
     */
    public static void stop(List<Bundle> bundles) throws BundleException {
        for (Bundle b : bundles) {
            b.stop();
        }
    }

    /**
     * Starts bundles.
     *
     * @param bundles the bundles
     */
    public static void start(List<Bundle> bundles) throws BundleException {
        for (Bundle b : bundles) {
            b.start();
        }
    }
}
