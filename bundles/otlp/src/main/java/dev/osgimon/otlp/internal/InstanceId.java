package dev.osgimon.otlp.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code service.instance.id} of this install: a random UUID made once and kept in a file, so
 * that it stays the same across restarts (OpenTelemetry asks for one id per instance, stable for its
 * life).
 */
final class InstanceId {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceId.class);

    private InstanceId() {
    }

    /**
     * @param file where the id is kept
     * @return the id in the file, or a new one written there; a new one for this run only if the
     *         file can be neither read nor written (said at warn)
     */
    static String load(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                String id = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!id.isEmpty() && id.length() <= 128) {
                    return id;
                }
            }
            String id = UUID.randomUUID().toString();
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".instance-id", ".tmp");
            Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            LOG.info("New OTLP service.instance.id {} kept in {}", id, file);
            return id;
        } catch (IOException | RuntimeException e) {
            String id = UUID.randomUUID().toString();
            LOG.warn("Cannot keep the OTLP service.instance.id in {} ({}); using {} until the next restart", file,
                    e.toString(), id);
            return id;
        }
    }
}
