package dev.osgimon.benchmarks.delivery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.osgimon.core.internal.delivery.Delivery;

/**
 * The disk spool's sustained write speed against the disk's own: one 100-line cycle (12 KB) after
 * the other into the outbox with {@code buffer=disk} (target never reachable, so every batch stays
 * on disk; at the 64 MiB cap the oldest whole batches are dropped, as in a long outage), against a
 * plain {@link FileChannel} writing the same bytes sequentially into files of 64 MiB (the next one
 * started, the oldest deleted, as the spool's segments). With {@code sync=batch} both force the data
 * to the disk after every cycle (the spool's {@code bufferSync=batch}); with {@code never} neither
 * does. Bytes per second = 12,300 B / the time per operation.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar SpoolThroughputBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SpoolThroughputBenchmark {

    private static final long SEGMENT = 64L << 20;

    /** {@code batch}: force after every cycle; {@code never}: leave it to the OS. */
    @Param({"batch", "never"})
    public String sync;

    private byte[] cycle;
    private Path dir;
    private Delivery delivery;
    private FileChannel plain;
    private ByteBuffer plainBuffer;
    private int plainFiles;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        cycle = DeliveryBenchmark.cycle();
        dir = Files.createTempDirectory("osgimon-bench-spool-throughput");
        delivery = new Delivery(FileChannel::open, 600_000, 600_000);
        delivery.configure(Delivery.parse("none://waiting", 100_000_000, 1472, "disk", dir.resolve("spool").toString(),
                SEGMENT, sync));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!delivery.status().buffer().equals("disk") && System.nanoTime() < end) {
            LockSupport.parkNanos(1_000_000);
        }
        plainBuffer = ByteBuffer.wrap(cycle);
        nextPlainFile();
    }

    private void nextPlainFile() throws IOException {
        if (plain != null) {
            plain.close();
            Files.deleteIfExists(dir.resolve("plain-" + (plainFiles - 2) + ".bin"));
        }
        plain = FileChannel.open(dir.resolve("plain-" + plainFiles++ + ".bin"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        delivery.close();
        plain.close();
        DeliveryBenchmark.delete(dir);
    }

    /** One cycle appended to the disk spool. */
    @Benchmark
    public Object spool() {
        delivery.outbox().append(cycle, 0, cycle.length, 100);
        return delivery;
    }

    /** The same bytes written to a file with a plain FileChannel. */
    @Benchmark
    public Object fileChannel() throws IOException {
        plainBuffer.clear();
        while (plainBuffer.hasRemaining()) {
            plain.write(plainBuffer);
        }
        if (sync.equals("batch")) {
            plain.force(false);
        }
        if (plain.position() >= SEGMENT) {
            nextPlainFile();
        }
        return plain;
    }
}
