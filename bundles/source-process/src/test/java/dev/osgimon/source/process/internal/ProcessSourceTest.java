package dev.osgimon.source.process.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.osgimon.testing.LogCapture;
import dev.osgimon.testing.DeclarationCheck;
import dev.osgimon.testing.RecordingWriter;

class ProcessSourceTest {

    static ProcessConfig config(String procRoot, int clockTicks) {
        return config(procRoot, clockTicks, true);
    }

    static ProcessConfig config(String procRoot, int clockTicks, boolean contextSwitches) {
        return config(procRoot, clockTicks, contextSwitches, 0);
    }

    static ProcessConfig config(String procRoot, int clockTicks, boolean contextSwitches, int switchesSeconds) {
        return new ProcessConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return ProcessConfig.class;
            }

            @Override
            public String procRoot() {
                return procRoot;
            }

            @Override
            public int clockTicks() {
                return clockTicks;
            }

            @Override
            public boolean contextSwitches() {
                return contextSwitches;
            }

            @Override
            public int contextSwitchesSeconds() {
                return switchesSeconds;
            }
        };
    }

    /** A stat line whose command holds spaces and a parenthesis; utime 250, stime 50 ticks. */
    static String stat(long utime, long stime) {
        return "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 " + utime + " " + stime
                + " 0 0 20 0 37 0 1000 3000000 400 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
    }

    static Path fakeProc(Path root, long utime, long stime) throws IOException {
        Files.createDirectories(root.resolve("self"));
        Files.writeString(root.resolve("self/stat"), stat(utime, stime));
        Files.copy(ProcessSourceTest.class.getResourceAsStream("/proc/status-linux.txt"), root.resolve("self/status"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(root.resolve("loadavg"), "0.52 1.58 2.50 1/889 12345\n");
        for (int tid : new int[] {4242, 4243}) {
            Files.createDirectories(root.resolve("self/task/" + tid));
            Files.writeString(root.resolve("self/task/" + tid + "/status"), "Name:\tjava\nvoluntary_ctxt_switches:\t"
                    + tid + "\nnonvoluntary_ctxt_switches:\t" + (tid - 4240) + "\n");
        }
        return root;
    }

    @Test
    void writesCpuThreadsMemoryAndLoadFromProc(@TempDir Path root) throws IOException {
        fakeProc(root, 250, 50);
        AtomicLong nanos = new AtomicLong(1_000_000_000L);
        ProcessSource source = new ProcessSource(config(root.toString(), 100), nanos::get);
        try {
            RecordingWriter first = new RecordingWriter();
            source.collect(first);
            // two seconds later the process has used 0.5 s more user and 0.5 s more system time: 50% of a core
            Files.writeString(root.resolve("self/stat"), stat(300, 100));
            nanos.addAndGet(2_000_000_000L);
            RecordingWriter second = new RecordingWriter();
            source.collect(second);

            RecordingWriter.Point p1 = first.named("process").get(0);
            assertThat(p1.fields()).containsEntry("cpu_user_s", 2.5).containsEntry("cpu_system_s", 0.5)
                    .containsEntry("memory_rss", 1728L * 1024).containsEntry("memory_vms", 3060L * 1024)
                    .containsEntry("memory_rss_peak", 1728L * 1024).containsEntry("memory_swap", 0L)
                    .containsEntry("ctx_switches_voluntary", 4242L + 4243).containsEntry("ctx_switches_involuntary", 2L + 3)
                    .containsKeys("threads", "threads_daemon", "threads_peak", "uptime_s")
                    .doesNotContainKey("cpu_usage");
            assertThat((Long) p1.fields().get("threads")).isPositive();
            assertThat(second.named("process").get(0).fields()).containsEntry("cpu_usage", 50.0)
                    .containsEntry("cpu_user_s", 3.0).containsEntry("cpu_system_s", 1.0);
            assertThat(first.named("system_load").get(0).fields()).containsEntry("load1", 0.52)
                    .containsEntry("load5", 1.58).containsEntry("load15", 2.5)
                    .containsEntry("cpus", (long) Runtime.getRuntime().availableProcessors());
            DeclarationCheck.assertAgree(source, first, second);
        } finally {
            source.deactivate();
        }
    }

    @Test
    void contextSwitchesAreSummedOverTheThreadsAndAThreadThatEndedIsSkipped(@TempDir Path root) throws IOException {
        fakeProc(root, 1, 1);
        Files.writeString(root.resolve("self/status"), "VmRSS:\t 2 kB\nvoluntary_ctxt_switches:\t1\n");
        Files.createDirectories(root.resolve("self/task/4244")); // gone: no status file
        ProcessSource source = new ProcessSource(config(root.toString(), 100));
        try {
            RecordingWriter out = new RecordingWriter();
            source.collect(out);
            assertThat(out.named("process").get(0).fields()).contains(entry("ctx_switches_voluntary", 4242L + 4243),
                    entry("ctx_switches_involuntary", 5L), entry("memory_rss", 2048L)).doesNotContainKey("memory_vms");
        } finally {
            source.deactivate();
        }
    }

    @Test
    void contextSwitchesAreReadAgainOnlyOnceTheirIntervalHasPassedAndTheLastSumsAreWrittenMeanwhile(@TempDir Path root)
            throws IOException {
        fakeProc(root, 1, 1);
        AtomicLong nanos = new AtomicLong(5_000_000_000L);
        ProcessSource source = new ProcessSource(config(root.toString(), 100, true, 60), nanos::get);
        try {
            RecordingWriter first = new RecordingWriter();
            source.collect(first);
            assertThat(first.named("process").get(0).fields()).containsEntry("ctx_switches_voluntary", 4242L + 4243);
            // a thread switches 100 more times; 10 s later the sum written is still the last one read
            Files.writeString(root.resolve("self/task/4242/status"),
                    "voluntary_ctxt_switches:\t4342\nnonvoluntary_ctxt_switches:\t2\n");
            nanos.addAndGet(10_000_000_000L);
            RecordingWriter second = new RecordingWriter();
            source.collect(second);
            assertThat(second.named("process").get(0).fields()).containsEntry("ctx_switches_voluntary", 4242L + 4243);
            // 60 s after the read, the files are read again
            nanos.addAndGet(50_000_000_000L);
            RecordingWriter third = new RecordingWriter();
            source.collect(third);
            assertThat(third.named("process").get(0).fields()).containsEntry("ctx_switches_voluntary", 4342L + 4243);
        } finally {
            source.deactivate();
        }
    }

    @Test
    void theProcessorCountIsReadAgainAtMostOnceAMinuteAndTheLastCountIsWrittenMeanwhile(@TempDir Path root)
            throws IOException {
        fakeProc(root, 1, 1);
        AtomicLong nanos = new AtomicLong(5_000_000_000L);
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger count = new AtomicInteger(4);
        ProcessSource source = new ProcessSource(config(root.toString(), 100, false), nanos::get, () -> {
            reads.incrementAndGet();
            return count.get();
        });
        try {
            RecordingWriter first = new RecordingWriter();
            source.collect(first);
            assertThat(first.named("system_load").get(0).fields()).containsEntry("cpus", 4L);
            count.set(2); // the container's quota shrinks
            nanos.addAndGet(59_000_000_000L);
            RecordingWriter second = new RecordingWriter();
            source.collect(second);
            assertThat(second.named("system_load").get(0).fields()).containsEntry("cpus", 4L);
            assertThat(reads).hasValue(1);
            nanos.addAndGet(1_000_000_000L);
            RecordingWriter third = new RecordingWriter();
            source.collect(third);
            assertThat(third.named("system_load").get(0).fields()).containsEntry("cpus", 2L);
            assertThat(reads).hasValue(2);
        } finally {
            source.deactivate();
        }
    }

    @Test
    void aNegativeContextSwitchesIntervalIsRefused(@TempDir Path root) throws IOException {
        fakeProc(root, 1, 1);
        assertThatThrownBy(() -> new ProcessSource(config(root.toString(), 100, true, -1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("contextSwitchesSeconds");
    }

    @Test
    void contextSwitchesCanBeLeftOut(@TempDir Path root) throws IOException {
        fakeProc(root, 1, 1);
        ProcessSource source = new ProcessSource(config(root.toString(), 100, false));
        try {
            RecordingWriter out = new RecordingWriter();
            source.collect(out);
            assertThat(out.named("process").get(0).fields()).containsKey("memory_rss")
                    .doesNotContainKeys("ctx_switches_voluntary", "ctx_switches_involuntary");
        } finally {
            source.deactivate();
        }
    }

    @Test
    void withoutProcTheJvmPartStaysAndItIsLoggedOnce(@TempDir Path root) {
        ProcessSource source = new ProcessSource(config(root.resolve("nothing-here").toString(), 100));
        try (LogCapture log = new LogCapture()) {
            RecordingWriter out = new RecordingWriter();
            source.collect(out);
            source.collect(out);
            assertThat(out.named("process")).hasSize(2).allSatisfy(p -> assertThat(p.fields())
                    .containsKeys("threads", "uptime_s").doesNotContainKeys("cpu_user_s", "memory_rss"));
            assertThat(out.named("system_load").get(0).fields()).containsKey("cpus").doesNotContainKeys("load5", "load15");
            assertThat(log.text()).containsOnlyOnce("cannot be read");
        } finally {
            source.deactivate();
        }
    }

    @Test
    void aBadClockTicksIsRefusedAndChangesNothing(@TempDir Path root) throws IOException {
        fakeProc(root, 100, 0);
        ProcessSource source = new ProcessSource(config(root.toString(), 100));
        try {
            assertThatThrownBy(() -> source.modified(config("/elsewhere", 0)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clockTicks");
            RecordingWriter out = new RecordingWriter();
            source.collect(out);
            assertThat(out.named("process").get(0).fields()).containsEntry("cpu_user_s", 1.0);
        } finally {
            source.deactivate();
        }
    }

    @Test
    void theProcFilesStayOpenWhileActiveAndAreClosedOnDeactivate(@TempDir Path root) throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")));
        fakeProc(root, 1, 1);
        Path real = root.toRealPath();
        ProcessSource source = new ProcessSource(config(root.toString(), 100));
        source.collect(new RecordingWriter());
        source.collect(new RecordingWriter());
        assertThat(openFilesUnder(real)).isEqualTo(3);
        source.deactivate();
        assertThat(openFilesUnder(real)).isZero();
    }

    @Test
    void theRealProcOfThisJvmGivesPlausibleValues() {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/stat")));
        ProcessSource source = new ProcessSource(config("/proc", 100));
        try {
            RecordingWriter out = new RecordingWriter();
            source.collect(out);
            assertThat(out.named("process").get(0).fields()).containsKeys("cpu_user_s", "open_fds", "max_fds");
            assertThat((Long) out.named("process").get(0).fields().get("ctx_switches_voluntary"))
                    .as("summed over the threads, not the main thread's few").isGreaterThan(10);
            assertThat((Long) out.named("process").get(0).fields().get("memory_rss")).isGreaterThan(1 << 20);
            assertThat(out.named("system_load").get(0).fields()).containsKeys("load1", "load5", "load15");
        } finally {
            source.deactivate();
        }
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
