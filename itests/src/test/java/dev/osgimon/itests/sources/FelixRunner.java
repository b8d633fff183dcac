package dev.osgimon.itests.sources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.util.tracker.ServiceTracker;

/**
 * A real Felix framework in the test JVM, with bundles from the reactor (copied by the build into
 * the folder named by the system property {@code osgimon.itest.bundles}). The osgimon API and the
 * ConfigurationAdmin API are exported by the system bundle from the test class path, so tests call
 * the services with their own types.
 */
final class FelixRunner implements AutoCloseable {

    /** The system packages the tests share with the framework. */
    static final String SHARED_PACKAGES = "dev.osgimon.api;version=1.1.0,dev.osgimon.api.admin;version=1.0.0,"
            + "dev.osgimon.api.transport;version=1.0.0,org.osgi.service.cm;version=1.6.0";

    private final Framework framework;

    private FelixRunner(Framework framework) {
        this.framework = framework;
    }

    /**
     * Starts a framework (not yet any bundle).
     *
     * @param storage an empty folder for the bundle cache
     * @param properties extra framework properties
     * @return the runner
     * @throws BundleException if the framework does not start
     */
    static FelixRunner start(Path storage, Map<String, String> properties) throws BundleException {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SHARED_PACKAGES);
        config.put("org.ops4j.pax.logging.DefaultServiceLog.level", "WARN");
        config.put("felix.log.level", "1");
        config.putAll(properties);
        Framework framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(config);
        framework.start();
        return new FelixRunner(framework);
    }

    /** @return the folder holding the reactor's and the runtime's bundles */
    static Path bundleDir() {
        String dir = System.getProperty("osgimon.itest.bundles");
        if (dir == null || !Files.isDirectory(Path.of(dir))) {
            throw new IllegalStateException("no bundles: run the itests with mvn verify (osgimon.itest.bundles=" + dir + ")");
        }
        return Path.of(dir);
    }

    /**
     * Installs bundles from {@link #bundleDir()} by file name (without {@code .jar}).
     *
     * @param names the file names
     * @return the bundles, in the same order
     * @throws BundleException if one does not install
     */
    List<Bundle> install(String... names) throws BundleException {
        List<Bundle> bundles = new ArrayList<>();
        for (String name : names) {
            bundles.add(install(bundleDir().resolve(name + ".jar")));
        }
        return bundles;
    }

    /**
     * Installs one bundle file.
     *
     * @param jar the file
     * @return the bundle
     * @throws BundleException if it does not install
     */
    Bundle install(Path jar) throws BundleException {
        return context().installBundle(jar.toUri().toString());
    }

    /**
     * Starts bundles.
     *
     * @param bundles the bundles
     * @throws BundleException if one does not start (for instance does not resolve)
     */
    static void start(List<Bundle> bundles) throws BundleException {
        for (Bundle b : bundles) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
    }

    /** @return the system bundle's context */
    BundleContext context() {
        return framework.getBundleContext();
    }

    /**
     * Finds a bundle by symbolic name.
     *
     * @param bsn the symbolic name
     * @return the bundle
     */
    Bundle bundle(String bsn) {
        for (Bundle b : context().getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new IllegalArgumentException("no bundle " + bsn);
    }

    /**
     * Waits for a service.
     *
     * @param type its type (shared with the framework)
     * @param timeoutSeconds how long to wait
     * @param <T> its type
     * @return the service
     * @throws InterruptedException if interrupted
     */
    <T> T service(Class<T> type, long timeoutSeconds) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context(), type, null);
        tracker.open();
        try {
            if (tracker.waitForService(TimeUnit.SECONDS.toMillis(timeoutSeconds)) == null) {
                throw new IllegalStateException("no " + type.getName() + " within " + timeoutSeconds + " s");
            }
            // got again through the system bundle's context, so closing the tracker does not release it
            return context().getService(tracker.getServiceReference());
        } finally {
            tracker.close();
        }
    }

    /**
     * The service registered under {@code type} with a property value, if any.
     *
     * @param type the service type
     * @param key a property key
     * @param value the property value
     * @param <T> the type
     * @return the service or {@code null}
     */
    <T> T service(Class<T> type, String key, String value) {
        try {
            for (ServiceReference<T> ref : context().getServiceReferences(type, "(" + key + "=" + value + ")")) {
                return context().getService(ref);
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
        return null;
    }

    @Override
    public void close() throws BundleException, InterruptedException, IOException {
        framework.stop();
        framework.waitForStop(TimeUnit.SECONDS.toMillis(30));
    }
}
