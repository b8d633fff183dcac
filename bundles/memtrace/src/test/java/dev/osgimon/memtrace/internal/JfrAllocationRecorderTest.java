package dev.osgimon.memtrace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.osgimon.memtrace.AllocationRecording;
import dev.osgimon.memtrace.AllocationRecording.State;
import jdk.jfr.consumer.RecordingFile;

class JfrAllocationRecorderTest {

    @TempDir
    Path dir;

    private static void allocateUntil(AllocationRecording r) {
        List<byte[]> keep = new ArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (int i = 0; i < 2000; i++) {
                keep.add(new byte[1024]);
            }
            keep.clear();
            return r.state() != State.RECORDING;
        });
    }

    @Test
    void aRecordingRanksSitesAndBundlesAndItsFileIsAValidJfrDeletedOnClose() throws Exception {
        JfrAllocationRecorder recorder = new JfrAllocationRecorder(dir,
                () -> c -> c.startsWith("dev.osgimon.memtrace.") ? "dev.osgimon.memtrace" : null);
        try {
            AllocationRecording r = recorder.start(Duration.ofSeconds(1), "test");
            assertSame(r, recorder.last().orElseThrow());
            assertThrows(IllegalStateException.class, () -> recorder.start(Duration.ofSeconds(1), "test"));
            assertThrows(IllegalStateException.class, r::summary);
            allocateUntil(r);
            assertEquals(State.DONE, r.state(), r.error());
            AllocationRecording.Summary s = r.summary();
            assertTrue(s.samples() > 0);
            assertFalse(s.sites().isEmpty());
            assertTrue(s.sites().size() <= AllocationRanking.TOP);
            assertTrue(s.bundles().stream().anyMatch(b -> b.name().equals("dev.osgimon.memtrace")), s.bundles().toString());
            AllocationRecording.Ranked top = s.sites().get(0);
            assertEquals("[B", top.name(), "the loop's byte arrays are the top site: " + s.sites());
            assertTrue(top.frame().startsWith(getClass().getName() + ".lambda$allocateUntil"), top.frame());
            assertTrue(s.sites().stream().mapToLong(AllocationRecording.Ranked::bytes).sum() <= s.bytes());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long n = r.writeTo(out);
            assertEquals(out.size(), n);
            Path copy = Files.createTempFile("copy", ".jfr");
            try {
                Files.write(copy, out.toByteArray());
                assertTrue(RecordingFile.readAllEvents(copy).stream()
                        .anyMatch(e -> e.getEventType().getName().equals("jdk.ObjectAllocationSample")));
            } finally {
                Files.delete(copy);
            }
            assertEquals(1, files());
        } finally {
            recorder.close();
        }
        assertEquals(0, files(), "the file is deleted on close");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals(JfrAllocationRecorder.THREAD)));
    }

    @Test
    void aNewRecordingDiscardsTheFileOfThePreviousOne() throws Exception {
        try (JfrAllocationRecorder recorder = new JfrAllocationRecorder(dir, () -> c -> null)) {
            AllocationRecording first = recorder.start(Duration.ofSeconds(1), "test");
            allocateUntil(first);
            assertEquals(State.DONE, first.state());
            AllocationRecording second = recorder.start(Duration.ofSeconds(1), "test");
            assertEquals(State.DISCARDED, first.state());
            assertThrows(IllegalStateException.class, () -> first.writeTo(new ByteArrayOutputStream()));
            assertEquals(0, files());
            allocateUntil(second);
            assertEquals(1, files());
        }
    }

    @Test
    void closingStopsARunningRecordingAndRefusesNewOnes() throws Exception {
        JfrAllocationRecorder recorder = new JfrAllocationRecorder(dir, () -> c -> null);
        AllocationRecording r = recorder.start(Duration.ofSeconds(60), "test");
        recorder.close();
        assertEquals(State.DISCARDED, r.state());
        assertThrows(IllegalStateException.class, () -> recorder.start(Duration.ofSeconds(1), "test"));
        assertEquals(0, files());
    }

    @Test
    void aBadDurationIsRefusedAndStartsNothing() {
        try (JfrAllocationRecorder recorder = new JfrAllocationRecorder(dir, () -> c -> null)) {
            for (Duration d : new Duration[] {Duration.ZERO, Duration.ofSeconds(301), Duration.ofMillis(1500), null}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> recorder.start(d, "test"));
                assertTrue(e.getMessage().contains("duration"));
            }
            assertTrue(recorder.last().isEmpty());
        }
    }

    private long files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}
