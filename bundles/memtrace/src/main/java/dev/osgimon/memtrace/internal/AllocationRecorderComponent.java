package dev.osgimon.memtrace.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.memtrace.AllocationRecorder;
import dev.osgimon.memtrace.AllocationRecording;

/**
 * Offers the {@link AllocationRecorder} service: recordings go to a private folder in this bundle's data
 * area, and a sample is charged to the bundle whose own class files hold its frame's package. Stopping the
 * component stops a running recording and deletes the files.
 */
@Component(service = AllocationRecorder.class)
public final class AllocationRecorderComponent implements AllocationRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(AllocationRecorderComponent.class);

    private final Path dir;
    private final JfrAllocationRecorder recorder;

    /**
     * Starts the recorder (without a recording).
     *
     * @param context this bundle's context: its data area and the installed bundles
     */
    @Activate
    public AllocationRecorderComponent(BundleContext context) {
        try {
            this.dir = Files.createTempDirectory(context.getDataFile("").toPath(), "allocations");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.recorder = new JfrAllocationRecorder(dir, bundleIndex(context));
    }

    @Override
    public AllocationRecording start(Duration duration, String who) {
        return recorder.start(duration, who);
    }

    @Override
    public Optional<AllocationRecording> last() {
        return recorder.last();
    }

    @Deactivate
    void deactivate() {
        recorder.close();
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.debug("Could not delete {}", dir, e);
        }
    }

    /**
     * Makes the lookup of the bundle that holds a class: its package in the bundles' own class files
     * (made when a recording ends, so bundles installed since are known).
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
