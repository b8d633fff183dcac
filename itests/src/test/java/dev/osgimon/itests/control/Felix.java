package dev.osgimon.itests.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

import dev.osgimon.itests.support.Waits;

/**
 * A Felix framework in the test JVM, launched through {@link FrameworkFactory} with the very bundle
 * jars the reactor put into the distribution ({@code boot/} and {@code bundle/}). The osgimon API
 * packages come from the test class path through the system bundle, so the test can use
 * {@code CommandService} and {@code LogLevelAdmin} directly; everything else (pax-logging, Gogo,
 * ConfigurationAdmin) is reached by reflection on the framework's own classes.
 */
final class Felix implements AutoCloseable {

    private final Framework framework;
    private final Path storage;
    private final Map<String, Bundle> bundles = new HashMap<>();

    private Felix(Framework framework, Path storage) {
        this.framework = framework;
        this.storage = storage;
    }

    /**
     * Installs the distribution's jars whose file names {@code include} accepts (not started).
     *
     * @param include file-name filter
     * @return the framework, started, its bundles installed
     */
    static Felix install(Predicate<String> include) {
        Path dist = Path.of(System.getProperty("osgimon.dist", "../distribution/target/osgimon"));
        try {
            Path storage = Files.createTempDirectory("osgimon-felix");
            Map<String, String> props = new HashMap<>();
            props.put("org.osgi.framework.storage", storage.toString());
            props.put("org.osgi.framework.storage.clean", "onFirstInit");
            props.put("org.osgi.framework.system.packages.extra",
                    "dev.osgimon.api;version=1.1.0,dev.osgimon.api.admin;version=1.0.0,dev.osgimon.api.transport;version=1.0.0");
            props.put("felix.log.level", "1");
            props.put("gosh.args", "--nointeractive");
            Framework framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(props);
            framework.start();
            Felix felix = new Felix(framework, storage);
            List<Path> jars = new ArrayList<>();
            for (String dir : new String[] {"boot", "bundle"}) {
                try (Stream<Path> files = Files.list(dist.resolve(dir))) {
                    files.filter(p -> p.toString().endsWith(".jar") && include.test(p.getFileName().toString()))
                            .sorted().forEach(jars::add);
                }
            }
            for (Path jar : jars) {
                Bundle b = framework.getBundleContext().installBundle(jar.toUri().toString());
                felix.bundles.put(b.getSymbolicName(), b);
            }
            return felix;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (BundleException e) {
            throw new IllegalStateException(e);
        }
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    Bundle bundle(String symbolicName) {
        Bundle b = bundles.get(symbolicName);
        if (b == null) {
            throw new IllegalArgumentException("not installed: " + symbolicName + " (have " + bundles.keySet() + ")");
        }
        return b;
    }

    void start(String... symbolicNames) throws BundleException {
        for (String name : symbolicNames) {
            bundle(name).start();
        }
    }

    void startAll() throws BundleException {
        for (Bundle b : bundles.values()) {
            if (b.getHeaders().get("Fragment-Host") == null) {
                b.start();
            }
        }
    }

    /**
     * Waits for a service by class name, as the named bundle sees it, and returns it. Looking it up
     * through the bundle that uses the same package as the service (not through the system bundle)
     * works whatever the test class path holds.
     */
    Object service(String symbolicName, String className) {
        BundleContext ctx = bundle(symbolicName).getBundleContext();
        Waits.until("service " + className, Duration.ofSeconds(20), () -> ctx.getServiceReference(className) != null);
        ServiceReference<?> ref = ctx.getServiceReference(className);
        return ctx.getService(ref);
    }

    /** Waits for a service whose class is shared with the test class path. */
    <T> T service(Class<T> type) {
        Waits.until("service " + type.getName(), Duration.ofSeconds(20), () -> context().getServiceReference(type) != null);
        return context().getService(context().getServiceReference(type));
    }

    /** Loads a class as the named bundle sees it. */
    Class<?> load(String symbolicName, String className) {
        try {
            return bundle(symbolicName).loadClass(className);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Calls a public method declared by {@code type} (an interface or class of the framework). */
    static Object call(Class<?> type, Object target, String method, Object... args) {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(method) && accepts(m.getParameterTypes(), args)) {
                try {
                    return m.invoke(target, args);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                } catch (InvocationTargetException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
        }
        throw new IllegalArgumentException(type.getName() + " has no " + method + "/" + args.length);
    }

    private static boolean accepts(Class<?>[] types, Object[] args) {
        if (types.length != args.length) {
            return false;
        }
        for (int i = 0; i < types.length; i++) {
            if (args[i] != null && !types[i].isInstance(args[i]) && !types[i].isPrimitive()) {
                return false;
            }
        }
        return true;
    }

    /** Updates a configuration through the framework's ConfigurationAdmin. */
    void configure(String pid, Dictionary<String, Object> properties) {
        Class<?> cmType = load("org.apache.felix.configadmin", "org.osgi.service.cm.ConfigurationAdmin");
        Class<?> configType = load("org.apache.felix.configadmin", "org.osgi.service.cm.Configuration");
        Object cm = service("org.apache.felix.configadmin", "org.osgi.service.cm.ConfigurationAdmin");
        Object config = call(cmType, cm, "getConfiguration", pid, null);
        call(configType, config, "update", properties);
    }

    /** Reads a configuration's properties, or {@code null}. */
    @SuppressWarnings("unchecked")
    Dictionary<String, Object> configuration(String pid) {
        Class<?> cmType = load("org.apache.felix.configadmin", "org.osgi.service.cm.ConfigurationAdmin");
        Class<?> configType = load("org.apache.felix.configadmin", "org.osgi.service.cm.Configuration");
        Object cm = service("org.apache.felix.configadmin", "org.osgi.service.cm.ConfigurationAdmin");
        Object config = call(cmType, cm, "getConfiguration", pid, null);
        return (Dictionary<String, Object>) call(configType, config, "getProperties");
    }

    /** Stops the framework and waits until it has stopped. */
    @Override
    public void close() throws Exception {
        framework.stop();
        framework.waitForStop(30_000);
        try (Stream<Path> files = Files.walk(storage)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        }
    }

    int state() {
        return framework.getState();
    }
}
