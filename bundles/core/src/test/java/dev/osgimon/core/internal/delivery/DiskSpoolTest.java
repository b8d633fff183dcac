package dev.osgimon.core.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The disk spool on real files: recovery, torn tails, cap, lock, unwritable directory, full disk. */
class DiskSpoolTest {

    private static final long SEGMENT = 16 * 1024;

    @TempDir
    Path dir;

    private static DiskSpool open(Path dir) throws IOException {
        return DiskSpool.open(dir, DiskSpool.Sync.NEVER, SEGMENT, FileChannel::open);
    }

    private static void append(BatchStore s, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        s.append(b, 0, b.length, (int) text.chars().filter(c -> c == '\n').count(), 1000);
    }

    /** Every batch held, oldest first, as text; removes nothing. */
    private static List<String> contents(BatchStore s) throws IOException {
        List<String> out = new ArrayList<>();
        Chunk c = new Chunk(16);
        s.peek(c, Integer.MAX_VALUE, Integer.MAX_VALUE);
        int at = 0;
        String all = new String(c.bytes, 0, c.length, StandardCharsets.UTF_8);
        for (String line : all.split("\n")) {
            if (!line.isEmpty()) {
                out.add(line);
            }
            at++;
        }
        return out;
    }

    @Test
    void batchesSurviveAReopenAndDeliveredOnesAreNotSentAgain() throws IOException {
        try (DiskSpool s = open(dir)) {
            for (int i = 0; i < 5; i++) {
                append(s, "m v=" + i + "i\n");
            }
            assertThat(s.removeFirst(2)).isEqualTo(2);
        }
        try (DiskSpool s = open(dir)) {
            assertThat(s.recoveredLines()).isEqualTo(3);
            assertThat(contents(s)).containsExactly("m v=2i", "m v=3i", "m v=4i");
            append(s, "m v=5i\n");
            assertThat(contents(s)).containsExactly("m v=2i", "m v=3i", "m v=4i", "m v=5i");
        }
    }

    @Test
    void deliveredSegmentsAreDeletedSoDiskUseGoesBackToZero() throws IOException {
        String line = "m,host=a field=\"" + "x".repeat(1000) + "\" 1\n";
        try (DiskSpool s = open(dir)) {
            for (int i = 0; i < 100; i++) {
                append(s, line);
            }
            assertThat(segments()).hasSizeGreaterThan(3);
            s.removeFirst(100);
            assertThat(s.bytes()).isZero();
            assertThat(segments()).hasSizeLessThanOrEqualTo(1);
            assertThat(spoolBytes()).isZero();
        }
    }

    @Test
    void aTornTailIsCutAtEveryByteOffsetAndTheNextAppendWorks() throws IOException {
        try (DiskSpool s = open(dir)) {
            append(s, "a v=1i\n");
            append(s, "b v=2i\nb v=3i\n");
            append(s, "c v=4i\n");
        }
        Path seg = segments().get(0);
        byte[] whole = Files.readAllBytes(seg);
        int lastRecord = DiskSpool.HEADER + "c v=4i\n".length();
        int lastStart = whole.length - lastRecord;
        for (int cut = lastStart; cut < whole.length; cut++) {
            Files.write(seg, java.util.Arrays.copyOf(whole, cut));
            try (DiskSpool s = open(dir)) {
                assertThat(contents(s)).as("cut at %d", cut).containsExactly("a v=1i", "b v=2i", "b v=3i");
                assertThat(s.cuts()).as("cut at %d", cut).isEqualTo(cut == lastStart ? 0 : 1);
                append(s, "d v=5i\n");
            }
            try (DiskSpool s = open(dir)) {
                assertThat(contents(s)).as("after an append at cut %d", cut)
                        .containsExactly("a v=1i", "b v=2i", "b v=3i", "d v=5i");
                assertThat(s.cuts()).isZero();
            }
        }
    }

