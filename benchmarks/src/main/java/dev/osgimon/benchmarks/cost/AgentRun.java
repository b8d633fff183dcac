package dev.osgimon.benchmarks.cost;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import com.sun.tools.attach.VirtualMachine;

/**
 * One copy of the built distribution, started as a user starts it ({@code bin/osgimon}, stdin not
 * a terminal, environment variables), in a temporary folder that is deleted when it is closed.
 * Without osgimon, the copy's {@code bundle/dev.osgimon.*.jar} are removed before it starts: the
 * same Felix, Jetty, SCR, health checks, FileInstall and Gogo, with no osgimon bundle.
 */
final class AgentRun implements AutoCloseable {

    /**
     * Cumulative costs read from the JVM: the collector thread's allocation and CPU time (summed over
     * threads of that name), the CPU time of every thread named {@code osgimon-*} (the collector
     * included), and the JVM's JIT compilation and garbage collection time, which no Java thread's
     * CPU time shows.
     *
     * @param allocatedBytes bytes allocated by {@code osgimon-collector}
     * @param cpuNanos CPU time of {@code osgimon-collector}
     * @param threads threads named {@code osgimon-collector} (0 without osgimon)
     * @param osgimonThreadsCpuNanos CPU time of the live threads named {@code osgimon-*}
     * @param compileMillis the JIT compilers' time so far ({@code CompilationMXBean}), ms
     * @param gcMillis the collectors' time so far ({@code GarbageCollectorMXBean}s), ms
     */
    record ThreadCost(long allocatedBytes, long cpuNanos, int threads, long osgimonThreadsCpuNanos, long compileMillis,
            long gcMillis) {
    }

    private static final long CLOCK_TICKS = 100; // USER_HZ, as /proc/<pid>/stat counts (getconf CLK_TCK)

    private final String label;
    private final Path home;
    private final Map<String, String> env;
    private Process process;

    private AgentRun(String label, Path home, Map<String, String> env) {
        this.label = label;
        this.home = home;
        this.env = env;
    }

    /**
     * Copies the distribution ({@code data/}, {@code log/} and {@code spool/} left out).
     *
     * @param dist the built distribution, {@code distribution/target/osgimon}
     * @param label names the copy in messages
     * @param withOsgimon false to remove the osgimon bundles from the copy
     * @param env environment on top of free ports for the command, memtrace and HTTP servers
     * @param cfg lines to set in the copy's {@code etc/dev.osgimon.core.cfg} (key=value), may be empty
     * @return the copy, not started
     * @throws IOException if it cannot be copied
     */
    static AgentRun prepare(Path dist, String label, boolean withOsgimon, Map<String, String> env,
            Map<String, String> cfg) throws IOException {
        if (!Files.isRegularFile(dist.resolve("bin/osgimon"))) {
            throw new IllegalArgumentException("no distribution at " + dist
                    + " (build it: mvn -B -ntp package -DskipTests -pl distribution -am)");
        }
        Path home = Files.createTempDirectory("osgimon-cost-" + label);
        try (Stream<Path> paths = Files.walk(dist)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path rel = dist.relativize(p);
                if (rel.startsWith("data") || rel.startsWith("log") || rel.startsWith("spool")) {
                    continue;
                }
                Path dest = home.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else if (withOsgimon || !(rel.startsWith("bundle") && p.getFileName().toString().startsWith("dev.osgimon."))) {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        home.resolve("bin/osgimon").toFile().setExecutable(true);
        if (!cfg.isEmpty()) {
            Path core = home.resolve("etc/dev.osgimon.core.cfg");
            StringBuilder text = new StringBuilder();
            for (String line : Files.readAllLines(core)) {
                int eq = line.indexOf('=');
                if (eq > 0 && cfg.containsKey(line.substring(0, eq).trim())) {
                    continue;
                }
                text.append(line).append('\n');
            }
            cfg.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
            Files.writeString(core, text);
        }
        Map<String, String> all = new HashMap<>();
        all.put("OSGIMON_COMMAND_PORT", String.valueOf(freePort()));
        all.put("OSGIMON_MEMTRACE_PORT", String.valueOf(freePort()));
        all.put("OSGIMON_HTTP_PORT", String.valueOf(freePort()));
        all.putAll(env);
        return new AgentRun(label, home, all);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts {@code bin/osgimon}; stdout and stderr go to {@code console.out} in the copy. */
    void start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/osgimon").toString());
        pb.environment().putAll(env);
        pb.directory(home.toFile());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.out").toFile()));
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        process = pb.start();
    }

    /** @throws IllegalStateException with the console's text if the process has ended */
    void checkAlive() {
        if (process == null || !process.isAlive()) {
            String console;
            try {
                console = Files.readString(home.resolve("console.out"));
            } catch (IOException e) {
                console = e.toString();
            }
            throw new IllegalStateException(label + ": osgimon is not running:\n" + console);
        }
    }

    String label() {
        return label;
    }

    /**
     * @return user plus system CPU time of the whole JVM so far, in seconds, from {@code /proc/<pid>/stat}
     * @throws IOException if the file cannot be read
     */
    double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after the command: state (field 3) is f[0], utime (14) f[11], stime (15) f[12]
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLOCK_TICKS;
    }

    /**
     * Attaches to the JVM (its local management agent, started on the first call) and reads the
     * {@code osgimon-collector} threads' allocated bytes and CPU time.
     *
     * @return their sums; zero threads in a JVM without osgimon
     * @throws Exception if the JVM cannot be attached to
     */
    ThreadCost collectorCost() throws Exception {
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(process.pid()));
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
            MBeanServerConnection mbs = c.getMBeanServerConnection();
            com.sun.management.ThreadMXBean threads = ManagementFactory.newPlatformMXBeanProxy(mbs,
                    ManagementFactory.THREAD_MXBEAN_NAME, com.sun.management.ThreadMXBean.class);
            long bytes = 0;
            long cpu = 0;
            int n = 0;
            long osgimonCpu = 0;
            for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (t == null || !t.getThreadName().startsWith("osgimon-")) {
                    continue;
                }
                long threadCpu = Math.max(0, threads.getThreadCpuTime(t.getThreadId()));
                osgimonCpu += threadCpu;
                if (t.getThreadName().equals("osgimon-collector")) {
                    bytes += threads.getThreadAllocatedBytes(t.getThreadId());
                    cpu += threadCpu;
                    n++;
                }
            }
            CompilationMXBean jit = ManagementFactory.newPlatformMXBeanProxy(mbs,
                    ManagementFactory.COMPILATION_MXBEAN_NAME, CompilationMXBean.class);
            long gc = 0;
            for (ObjectName name : mbs.queryNames(new ObjectName(ManagementFactory.GARBAGE_COLLECTOR_MXBEAN_DOMAIN_TYPE + ",*"), null)) {
                gc += Math.max(0, ManagementFactory.newPlatformMXBeanProxy(mbs, name.getCanonicalName(),
                        GarbageCollectorMXBean.class).getCollectionTime());
            }
            return new ThreadCost(bytes, cpu, n, osgimonCpu, jit.getTotalCompilationTime(), gc);
        }
    }

    /** Stops the JVM (SIGTERM, SIGKILL after 30 s) and deletes the copy. */
    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        try (Stream<Path> s = Files.walk(home)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + home, e);
        }
    }
}
