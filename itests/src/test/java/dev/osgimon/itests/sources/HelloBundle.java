package dev.osgimon.itests.sources;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.service.cm.ConfigurationAdmin;

import dev.osgimon.itests.sources.hello.HelloActivator;
import dev.osgimon.itests.support.InFramework;

/** Builds the test bundle {@code dev.osgimon.itests.hello}: a whiteboard servlet on {@code /hello} answering 200. */
public final class HelloBundle {

    /** Its symbolic name. */
    public static final String BSN = "dev.osgimon.itests.hello";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HelloBundle() {
    }

    /**
     * Brings up the osgimon bundles in the framework a test runs in, with no command server and a
     * target that takes anything (the source tests read cycles through {@code CollectionPreview}),
     * and this bundle behind Jetty.
     *
     * @param context the test's bundle context
     * @param cm the framework's ConfigurationAdmin
     * @param jar where to write this bundle's jar
     * @return the port Jetty bound
     */
    public static int serve(BundleContext context, ConfigurationAdmin cm, Path jar)
            throws IOException, BundleException, InterruptedException {
        Hashtable<String, Object> core = new Hashtable<>();
        core.put("target", "udp://127.0.0.1:9");
        core.put("interval", 3600);
        InFramework.configure(cm, "dev.osgimon.core", core);
        Hashtable<String, Object> command = new Hashtable<>();
        command.put("commandPort", 0);
        InFramework.configure(cm, "dev.osgimon.command", command);
        InFramework.startOsgimon(context);
        int port = InFramework.httpPort(context);
        install(context, jar);
        return port;
    }

    /**
     * Sends a request without a body to Jetty on the loopback interface.
     *
     * @param port Jetty's port
     * @param method the HTTP method
     * @param path the path and query
     * @return the status code
     */
    public static int send(int port, String method, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /**
     * Writes the bundle jar.
     *
     * @param jar where to write it
     * @return {@code jar}
     * @throws IOException if it cannot be written
     */
    public static Path write(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", BSN);
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Bundle-Activator", HelloActivator.class.getName());
        main.putValue("Import-Package", "javax.servlet;version=\"[3.1,5)\",javax.servlet.http;version=\"[3.1,5)\","
                + "org.osgi.framework;version=\"[1.8,2)\"");
        Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
        try (OutputStream file = Files.newOutputStream(tmp); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Class<?> c : new Class<?>[] {HelloActivator.class, HelloActivator.Hello.class}) {
                String entry = c.getName().replace('.', '/') + ".class";
                out.putNextEntry(new JarEntry(entry));
                try (InputStream in = HelloBundle.class.getClassLoader().getResourceAsStream(entry)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        // moved into place whole, so a watched folder never sees half a jar
        return Files.move(tmp, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Installs and starts the bundle in the framework a test runs in, unless it is there already.
     *
     * @param context the test's bundle context
     * @param jar where to write the jar
     * @return the bundle, active
     * @throws IOException if the jar cannot be written
     * @throws BundleException if it does not install or start
     */
    public static Bundle install(BundleContext context, Path jar) throws IOException, BundleException {
        for (Bundle b : context.getBundles()) {
            if (BSN.equals(b.getSymbolicName())) {
                b.start();
                return b;
            }
        }
        Bundle b = context.installBundle(write(jar).toUri().toString());
        // installed now, it gets the launcher's initial start level, above the framework's: use the current one
        b.adapt(BundleStartLevel.class).setStartLevel(context.getBundle(0).adapt(FrameworkStartLevel.class).getStartLevel());
        b.start();
        return b;
    }
}