    @Test
    void aCorruptRecordIsCutWithEverythingAfterItInItsSegment() throws IOException {
        try (DiskSpool s = open(dir)) {
            append(s, "a v=1i\n");
            append(s, "b v=2i\n");
            append(s, "c v=3i\n");
        }
        Path seg = segments().get(0);
        byte[] bytes = Files.readAllBytes(seg);
        int second = DiskSpool.HEADER + "a v=1i\n".length();
        bytes[second + DiskSpool.HEADER + 2] ^= 0x20; // flip a payload bit of the second record
        Files.write(seg, bytes);
        try (DiskSpool s = open(dir)) {
            assertThat(contents(s)).containsExactly("a v=1i");
            assertThat(s.cuts()).isEqualTo(1);
        }
    }

    @Test
    void aSecondOpenOfTheSameDirectoryGetsAClearError() throws IOException {
        try (DiskSpool s = open(dir)) {
            assertThatThrownBy(() -> open(dir)).isInstanceOf(DiskSpool.LockedException.class)
                    .hasMessageContaining("in use by another osgimon");
        }
        open(dir).close(); // free again once closed
    }

    @Test
    void aLockedDirectoryFallsBackToMemoryAndLosesNothing() throws IOException {
        try (DiskSpool first = open(dir)) {
            AtomicLong now = new AtomicLong();
            SpoolStore s = new SpoolStore(dir, DiskSpool.Sync.NEVER, SEGMENT, FileChannel::open, now::get);
            assertThat(s.mode()).isEqualTo("memory");
            assertThat(s.errors()).isEqualTo(1);
            assertThat(s.lastError()).contains("in use");
            append(s, "m v=1i\n");
            assertThat(contents(s)).containsExactly("m v=1i");
            s.close();
        }
    }

    @Test
    void anUnwritableDirectoryFallsBackToMemoryAndResumesOnDiskOnceItWorks() throws IOException {
        Path file = dir.resolve("not-a-dir");
        Files.writeString(file, "x");
        Path spool = file.resolve("spool"); // under a regular file: cannot be created (even as root)
        AtomicLong now = new AtomicLong();
        SpoolStore s = new SpoolStore(spool, DiskSpool.Sync.NEVER, SEGMENT, FileChannel::open, now::get);
        assertThat(s.mode()).isEqualTo("memory");
        assertThat(s.errors()).isEqualTo(1);
        append(s, "m v=1i\n");
        append(s, "m v=2i\n");
        assertThat(s.errors()).as("one error, not one per batch").isEqualTo(1);

        Files.delete(file); // the directory can be made now
        now.addAndGet(java.util.concurrent.TimeUnit.SECONDS.toNanos(SpoolStore.RETRY_SECONDS));
        append(s, "m v=3i\n");
        assertThat(s.mode()).isEqualTo("disk");
        assertThat(contents(s)).containsExactly("m v=1i", "m v=2i", "m v=3i");
        s.close();
        try (DiskSpool reopened = open(spool)) {
            assertThat(contents(reopened)).as("the memory batches moved onto the disk, in order")
                    .containsExactly("m v=1i", "m v=2i", "m v=3i");
        }
    }

    @Test
    void aFullDiskFallsBackToMemoryKeepsTheOrderAndResumes() throws IOException {
        AtomicBoolean full = new AtomicBoolean();
        DiskSpool.Opener failing = (path, options) -> new FailingChannel(FileChannel.open(path, options), full);
        AtomicLong now = new AtomicLong();
        SpoolStore s = new SpoolStore(dir, DiskSpool.Sync.BATCH, SEGMENT, failing, now::get);
        append(s, "m v=1i\n");
        full.set(true);
        append(s, "m v=2i\n");
        append(s, "m v=3i\n");
        assertThat(s.mode()).isEqualTo("memory");
        assertThat(s.errors()).isEqualTo(1);
        assertThat(s.lastError()).contains("No space left");
        assertThat(contents(s)).containsExactly("m v=1i", "m v=2i", "m v=3i");
        assertThat(s.removeFirst(1)).isEqualTo(1); // delivered while the disk is full

        full.set(false);
        now.addAndGet(java.util.concurrent.TimeUnit.SECONDS.toNanos(SpoolStore.RETRY_SECONDS));
        append(s, "m v=4i\n");
        assertThat(s.mode()).isEqualTo("disk");
        assertThat(contents(s)).containsExactly("m v=2i", "m v=3i", "m v=4i");
        s.close();
        try (DiskSpool reopened = open(dir)) {
            assertThat(contents(reopened)).containsExactly("m v=2i", "m v=3i", "m v=4i");
        }
    }

