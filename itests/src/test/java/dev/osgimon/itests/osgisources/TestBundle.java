package dev.osgimon.itests.osgisources;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A bundle built at test time from classes of this module and text resources, written to a folder
 * whole (moved into place) so that a watched {@code deploy/} folder never sees half a jar.
 */
public final class TestBundle {

    private final String bsn;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, String> resources = new LinkedHashMap<>();
    private Class<?>[] classes = new Class<?>[0];

    private TestBundle(String bsn) {
        this.bsn = bsn;
    }

    public static TestBundle named(String bsn) {
        return new TestBundle(bsn);
    }

    public TestBundle activator(Class<?> activator, String imports, Class<?>... more) {
        headers.put("Bundle-Activator", activator.getName());
        headers.put("Import-Package", imports);
        classes = new Class<?>[more.length + 1];
        classes[0] = activator;
        System.arraycopy(more, 0, classes, 1, more.length);
        return this;
    }

    public TestBundle header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public TestBundle resource(String path, String text) {
        resources.put(path, text);
        return this;
    }

    /**
     * Writes the jar into a folder.
     *
     * @param dir the folder, e.g. a distribution's {@code deploy/}
     * @return the jar
     * @throws IOException if it cannot be written
     */
    public Path writeInto(Path dir) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", bsn);
        main.putValue("Bundle-Version", "1.0.0");
        headers.forEach(main::putValue);
        Path jar = dir.resolve(bsn + ".jar");
        Path tmp = dir.resolve(bsn + ".jar.part");
        try (OutputStream file = Files.newOutputStream(tmp); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Class<?> c : classes) {
                String entry = c.getName().replace('.', '/') + ".class";
                out.putNextEntry(new JarEntry(entry));
                try (InputStream in = TestBundle.class.getClassLoader().getResourceAsStream(entry)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
            for (Map.Entry<String, String> r : resources.entrySet()) {
                out.putNextEntry(new JarEntry(r.getKey()));
                out.write(r.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
