package dev.osgimon.itests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for servers that must be told their port before they start: child processes
 * (the distribution, Karaf, QuestDB, InfluxDB) and servers whose configuration has no "any port"
 * (the command server, where 0 means off). Where the code under test can bind port 0 and report
 * the port it got, tests do that instead (Jetty in the in-framework tests).
 *
 * <p>Probing a port with {@code bind(0)} and handing it on races with everything else on the machine
 * that binds port 0 or connects out, as both take ports from the kernel's ephemeral range. So a port
 * comes from below that range (see {@code /proc/sys/net/ipv4/ip_local_port_range}), where the kernel
 * never hands one out; is reserved for the life of this JVM by a lock file, so that concurrent test
 * JVMs of this project never take the same one; and is checked to be free when it is given out. The
 * remaining risk is another program binding that very port on its own.
 */
public final class Ports {

    /** The lowest port handed out. */
    static final int LOW = 20_000;
    private static final Path LOCKS = Path.of(System.getProperty("java.io.tmpdir"), "osgimon-test-ports");
    /** The reservations of this JVM: held until it exits. */
    private static final List<FileLock> HELD = new ArrayList<>();

    private Ports() {
    }

    /** @return a reserved loopback port nobody listens on right now (TCP or UDP) */
    public static synchronized int free() {
        int high = ephemeralLow();
        int span = high - LOW;
        int start = ThreadLocalRandom.current().nextInt(span);
        for (int i = 0; i < span; i++) {
            int port = LOW + (start + i) % span;
            FileLock lock = reserve(port);
            if (lock == null) {
                continue;
            }
            if (isFree(port)) {
                HELD.add(lock);
                return port;
            }
            release(lock);
        }
        throw new IllegalStateException("no free port in [" + LOW + ", " + high + ")");
    }

    /** @return the first port of the kernel's ephemeral range (32768 when it cannot be read) */
    static int ephemeralLow() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int low = Integer.parseInt(range.split("\\s+")[0]);
            return low > LOW + 1000 ? low : 32768;
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }

    private static FileLock reserve(int port) {
        try {
            Files.createDirectories(LOCKS);
            FileChannel channel = FileChannel.open(LOCKS.resolve(port + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            try {
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    channel.close();
                }
                return lock;
            } catch (OverlappingFileLockException e) {
                channel.close(); // this JVM holds it already
                return null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void release(FileLock lock) {
        try {
            lock.channel().close();
        } catch (IOException e) {
            // nothing held any more either way
        }
    }

    /** Free for TCP and for UDP, so one reservation serves either. */
    private static boolean isFree(int port) {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        try (ServerSocket tcp = new ServerSocket(); DatagramSocket udp = new DatagramSocket(null)) {
            tcp.setReuseAddress(false);
            tcp.bind(address, 1);
            udp.setReuseAddress(false);
            udp.bind(address);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
