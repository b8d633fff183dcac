package dev.osgimon.core.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.osgimon.api.transport.LineWriter;
import dev.osgimon.api.transport.WriteResult;

/**
 * When the disk spool's segment files are forced to the device, and by which thread: never by the
 * thread that appends (the collector), but by the outbox's sender thread, outside the outbox lock.
 */
class SpoolSyncTest {

    private static final long SEGMENT = 16 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String SENDER = "test-outbox-sync";

    @TempDir
    Path dir;

    /** The threads that called {@code force} on a segment file, in order. */
    private final List<String> forcedBy = new CopyOnWriteArrayList<>();
    /** While not counted down, a force by the sender thread stays inside {@code force}. */
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final CountDownLatch senderInForce = new CountDownLatch(1);
    /** While set, every force fails like a device error. */
    private volatile boolean forceFails;

    private final DiskSpool.Opener recording = (path, options) -> {
        FileChannel ch = FileChannel.open(path, options);
        return path.getFileName().toString().endsWith(".seg") ? new ForceRecording(ch) : ch;
    };

    private static byte[] batch(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private Outbox outbox(DiskSpool.Sync sync) {
        Outbox o = new Outbox(SENDER, 1_000_000, 1 << 20, 10, 100);
        o.useStore(dir, () -> new SpoolStore(dir, sync, SEGMENT, recording, System::nanoTime));
        Awaitility.await().atMost(WAIT).until(() -> o.status().buffer().equals("disk"));
        return o;
    }

    @Test
    void aBatchAppendDoesNotForceOnTheAppendingThreadTheSenderForcesItOutsideTheLock() throws Exception {
        gate = new CountDownLatch(1);
        Outbox o = outbox(DiskSpool.Sync.BATCH);
        try {
            byte[] first = batch("m v=1i\n");
            o.append(first, 0, first.length, 1);
            assertThat(forcedBy).as("the append returned without forcing on the appending thread")
                    .doesNotContain(Thread.currentThread().getName());
            assertThat(senderInForce.await(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as("the sender thread forces the batch soon after its append").isTrue();

            // the sender is inside force now: the next cycle's append and the status do not wait for it
            byte[] second = batch("m v=2i\n");
            CompletableFuture<Long> next = CompletableFuture.supplyAsync(() -> {
                o.append(second, 0, second.length, 1);
                return o.status().linesBuffered();
            });
            assertThat(next.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(gate.getCount()).as("the sender was still forcing meanwhile").isEqualTo(1);

            gate.countDown();
            Awaitility.await().atMost(WAIT).until(() -> forcedBy.size() >= 2);
            assertThat(forcedBy).as("every force so far by the sender thread").containsOnly(SENDER);
        } finally {
            gate.countDown();
            o.close();
        }
        assertThat(forcedBy).as("the close forces too, on the sender thread").containsOnly(SENDER);
        try (DiskSpool reopened = DiskSpool.open(dir, DiskSpool.Sync.NEVER, SEGMENT, FileChannel::open)) {
            assertThat(reopened.lines()).isEqualTo(2);
        }
    }

    @Test
    void neverSyncNeverForcesNotEvenAtClose() throws Exception {
        List<String> delivered = new CopyOnWriteArrayList<>();
        LineWriter target = new LineWriter() {
            @Override
            public WriteResult write(byte[] buf, int off, int len, int lines) {
                delivered.add(new String(buf, off, len, StandardCharsets.UTF_8));
                return WriteResult.delivered();
            }

            @Override
            public void close() {
            }
        };
        Outbox o = outbox(DiskSpool.Sync.NEVER);
        try {
            for (int i = 0; i < 50; i++) {
                byte[] b = batch("m v=" + i + "i\n" + "x".repeat(500) + " v=1i\n"); // several segments
                o.append(b, 0, b.length, 2);
            }
            o.useWriter("test://target", () -> target);
            Awaitility.await().atMost(WAIT).until(() -> o.status().linesSent() == 100);
        } finally {
            o.close();
        }
        assertThat(delivered).isNotEmpty();
        assertThat(forcedBy).as("NEVER forces nothing").isEmpty();
    }

    @Test
    void aForceThatFailsIsReportedAndKeepsTheBatches() throws Exception {
        forceFails = true;
        Outbox o = outbox(DiskSpool.Sync.BATCH);
        try {
            byte[] b = batch("m v=1i\n");
            o.append(b, 0, b.length, 1);
            Awaitility.await().atMost(WAIT).until(() -> o.status().lastError().contains("cannot force the spool"));
            assertThat(o.status().lastError()).contains("Input/output error");
            assertThat(o.status().buffer()).isEqualTo("disk");
            assertThat(o.status().linesBuffered()).isEqualTo(1);
            assertThat(forcedBy).containsOnly(SENDER);
        } finally {
            forceFails = false;
            o.close();
        }
        try (DiskSpool reopened = DiskSpool.open(dir, DiskSpool.Sync.NEVER, SEGMENT, FileChannel::open)) {
            assertThat(reopened.lines()).as("the batch was written all the same").isEqualTo(1);
        }
    }

    @Test
    void theSpoolRecordsWhatIsDueAndForcesNothingItself() throws IOException {
        try (DiskSpool batch = DiskSpool.open(dir.resolve("batch"), DiskSpool.Sync.BATCH, SEGMENT, recording)) {
            byte[] b = batch("m v=1i\n");
            batch.append(b, 0, b.length, 1, 1000);
            batch.append(b, 0, b.length, 1, 1000);
            assertThat(forcedBy).as("append only writes").isEmpty();
            assertThat(batch.hasUnforced()).isTrue();
            List<FileChannel> due = batch.takeUnforced();
            assertThat(due).as("the one segment written, once").hasSize(1);
            assertThat(batch.hasUnforced()).isFalse();
            assertThat(batch.takeUnforced()).isEmpty();
        }
        forcedBy.clear();
        try (DiskSpool never = DiskSpool.open(dir.resolve("never"), DiskSpool.Sync.NEVER, SEGMENT, recording)) {
            byte[] b = batch("m v=1i\n");
            never.append(b, 0, b.length, 1, 1000);
            assertThat(never.hasUnforced()).isFalse();
            assertThat(never.takeUnforced()).isEmpty();
        }
        assertThat(forcedBy).isEmpty();
    }

    @Test
    void aSegmentDeletedAfterDeliveryIsNoLongerDue() throws IOException {
        try (DiskSpool s = DiskSpool.open(dir, DiskSpool.Sync.BATCH, 1024, recording)) {
            byte[] b = batch("m v=1i\n".repeat(100)); // 700 bytes: one batch a segment
            s.append(b, 0, b.length, 100, 1000);
            s.append(b, 0, b.length, 100, 1000);
            s.removeFirst(1); // the first segment is delivered and deleted
            List<FileChannel> due = s.takeUnforced();
            assertThat(due).as("only the segment still there").hasSize(1);
            assertThat(due.get(0).isOpen()).isTrue();
        }
    }

    /** A segment file that records which thread forces it, and holds the sender there while gated. */
    private final class ForceRecording extends FileChannel {
        private final FileChannel d;

        ForceRecording(FileChannel d) {
            this.d = d;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            String thread = Thread.currentThread().getName();
            forcedBy.add(thread);
            if (forceFails) {
                throw new IOException("Input/output error");
            }
            if (thread.equals(SENDER)) {
                senderInForce.countDown();
                try {
                    gate.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            d.force(metaData);
        }

        @Override public int read(ByteBuffer dst) throws IOException { return d.read(dst); }
        @Override public long read(ByteBuffer[] dsts, int offset, int length) throws IOException { return d.read(dsts, offset, length); }
        @Override public int write(ByteBuffer src) throws IOException { return d.write(src); }
        @Override public long write(ByteBuffer[] srcs, int offset, int length) throws IOException { return d.write(srcs, offset, length); }
        @Override public long position() throws IOException { return d.position(); }
        @Override public FileChannel position(long p) throws IOException { d.position(p); return this; }
        @Override public long size() throws IOException { return d.size(); }
        @Override public FileChannel truncate(long size) throws IOException { d.truncate(size); return this; }
        @Override public long transferTo(long p, long c, WritableByteChannel t) throws IOException { return d.transferTo(p, c, t); }
        @Override public long transferFrom(ReadableByteChannel s, long p, long c) throws IOException { return d.transferFrom(s, p, c); }
        @Override public int read(ByteBuffer dst, long p) throws IOException { return d.read(dst, p); }
        @Override public int write(ByteBuffer src, long p) throws IOException { return d.write(src, p); }
        @Override public MappedByteBuffer map(MapMode m, long p, long s) throws IOException { return d.map(m, p, s); }
        @Override public FileLock lock(long p, long s, boolean sh) throws IOException { return d.lock(p, s, sh); }
        @Override public FileLock tryLock(long p, long s, boolean sh) throws IOException { return d.tryLock(p, s, sh); }
        @Override protected void implCloseChannel() throws IOException { d.close(); }
    }
}
