package dev.osgimon.core.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.osgimon.api.transport.LineWriter;
import dev.osgimon.api.transport.Target;
import dev.osgimon.api.transport.TransportFactory;
import dev.osgimon.api.transport.WriteResult;

/** Delivery with a transport factory: the parsed target it gets, and who closes its writer. */
class DeliveryTest {

    /**
     * A writer whose write blocks until aborted and whose close takes half a second (as a client
     * shutting down its connections may), recording which thread finished closing it.
     */
    private static final class BlockingWriter implements LineWriter {
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch aborted = new CountDownLatch(1);
        final AtomicReference<String> closedBy = new AtomicReference<>();

        @Override
        public WriteResult write(byte[] buf, int off, int len, int lines) {
            writing.countDown();
            try {
                aborted.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return WriteResult.retry("aborted", 0);
        }

        @Override
        public void abort() {
            aborted.countDown();
        }

        @Override
        public void close() {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
            closedBy.compareAndSet(null, Thread.currentThread().getName());
        }
    }

    @Test
    void aFactoryGetsTheParsedTargetAndItsWriterIsClosedByTheOutboxBeforeTheFactoryIsGone() throws Exception {
        AtomicReference<Target> got = new AtomicReference<>();
        BlockingWriter writer = new BlockingWriter();
        TransportFactory factory = t -> {
            got.set(t);
            return writer;
        };
        try (Delivery d = new Delivery(FileChannel::open, 10, 200)) {
            d.configure(Delivery.parse("test://carol:s3cret@h.example:99/p?x=1", 1000, 1472, "memory", "", 1L << 20,
                    "batch"));
            d.addFactory(factory, new String[] {"test"});
            byte[] line = "m v=1i\n".getBytes(StandardCharsets.UTF_8);
            d.outbox().append(line, 0, line.length, 1);
            assertThat(writer.writing.await(15, TimeUnit.SECONDS)).as("the writer is writing").isTrue();

            Target t = got.get();
            assertThat(t.host()).isEqualTo("h.example");
            assertThat(t.port()).isEqualTo(99);
            assertThat(t.path()).isEqualTo("/p");
            assertThat(t.user()).isEqualTo("carol");
            assertThat(t.password()).isEqualTo("s3cret");
            assertThat(d.status().target()).isEqualTo("test://h.example:99/p?x=****");

            d.removeFactory(factory);
            assertThat(writer.closedBy.get()).as("closed before removeFactory returned, by the outbox")
                    .isEqualTo("osgimon-outbox");
            assertThat(d.outbox().status().linesBuffered()).as("the lines wait for a transport").isEqualTo(1);
        }
    }

    @Test
    void aFactoryAddedAfterTheTargetGetsTheLinesThatWaited() {
        AtomicReference<String> delivered = new AtomicReference<>("");
        AtomicReference<String> closedBy = new AtomicReference<>();
        TransportFactory factory = t -> new LineWriter() {
            @Override
            public WriteResult write(byte[] buf, int off, int len, int lines) {
                delivered.updateAndGet(s -> s + new String(buf, off, len, StandardCharsets.UTF_8));
                return WriteResult.delivered();
            }

            @Override
            public void close() {
                closedBy.set(Thread.currentThread().getName());
            }
        };
        Delivery d = new Delivery(FileChannel::open, 10, 200);
        d.configure(Delivery.parse("test://h:1", 1000, 1472, "memory", "", 1L << 20, "batch"));
        byte[] line = "m v=1i\n".getBytes(StandardCharsets.UTF_8);
        d.outbox().append(line, 0, line.length, 1);
        d.addFactory(factory, "test");
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> d.status().linesSent() == 1);
        assertThat(delivered.get()).isEqualTo("m v=1i\n");
        d.close();
        assertThat(closedBy.get()).isEqualTo("osgimon-outbox");
    }
}
