package dev.osgimon.benchmarks.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.osgimon.core.internal.delivery.Delivery;

/**
 * The core's outbox: appending one 100-line cycle with {@code buffer=memory} against
 * {@code buffer=disk} (each {@code bufferSync}); and replaying a spool of 1 M lines into a local
 * TCP sink after a restart.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar DeliveryBenchmark
 * </pre>
 */
@Fork(1)
public class DeliveryBenchmark {

    static byte[] cycle() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            b.append("jvm_memory,vm=app-server-01,pool=G1\\ Old\\ Gen,kind=heap used=").append(123_456_789L + i)
                    .append("i,committed=268435456i,ratio=0.4599").append(i).append(",ok=true 1700000000000000000\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static void delete(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Appends while the target waits for a transport that never comes: lines stay, at the cap. */
    @State(Scope.Thread)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public static class Append {

        /** {@code memory}, or {@code disk-} and the {@code bufferSync}. */
        @Param({"memory", "disk-never", "disk-batch"})
        public String buffer;

        private byte[] cycle;
        private Delivery delivery;
        private Path dir;

        @Setup(Level.Trial)
        public void setup() throws Exception {
            cycle = cycle();
            dir = Files.createTempDirectory("osgimon-bench-spool");
            boolean disk = buffer.startsWith("disk");
            delivery = new Delivery(FileChannel::open, 600_000, 600_000);
            delivery.configure(Delivery.parse("none://waiting", 100_000_000, 1472, disk ? "disk" : "memory",
                    dir.toString(), 64L << 20, disk ? buffer.substring(5) : "batch"));
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!delivery.status().buffer().equals(disk ? "disk" : "memory") && System.nanoTime() < end) {
                LockSupport.parkNanos(1_000_000);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            delivery.close();
            delete(dir);
        }

        /** One cycle of 100 lines (12 KB) into the outbox. */
        @Benchmark
        public Object appendCycle() {
            delivery.outbox().append(cycle, 0, cycle.length, 100);
            return delivery;
        }
    }

    /** A spool of 1 M lines written by one process and replayed by the next into a TCP sink. */
    @State(Scope.Thread)
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 2)
    @Measurement(iterations = 5)
    public static class Replay {

        static final int CYCLES = 10_000;
        static final int LINES = CYCLES * 100;

        private Path dir;
        private ServerSocket sink;
        private Thread reader;
        private Delivery delivery;

        @Setup(Level.Trial)
        public void sink() throws IOException {
            sink = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            reader = new Thread(() -> {
                byte[] buf = new byte[1 << 16];
                while (!sink.isClosed()) {
                    try (Socket s = sink.accept(); InputStream in = s.getInputStream()) {
                        while (in.read(buf) >= 0) {
                            // discard
                        }
                    } catch (IOException e) {
                        // next connection, or closed
                    }
                }
            }, "bench-sink");
            reader.setDaemon(true);
            reader.start();
        }

        /** Writes the spool as a process that could not deliver would leave it. */
        @Setup(Level.Invocation)
        public void fill() throws Exception {
            dir = Files.createTempDirectory("osgimon-bench-replay");
            byte[] cycle = cycle();
            Delivery writer = new Delivery(FileChannel::open, 600_000, 600_000);
            writer.configure(Delivery.parse("none://waiting", 100_000_000, 1472, "disk", dir.toString(), 1L << 30,
                    "never"));
            while (!writer.status().buffer().equals("disk")) {
                LockSupport.parkNanos(1_000_000);
            }
            for (int i = 0; i < CYCLES; i++) {
                writer.outbox().append(cycle, 0, cycle.length, 100);
            }
            writer.close();
        }

        @TearDown(Level.Invocation)
        public void clean() throws IOException {
            delivery.close();
            delete(dir);
        }

        @TearDown(Level.Trial)
        public void stopSink() throws Exception {
            sink.close();
            reader.join(5000);
        }

        /** Starts a new outbox on the spool with the sink as target; returns once every line went out. */
        @Benchmark
        @OperationsPerInvocation(LINES)
        public long replay() {
            InetSocketAddress a = (InetSocketAddress) sink.getLocalSocketAddress();
            delivery = new Delivery(FileChannel::open, 10, 100);
            delivery.configure(Delivery.parse("tcp://127.0.0.1:" + a.getPort(), 100_000_000, 1472, "disk",
                    dir.toString(), 1L << 30, "never"));
            while (delivery.status().linesSent() < LINES) {
                LockSupport.parkNanos(100_000);
            }
            return delivery.status().linesSent();
        }
    }
}
