package dev.osgimon.source.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.osgimon.testing.DeclarationCheck;
import dev.osgimon.testing.RecordingWriter;
import dev.osgimon.testing.LogCapture;

class NetSourceTest {

    static NetConfig config(String procRoot, String[] interfaces, boolean protocolStats) {
        return new NetConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return NetConfig.class;
            }

            @Override
            public String procRoot() {
                return procRoot;
            }

            @Override
            public String[] interfaces() {
                return interfaces;
            }

            @Override
            public boolean protocolStats() {
                return protocolStats;
            }
        };
    }

    static void copy(String resource, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.write(to, NetDevTest.resource(resource));
    }

    @Test
    void writesOnePointPerInterfaceAndOneForAll(@TempDir Path root) throws IOException {
        copy("dev-linux.txt", root.resolve("net/dev"));
        copy("snmp-linux.txt", root.resolve("net/snmp"));
        NetSource source = new NetSource(config(root.toString(), new String[0], true));
        try {
            RecordingWriter out = new RecordingWriter();
            source.collect(out);
            assertThat(out.named("net")).extracting(p -> p.tags().get("interface"))
                    .containsExactly("ifb0", "ifb1", "eth0", "all");
            assertThat(out.one("net", "interface", "eth0").fields()).containsEntry("bytes_recv", 81316749L)
                    .hasSize(8);
            assertThat(out.one("net", "interface", "all").fields()).containsEntry("tcp_activeopens", 117L)
                    .containsEntry("udp_indatagrams", 68L);
            DeclarationCheck.assertAgree(source, out);
        } finally {
            source.deactivate();
        }
    }

    @Test
    void followsTheFilesFromCycleToCycle(@TempDir Path root) throws IOException {
        Path dev = root.resolve("net/dev");
        copy("dev-cycle1.txt", dev);
        NetSource source = new NetSource(config(root.toString(), new String[] {"eth0"}, false));
        try {
            source.collect(new RecordingWriter());
            copy("dev-cycle2.txt", dev);
            RecordingWriter out = new RecordingWriter();
            source.collect(out);
            assertThat(out.points()).hasSize(1);
            assertThat(out.one("net", "interface", "eth0").fields()).containsEntry("bytes_recv", 4294967496L);
        } finally {
            source.deactivate();
        }
    }

    @Test
    void withoutProcItReportsNothingAndSaysSoOnceAtInfo(@TempDir Path root) {
        NetSource source = new NetSource(config(root.resolve("absent").toString(), new String[0], true));
        try (LogCapture log = new LogCapture()) {
            RecordingWriter out = new RecordingWriter();
            source.collect(out);
            source.collect(out);
            source.collect(out);
            assertThat(out.points()).isEmpty();
            assertThat(log.text().split("INFO", -1)).hasSize(3);
            assertThat(log.text()).containsOnlyOnce("net/dev cannot be read")
                    .containsOnlyOnce("net/snmp cannot be read");
        } finally {
            source.deactivate();
        }
    }

    @Test
    void aModifiedConfigurationIsTakenAtOnce(@TempDir Path root) throws IOException {
        copy("dev-linux.txt", root.resolve("net/dev"));
        NetSource source = new NetSource(config(root.toString(), new String[0], true));
        try {
            source.modified(config(root.toString(), new String[] {"lo"}, false));
            RecordingWriter out = new RecordingWriter();
            source.collect(out);
            assertThat(out.named("net")).extracting(p -> p.tags().get("interface")).containsExactly("lo");
        } finally {
            source.deactivate();
        }
    }

    @Test
    void realProcWhereThereIsOne() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/net/dev")));
        NetSource source = new NetSource(config("/proc", new String[] {"*"}, true));
        try {
            RecordingWriter out = new RecordingWriter();
            source.collect(out);
            assertThat(out.one("net", "interface", "lo").fields()).containsKeys("bytes_recv", "bytes_sent");
            assertThat(out.one("net", "interface", "all").fields()).containsKey("tcp_currestab");
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

    @Test
    void theProcFilesStayOpenWhileActiveAndAreClosedOnDeactivate(@TempDir Path root) throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")));
        copy("dev-linux.txt", root.resolve("net/dev"));
        copy("snmp-linux.txt", root.resolve("net/snmp"));
        Path real = root.toRealPath();
        NetSource source = new NetSource(config(root.toString(), new String[0], true));
        source.collect(new RecordingWriter());
        source.collect(new RecordingWriter());
        assertThat(openFilesUnder(real)).as("one descriptor per file, kept across cycles").isEqualTo(2);
        source.modified(config(root.toString(), new String[0], true));
        source.collect(new RecordingWriter());
        assertThat(openFilesUnder(real)).as("the old configuration's files are closed").isEqualTo(2);
        source.deactivate();
        assertThat(openFilesUnder(real)).isZero();
    }
}