    @Test
    void theOutboxCapDropsTheOldestWholeBatchesOnDiskAndCountsThem() throws Exception {
        try (Outbox o = new Outbox("test-outbox", 1_000_000, 65_536, 10, 100)) {
            o.useStore(dir, () -> new SpoolStore(dir, DiskSpool.Sync.NEVER, SEGMENT, FileChannel::open,
                    System::nanoTime));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> o.status().buffer().equals("disk"));
            byte[] batch = ("m v=1i\n".repeat(100)).getBytes(StandardCharsets.UTF_8); // 700 bytes + header
            for (int i = 0; i < 200; i++) {
                o.append(batch, 0, batch.length, 100);
            }
            var st = o.status();
            assertThat(st.bytesBuffered()).isLessThanOrEqualTo(65_536);
            assertThat(st.linesDropped() + st.linesBuffered()).as("every line buffered or counted").isEqualTo(20_000);
            assertThat(st.linesDropped() % 100).as("whole batches").isZero();
            assertThat(spoolBytes()).isLessThanOrEqualTo(65_536 + SEGMENT);
        }
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }

    private long spoolBytes() throws IOException {
        long n = 0;
        for (Path p : segments()) {
            n += Files.size(p);
        }
        return n;
    }

    /** A file channel whose writes fail like a full disk while {@code full} is set. */
    static final class FailingChannel extends FileChannel {
        private final FileChannel d;
        private final AtomicBoolean full;

        FailingChannel(FileChannel d, AtomicBoolean full) {
            this.d = d;
            this.full = full;
        }

        private void check() throws IOException {
            if (full.get()) {
                throw new IOException("No space left on device");
            }
        }

        @Override public int read(ByteBuffer dst) throws IOException { return d.read(dst); }
        @Override public long read(ByteBuffer[] dsts, int offset, int length) throws IOException { return d.read(dsts, offset, length); }
        @Override public int write(ByteBuffer src) throws IOException { check(); return d.write(src); }
        @Override public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            check();
            return d.write(srcs, offset, length);
        }
        @Override public long position() throws IOException { return d.position(); }
        @Override public FileChannel position(long p) throws IOException { d.position(p); return this; }
        @Override public long size() throws IOException { return d.size(); }
        @Override public FileChannel truncate(long size) throws IOException { d.truncate(size); return this; }
        @Override public void force(boolean metaData) throws IOException { check(); d.force(metaData); }
        @Override public long transferTo(long p, long c, WritableByteChannel t) throws IOException { return d.transferTo(p, c, t); }
        @Override public long transferFrom(ReadableByteChannel s, long p, long c) throws IOException { check(); return d.transferFrom(s, p, c); }
        @Override public int read(ByteBuffer dst, long p) throws IOException { return d.read(dst, p); }
        @Override public int write(ByteBuffer src, long p) throws IOException { check(); return d.write(src, p); }
        @Override public MappedByteBuffer map(MapMode m, long p, long s) throws IOException { return d.map(m, p, s); }
        @Override public FileLock lock(long p, long s, boolean sh) throws IOException { return d.lock(p, s, sh); }
        @Override public FileLock tryLock(long p, long s, boolean sh) throws IOException { return d.tryLock(p, s, sh); }
        @Override protected void implCloseChannel() throws IOException { d.close(); }
    }
}
