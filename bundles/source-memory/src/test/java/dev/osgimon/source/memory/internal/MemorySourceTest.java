package dev.osgimon.source.memory.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.osgimon.testing.RecordingWriter;
import dev.osgimon.testing.LogCapture;

class MemorySourceTest {

    static MemoryConfig config(String procRoot, boolean pools) {
        return new MemoryConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return MemoryConfig.class;
            }

            @Override
            public String procRoot() {
                return procRoot;
            }

            @Override
            public boolean pools() {
                return pools;
            }
        };
    }

    @Test
    void writesHeapPoolsGcBuffersAllocationAndProcess(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("self"));
        Files.copy(MemorySourceTest.class.getResourceAsStream("/proc/status-linux.txt"), root.resolve("self/status"));
        MemorySource source = new MemorySource(config(root.toString(), true));
        try {
            RecordingWriter out = new RecordingWriter();
            source.collect(out);

            RecordingWriter.Point heap = out.one("jvm_memory", "area", "heap");
            assertThat(heap.fields()).containsKeys("used", "committed", "max");
            assertThat((Long) heap.fields().get("used")).isPositive();
            assertThat(out.one("jvm_memory", "area", "nonheap").fields()).containsKeys("used", "committed");
            assertThat(out.named("jvm_memory_pool")).hasSize(ManagementFactory.getMemoryPoolMXBeans().size())
                    .allSatisfy(p -> assertThat(p.tags()).containsKeys("pool", "area"));
            assertThat(out.named("jvm_gc")).hasSize(ManagementFactory.getGarbageCollectorMXBeans().size())
                    .allSatisfy(p -> assertThat(p.fields()).containsKeys("count", "time_ms"));
            assertThat(out.one("jvm_buffer_pool", "pool", "direct").fields())
                    .containsKeys("count", "used", "capacity");
            assertThat((Long) out.named("jvm_allocation").get(0).fields().get("bytes")).isPositive();
            assertThat(out.named("process").get(0).fields())
                    .containsEntry("memory_rss", 1728L * 1024)
                    .containsEntry("memory_vms", 3060L * 1024)
                    .containsEntry("memory_rss_peak", 1728L * 1024)
                    .containsEntry("memory_swap", 0L)
                    .containsEntry("num_threads", 1L);
        } finally {
            source.deactivate();
        }
    }

    @Test
    void theProcessFileIsReadAgainEveryCycle(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("self"));
        Path status = root.resolve("self/status");
        Files.writeString(status, "VmRSS:\t 1 kB\n");
        MemorySource source = new MemorySource(config(root.toString(), false));
        try {
            RecordingWriter first = new RecordingWriter();
            source.collect(first);
            Files.writeString(status, "VmRSS:\t 2 kB\nThreads:\t3\n");
            RecordingWriter second = new RecordingWriter();
            source.collect(second);
            assertThat(first.named("process").get(0).fields()).containsOnly(
                    org.assertj.core.api.Assertions.entry("memory_rss", 1024L));
            assertThat(second.named("process").get(0).fields()).containsEntry("memory_rss", 2048L)
                    .containsEntry("num_threads", 3L);
            assertThat(second.named("jvm_memory_pool")).as("pools switched off").isEmpty();
        } finally {
            source.deactivate();
        }
    }

    @Test
    void withoutProcTheProcessPointIsLeftOutAndTheRestStays(@TempDir Path root) {
        MemorySource source = new MemorySource(config(root.resolve("nothing-here").toString(), true));
        try (LogCapture log = new LogCapture()) {
            RecordingWriter out = new RecordingWriter();
            source.collect(out);
            source.collect(out);
            source.collect(out);
            assertThat(out.named("process")).isEmpty();
            assertThat(out.named("jvm_memory")).hasSize(6);
            assertThat(log.text()).containsOnlyOnce("INFO").containsOnlyOnce("self/status cannot be read");
        } finally {
            source.deactivate();
        }
    }

    @Test
    void aNewProcRootIsTakenOnModification(@TempDir Path root) throws IOException {
        MemorySource source = new MemorySource(config(root.resolve("none").toString(), false));
        try {
            RecordingWriter before = new RecordingWriter();
            source.collect(before);
            Files.createDirectories(root.resolve("self"));
            Files.writeString(root.resolve("self/status"), "VmSize:\t 5 kB\n");
            source.modified(config(root.toString(), false));
            RecordingWriter after = new RecordingWriter();
            source.collect(after);
            assertThat(before.named("process")).isEmpty();
            assertThat(after.named("process").get(0).fields()).containsEntry("memory_vms", 5L * 1024);
        } finally {
            source.deactivate();
        }
    }

    @Test
    void theStatusFileStaysOpenWhileActiveAndIsClosedOnDeactivate(@TempDir Path root) throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")));
        Files.createDirectories(root.resolve("self"));
        Files.writeString(root.resolve("self/status"), "VmRSS:\t 1 kB\n");
        Path real = root.toRealPath();
        MemorySource source = new MemorySource(config(root.toString(), false));
        source.collect(new RecordingWriter());
        source.collect(new RecordingWriter());
        assertThat(openFilesUnder(real)).isEqualTo(1);
        source.deactivate();
        assertThat(openFilesUnder(real)).isZero();
    }

    /** How many descriptors of this process point into {@code dir}. */
    static long openFilesUnder(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).startsWith(dir);
                } catch (IOException e) {
                    return false; // the descriptor of the listing itself, or one closed meanwhile
                }
            }).count();
        }
    }
}
