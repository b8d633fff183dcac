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

/**
 * The disk spool on real files: recovery, a file torn at every byte offset, every header field corrupt,
 * the cap, the lock held by a second process, an unwritable directory, a full disk.
 */
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

    /** Five records of different sizes (one of two lines), as the outbox writes them. */
    private static final List<String> BATCHES = List.of("a v=1i\n", "b v=2i\nb v=3i\n", "c,host=x v=4i\n",
            "d v=\"" + "y".repeat(70) + "\"\n", "e v=6i\n");

    /** The lines of the first {@code n} batches of {@link #BATCHES}. */
    private static List<String> linesOf(int n) {
        List<String> out = new ArrayList<>();
        for (String b : BATCHES.subList(0, n)) {
            for (String line : b.split("\n")) {
                out.add(line);
            }
        }
        return out;
    }

    /** Writes {@link #BATCHES} into a fresh spool; returns the offset where each record ends. */
    private long[] writeBatches() throws IOException {
        long[] ends = new long[BATCHES.size()];
        try (DiskSpool s = open(dir)) {
            for (int i = 0; i < BATCHES.size(); i++) {
                append(s, BATCHES.get(i));
                ends[i] = Files.size(segments().get(0));
            }
        }
        assertThat(segments()).as("one segment").hasSize(1);
        return ends;
    }

    /**
     * A file torn at any byte offset (a crash in the middle of a write, or a file copied in half) opens
     * with exactly the records wholly before the tear. A tear inside a record is one spool error
     * (SpoolStore.errors, {@code spool_errors} of the self metrics); a tear between two records is none.
     * The file is cut back to the last good record, so the next append and the next open are clean.
     */
    @Test
    void aMultiRecordFileTornAtEveryByteOffsetKeepsExactlyTheRecordsBeforeTheTear() throws IOException {
        long[] ends = writeBatches();
        Path seg = segments().get(0);
        byte[] whole = Files.readAllBytes(seg);
        assertThat(ends[ends.length - 1]).isEqualTo(whole.length);
        for (int cut = 0; cut <= whole.length; cut++) {
            Files.write(seg, java.util.Arrays.copyOf(whole, cut));
            int before = 0; // records wholly before the tear
            while (before < ends.length && ends[before] <= cut) {
                before++;
            }
            boolean boundary = cut == 0 || (before > 0 && ends[before - 1] == cut);
            long good = before == 0 ? 0 : ends[before - 1];
            AtomicLong now = new AtomicLong();
            SpoolStore s = new SpoolStore(dir, DiskSpool.Sync.NEVER, SEGMENT, FileChannel::open, now::get);
            try {
                assertThat(s.mode()).as("cut at %d", cut).isEqualTo("disk");
                assertThat(contents(s)).as("cut at %d", cut).containsExactlyElementsOf(linesOf(before));
                assertThat(s.batches()).as("cut at %d", cut).isEqualTo(before);
                assertThat(s.replayed()).as("cut at %d", cut).isEqualTo(linesOf(before).size());
                assertThat(s.errors()).as("spool errors, cut at %d", cut).isEqualTo(boundary ? 0 : 1);
                assertThat(Files.size(seg)).as("cut back to the last good record, cut at %d", cut).isEqualTo(good);
                append(s, "z v=9i\n");
            } finally {
                s.close();
            }
            try (DiskSpool reopened = open(dir)) {
                List<String> expected = new ArrayList<>(linesOf(before));
                expected.add("z v=9i");
                assertThat(contents(reopened)).as("after an append at cut %d", cut).containsExactlyElementsOf(expected);
                assertThat(reopened.cuts()).as("after an append at cut %d", cut).isZero();
            }
            Files.delete(seg);
            Files.deleteIfExists(dir.resolve("head"));
        }
    }

    /**
     * Every header field checked at open: a bad magic, a length that is zero, too long for the file or
     * beyond the record limit, a line count of zero, a sequence number not after the one before, and a
     * wrong CRC32C (of length, lines, sequence, time and payload) each cut the record and everything after
     * it in its segment, and count one spool error.
     */
    @Test
    void aCorruptHeaderFieldCutsItsRecordAndEverythingAfterIt() throws IOException {
        long[] ends = writeBatches();
        Path seg = segments().get(0);
        byte[] whole = Files.readAllBytes(seg);
        int third = (int) ends[1]; // the header of the third record
        record Corruption(String what, int offset, java.util.function.IntUnaryOperator change) {
        }
        List<Corruption> corruptions = List.of(
                new Corruption("magic", 0, v -> v ^ 0x01000000),
                new Corruption("length zero", 4, v -> 0),
                new Corruption("length one more", 4, v -> v + 1),
                new Corruption("length one less", 4, v -> v - 1),
                new Corruption("length beyond the file", 4, v -> v + 10_000),
                new Corruption("length beyond the record limit", 4, v -> DiskSpool.MAX_RECORD + 1),
                new Corruption("length negative", 4, v -> -v),
                new Corruption("lines zero", 8, v -> 0),
                new Corruption("lines one more", 8, v -> v + 1),
                new Corruption("sequence number of the record before", 16 /* its low half */, v -> v - 1),
                new Corruption("time", 24 /* its low half */, v -> v + 1),
                new Corruption("crc", 28, v -> ~v));
        for (Corruption c : corruptions) {
            byte[] bytes = whole.clone();
            ByteBuffer b = ByteBuffer.wrap(bytes);
            b.putInt(third + c.offset(), c.change().applyAsInt(b.getInt(third + c.offset())));
            Files.write(seg, bytes);
            AtomicLong now = new AtomicLong();
            SpoolStore s = new SpoolStore(dir, DiskSpool.Sync.NEVER, SEGMENT, FileChannel::open, now::get);
            try {
                assertThat(contents(s)).as(c.what()).containsExactlyElementsOf(linesOf(2));
                assertThat(s.errors()).as(c.what()).isEqualTo(1);
                assertThat(Files.size(seg)).as(c.what()).isEqualTo(third);
            } finally {
                s.close();
            }
        }
        // a record the spool wrote itself, sound but for a sequence number not after the one before it,
        // is not sent a second time
        byte[] withCopy = java.util.Arrays.copyOf(whole, whole.length + third - (int) ends[0]);
        System.arraycopy(whole, (int) ends[0], withCopy, whole.length, third - (int) ends[0]);
        Files.write(seg, withCopy);
        try (DiskSpool s = open(dir)) {
            assertThat(contents(s)).containsExactlyElementsOf(linesOf(BATCHES.size()));
            assertThat(s.cuts()).isEqualTo(1);
        }
    }

    /** A corrupt {@code head} (where delivery stood) sends everything again rather than lose a batch. */
    @Test
    void aCorruptHeadSendsEverythingAgainRatherThanLoseABatch() throws IOException {
        try (DiskSpool s = open(dir)) {
            for (String b : BATCHES) {
                append(s, b);
            }
            s.removeFirst(2);
            append(s, "f v=7i\n"); // writes the head
        }
        byte[] head = Files.readAllBytes(dir.resolve("head"));
        assertThat(ByteBuffer.wrap(head).getLong()).as("the head names the third batch").isEqualTo(2);
        head[3] ^= 0x10;
        Files.write(dir.resolve("head"), head);
        try (DiskSpool s = open(dir)) {
            List<String> all = new ArrayList<>(linesOf(BATCHES.size()));
            all.add("f v=7i");
            assertThat(contents(s)).containsExactlyElementsOf(all);
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

    /**
     * Another process (a second osgimon on the same directory) holds the spool: this one gets a clear
     * error, keeps its batches in memory and touches no file of the other's; once the other is gone
     * (here: killed with SIGKILL, so no close runs and the operating system drops its lock) the spool is
     * taken over with the other's batches first, then the ones kept in memory.
     */
    @Test
    void aSpoolHeldByAnotherProcessIsLeftAloneUntilThatProcessIsGone() throws Exception {
        Process other = holder(dir);
        try {
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.sorted().toList();
            }
            java.util.Map<Path, byte[]> before = new java.util.HashMap<>();
            for (Path f : files) {
                before.put(f, Files.readAllBytes(f));
            }
            assertThatThrownBy(() -> open(dir)).isInstanceOf(DiskSpool.LockedException.class)
                    .hasMessageContaining("in use by another osgimon");
            AtomicLong now = new AtomicLong();
            SpoolStore s = new SpoolStore(dir, DiskSpool.Sync.BATCH, SEGMENT, FileChannel::open, now::get);
            try {
                assertThat(s.mode()).isEqualTo("memory");
                assertThat(s.errors()).isEqualTo(1);
                assertThat(s.lastError()).contains("in use by another osgimon");
                append(s, "mine v=1i\n");
                now.addAndGet(java.util.concurrent.TimeUnit.SECONDS.toNanos(SpoolStore.RETRY_SECONDS));
                append(s, "mine v=2i\n"); // tries the spool again: still held
                assertThat(s.mode()).isEqualTo("memory");
                assertThat(contents(s)).containsExactly("mine v=1i", "mine v=2i");
                try (Stream<Path> after = Files.list(dir)) {
                    assertThat(after.sorted().toList()).as("no file added or removed").isEqualTo(files);
                }
                for (Path f : files) {
                    assertThat(Files.readAllBytes(f)).as("%s untouched", f.getFileName()).isEqualTo(before.get(f));
                }

                other.destroyForcibly();
                assertThat(other.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                now.addAndGet(java.util.concurrent.TimeUnit.SECONDS.toNanos(SpoolStore.RETRY_SECONDS));
                append(s, "mine v=3i\n");
                assertThat(s.mode()).as("taken over once the other is gone").isEqualTo("disk");
                assertThat(contents(s)).containsExactly("other v=1i", "other v=2i", "mine v=1i", "mine v=2i",
                        "mine v=3i");
            } finally {
                s.close();
            }
            try (DiskSpool reopened = open(dir)) {
                assertThat(contents(reopened)).containsExactly("other v=1i", "other v=2i", "mine v=1i", "mine v=2i",
                        "mine v=3i");
                assertThat(reopened.cuts()).isZero();
            }
        } finally {
            other.destroyForcibly();
            other.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /**
     * Starts a second JVM on the test class path that opens the spool in {@code dir}, appends two batches
     * and holds it until killed; returns once it says so.
     */
    private static Process holder(Path dir) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                HoldSpool.class.getName(), dir.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        java.io.BufferedReader out = new java.io.BufferedReader(
                new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder said = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            said.append(line).append('\n');
            if (line.equals("holding")) {
                return p;
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("the second process did not take the spool:\n" + said);
    }

    /** The second process of {@link #aSpoolHeldByAnotherProcessIsLeftAloneUntilThatProcessIsGone()}. */
    static final class HoldSpool {
        public static void main(String[] args) throws Exception {
            DiskSpool s = open(Path.of(args[0]));
            append(s, "other v=1i\n");
            append(s, "other v=2i\n");
            System.out.println("holding");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE); // until killed: the lock goes with the process
        }
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
