package dev.osgimon.itests.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Builds a test bundle of given classes, the first of them its activator. */
final class ProbeBundle {

    private ProbeBundle() {
    }

    /**
     * Writes the bundle jar under a temporary name, then moves it into place whole (a watched folder never
     * sees half a jar).
     *
     * @param jar where it goes
     * @param bsn its symbolic name
     * @param imports its Import-Package header
     * @param classes its classes (with their anonymous classes), the activator first
     * @return {@code jar}
     */
    static Path write(Path jar, String bsn, String imports, Class<?>... classes) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", bsn);
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Bundle-Activator", classes[0].getName());
        main.putValue("Import-Package", imports);
        Path tmp = jar.resolveSibling(jar.getFileName() + ".part");
        try (OutputStream file = Files.newOutputStream(tmp); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Class<?> c : classes) {
                String name = c.getName().replace('.', '/');
                add(out, name + ".class");
                // its anonymous classes: Name$1, Name$2, ...
                for (int i = 1; ProbeBundle.class.getClassLoader().getResource(name + "$" + i + ".class") != null; i++) {
                    add(out, name + "$" + i + ".class");
                }
            }
        }
        return Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void add(JarOutputStream out, String entry) throws IOException {
        out.putNextEntry(new JarEntry(entry));
        try (InputStream in = ProbeBundle.class.getClassLoader().getResourceAsStream(entry)) {
            in.transferTo(out);
        }
        out.closeEntry();
    }
}
