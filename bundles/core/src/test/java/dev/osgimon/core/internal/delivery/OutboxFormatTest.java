package dev.osgimon.core.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.osgimon.api.model.Cycle;
import dev.osgimon.api.transport.CycleEncoder;
import dev.osgimon.api.transport.LineWriter;
import dev.osgimon.api.transport.Target;
import dev.osgimon.api.transport.TransportFactory;
import dev.osgimon.api.transport.WriteResult;

/**
 * Batches of several formats through the outbox: a writer gets only its target's format and one
 * format per write; a switch to another format drops and counts the rest; a switch within one format
 * keeps everything; a target whose factory is late keeps what waits until its format is known.
 */
class OutboxFormatTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private final List<AutoCloseable> open = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    /** Records every write as its text; optionally holds the first write until released. */
    private static final class RecordingWriter implements LineWriter {
        final List<String> writes = new CopyOnWriteArrayList<>();
        final CountDownLatch firstWrite = new CountDownLatch(1);
        final CountDownLatch release;
        volatile boolean down;

        RecordingWriter(boolean holdFirst) {
            this.release = new CountDownLatch(holdFirst ? 1 : 0);
        }

        @Override
        public WriteResult write(byte[] buf, int off, int len, int lines) {
            if (down) {
                return WriteResult.retry("down", 0);
            }
            firstWrite.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            writes.add(new String(buf, off, len, StandardCharsets.UTF_8));
            return WriteResult.delivered();
        }

        @Override
        public void close() {
            // nothing held
        }
    }

    private static void add(Outbox o, String format, String record) {
        byte[] b = record.getBytes(StandardCharsets.UTF_8);
        o.append(format, b, 0, b.length, 1);
    }

    private Outbox outbox() {
        return keep(new Outbox("test-outbox", 100_000, 256L << 20, 10, 200));
    }

    @Test
    void aWriterGetsOnlyItsFormatAndEachWriteHoldsOneFormat() throws Exception {
        Outbox o = outbox();
        RecordingWriter w = new RecordingWriter(true);
        o.useWriter("a://h", "fmt-a", () -> w);
        add(o, "fmt-a", "a1\n");
        assertThat(w.firstWrite.await(15, TimeUnit.SECONDS)).isTrue();
        // while a1 is being written: a batch of another format (a cycle collected for an older
        // target) sits between batches of the writer's format
        add(o, "fmt-a", "a2\n");
        add(o, "fmt-b", "b1\n");
        add(o, "fmt-a", "a3\n");
        add(o, "fmt-a", "a4\n");
        w.release.countDown();
        Awaitility.await().atMost(WAIT).until(() -> o.status().linesBuffered() == 0);
        assertThat(w.writes).containsExactly("a1\n", "a2\n", "a3\na4\n");
        assertThat(o.status().linesSent()).isEqualTo(4);
        assertThat(o.status().linesDropped()).as("the batch of another format").isEqualTo(1);
    }

    @Test
    void aSwitchToAnotherFormatDropsAndCountsWhatWaitsAndNeverSendsIt() {
        Outbox o = outbox();
        RecordingWriter first = new RecordingWriter(false);
        first.down = true;
        o.useWriter("a://h", "fmt-a", () -> first);
        add(o, "fmt-a", "a1\n");
        add(o, "fmt-a", "a2\n");
        Awaitility.await().atMost(WAIT).until(() -> o.status().writeErrors() > 0);
        RecordingWriter second = new RecordingWriter(false);
        o.useWriter("b://h", "fmt-b", () -> second);
        Awaitility.await().atMost(WAIT).until(() -> o.status().linesDropped() == 2);
        add(o, "fmt-b", "b1\n");
        Awaitility.await().atMost(WAIT).until(() -> o.status().linesSent() == 1);
        assertThat(second.writes).containsExactly("b1\n");
        assertThat(first.writes).isEmpty();
        assertThat(o.status().linesBuffered()).isZero();
        assertThat(o.status().linesDropped()).isEqualTo(2);
    }

    @Test
    void aSwitchBetweenTargetsOfTheSameFormatKeepsEverythingInOrder() {
        Outbox o = outbox();
        RecordingWriter first = new RecordingWriter(false);
        first.down = true;
        o.useWriter("a://h", "fmt-a", () -> first);
        add(o, "fmt-a", "a1\n");
        add(o, "fmt-a", "a2\n");
        Awaitility.await().atMost(WAIT).until(() -> o.status().writeErrors() > 0);
        RecordingWriter second = new RecordingWriter(false);
        o.useWriter("a://other", "fmt-a", () -> second);
        add(o, "fmt-a", "a3\n");
        Awaitility.await().atMost(WAIT).until(() -> o.status().linesSent() == 3);
        assertThat(String.join("", second.writes)).isEqualTo("a1\na2\na3\n");
        assertThat(o.status().linesDropped()).isZero();
    }

    @Test
    void whileTheFormatIsNotKnownNothingIsSentOrDropped() {
        Outbox o = outbox();
        assertThat(o.awaitWriter(o.useWriter("a://h", null, () -> null), 15_000)).isTrue();
        add(o, Formats.LINE, "m v=1i\n");
        add(o, "fmt-a", "a1\n");
        assertThat(o.status().linesBuffered()).isEqualTo(2);
        assertThat(o.status().linesDropped()).isZero();
        RecordingWriter w = new RecordingWriter(false);
        o.useWriter("a://h", "fmt-a", () -> w);
        Awaitility.await().atMost(WAIT).until(() -> o.status().linesSent() == 1);
        assertThat(w.writes).containsExactly("a1\n");
        assertThat(o.status().linesDropped()).isEqualTo(1);
    }

    /** Encodes each point as {@code rec <measurement>\n}: concatenable records. */
    private static class TextEncoder implements CycleEncoder {
        private byte[] buf = new byte[0];
        private int size;

        @Override
        public String format() {
            return "test-records-1";
        }

        @Override
        public int encode(Cycle cycle) {
            StringBuilder sb = new StringBuilder();
            for (int p = 0; p < cycle.points(); p++) {
                sb.append("rec ").append(cycle.measurement(p)).append('\n');
            }
            buf = sb.toString().getBytes(StandardCharsets.UTF_8);
            size = buf.length;
            return cycle.points();
        }

        @Override
        public byte[] buffer() {
            return buf;
        }

        @Override
        public int size() {
            return size;
        }
    }

    /** A factory of {@link TextEncoder} records whose writers record what they get, or answer retry. */
    private static final class RecordsFactory implements TransportFactory {
        final RecordingWriter writer = new RecordingWriter(false);

        @Override
        public LineWriter create(Target target) {
            return writer;
        }

        @Override
        public CycleEncoder encoder(Target target) {
            return new TextEncoder();
        }
    }

    private static Delivery.Settings disk(String target, Path dir) {
        return Delivery.parse(target, 1000, 1472, "disk", dir.toString(), 1L << 20, "never");
    }

    @Test
    void theFactorysEncoderDecidesTheFormatAndLineBatchesMadeBeforeItArrivedAreDropped() {
        Delivery d = keep(new Delivery(FileChannel::open, 10, 200));
        d.configure(Delivery.parse("rec://h:1", 1000, 1472, "memory", "", 1L << 20, "batch"));
        assertThat(d.encoding().line()).as("no factory yet: rendered as line protocol").isTrue();
        byte[] line = "m v=1i\n".getBytes(StandardCharsets.UTF_8);
        d.outbox().append(line, 0, line.length, 1);
        RecordsFactory factory = new RecordsFactory();
        d.addFactory(factory, "rec");
        assertThat(d.encoding().line()).isFalse();
        assertThat(d.encoding().format()).isEqualTo("test-records-1");
        assertThat(d.encoding().newEncoder()).as("a new encoder each call").isNotSameAs(d.encoding().newEncoder());
        Awaitility.await().atMost(WAIT).until(() -> d.status().linesDropped() == 1);
        add(d.outbox(), d.encoding().format(), "rec m\n");
        Awaitility.await().atMost(WAIT).until(() -> d.status().linesSent() == 1);
        assertThat(factory.writer.writes).containsExactly("rec m\n");

        d.removeFactory(factory);
        assertThat(d.encoding().line()).as("the factory is gone: its encoder is not used any more").isTrue();
    }

    /**
     * The spool holds batches of the factory's format from a run before; at the next start the
     * factory comes late: the line batches made meanwhile are dropped, the spooled ones sent.
     */
    @Test
    void spooledBatchesOfTheFactorysFormatWaitForItAcrossARestart() {
        RecordsFactory before = new RecordsFactory();
        before.writer.down = true;
        Delivery first = new Delivery(FileChannel::open, 10, 200);
        first.configure(disk("rec://h:1", dir));
        first.addFactory(before, "rec");
        add(first.outbox(), first.encoding().format(), "rec a\n");
        add(first.outbox(), first.encoding().format(), "rec b\n");
        Awaitility.await().atMost(WAIT).until(() -> first.status().writeErrors() > 0);
        first.close();

        Delivery d = keep(new Delivery(FileChannel::open, 10, 200));
        d.configure(disk("rec://h:1", dir));
        assertThat(d.outbox().awaitWriter(1, 15_000)).isTrue();
        assertThat(d.status().linesReplayed()).isEqualTo(2);
        byte[] line = "m v=1i\n".getBytes(StandardCharsets.UTF_8);
        d.outbox().append(line, 0, line.length, 1);
        assertThat(d.status().linesBuffered()).as("nothing dropped while the format is not known").isEqualTo(3);
        assertThat(d.encoding().line()).isTrue();
        RecordsFactory after = new RecordsFactory();
        d.addFactory(after, "rec");
        add(d.outbox(), d.encoding().format(), "rec c\n");
        Awaitility.await().atMost(WAIT).until(() -> d.status().linesSent() == 3);
        assertThat(String.join("", after.writer.writes)).isEqualTo("rec a\nrec b\nrec c\n");
        assertThat(d.status().linesDropped()).as("the line batch made before the factory came").isEqualTo(1);
    }

    @Test
    void aStartWithAnInvalidTargetKeepsSpooledBatchesOfEveryFormat() {
        RecordsFactory before = new RecordsFactory();
        before.writer.down = true;
        Delivery first = new Delivery(FileChannel::open, 10, 200);
        first.configure(disk("rec://h:1", dir));
        first.addFactory(before, "rec");
        add(first.outbox(), first.encoding().format(), "rec a\n");
        Awaitility.await().atMost(WAIT).until(() -> first.status().writeErrors() > 0);
        first.close();

        Delivery d = keep(new Delivery(FileChannel::open, 10, 200));
        d.configure(disk("not a target", dir));
        assertThat(d.outbox().awaitWriter(1, 15_000)).isTrue();
        assertThat(d.status().linesReplayed()).isEqualTo(1);
        assertThat(d.status().linesBuffered()).isEqualTo(1);
        assertThat(d.status().linesDropped()).isZero();
    }

    @Test
    void anEncoderWithABadFormatNameIsRefusedAndTheLinesWait() {
        Delivery d = keep(new Delivery(FileChannel::open, 10, 200));
        d.configure(Delivery.parse("rec://h:1", 1000, 1472, "memory", "", 1L << 20, "batch"));
        java.util.concurrent.atomic.AtomicInteger created = new java.util.concurrent.atomic.AtomicInteger();
        TransportFactory bad = new TransportFactory() {
            @Override
            public LineWriter create(Target target) {
                created.incrementAndGet();
                return new RecordingWriter(false);
            }

            @Override
            public CycleEncoder encoder(Target target) {
                return new TextEncoder() {
                    @Override
                    public String format() {
                        return "Not A Name";
                    }
                };
            }
        };
        byte[] line = "m v=1i\n".getBytes(StandardCharsets.UTF_8);
        d.outbox().append(line, 0, line.length, 1);
        d.addFactory(bad, "rec");
        assertThat(d.encoding().line()).isTrue();
        d.outbox().append(line, 0, line.length, 1);
        assertThat(d.outbox().awaitWriter(2, 15_000)).as("the factory's arrival was applied").isTrue();
        assertThat(created.get()).as("no writer for a transport whose format is unusable").isZero();
        assertThat(d.status().linesBuffered()).isEqualTo(2);
        assertThat(d.status().linesDropped()).isZero();
    }
}
