package dev.osgimon.web.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemtraceTest {

    @TempDir
    Path dir;

    @Test
    void aRecordingRanksSitesAndBundlesAndItsFileIsDeletedOnClose() {
        Memtrace m = new Memtrace(dir, () -> c -> c.startsWith("dev.osgimon.web.") ? "dev.osgimon.web" : null);
        try {
            m.start(1);
            assertThatThrownBy(() -> m.start(1)).isInstanceOf(IllegalStateException.class);
            List<byte[]> keep = new ArrayList<>();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (int i = 0; i < 2000; i++) {
                    keep.add(new byte[1024]);
                }
                keep.clear();
                return !m.status().recording();
            });
            Memtrace.Status s = m.status();
            assertThat(s.error()).isNull();
            assertThat(s.fileReady()).isTrue();
            assertThat(s.result().sites()).isNotEmpty().hasSizeLessThanOrEqualTo(20);
            assertThat(s.result().bundles()).extracting(Memtrace.Row::name).contains("dev.osgimon.web");
            assertThat(Files.exists(m.file())).isTrue();
        } finally {
            m.close();
        }
        assertThat(dir).isEmptyDirectory();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("osgimon-web-memtrace")));
    }

    @Test
    void aBadDurationIsRefused() {
        try (Memtrace m = new Memtrace(dir, () -> c -> null)) {
            assertThatThrownBy(() -> m.start(0)).hasMessageContaining("seconds");
            assertThatThrownBy(() -> m.start(301)).hasMessageContaining("seconds");
            assertThat(m.status().recording()).isFalse();
        }
    }
}
