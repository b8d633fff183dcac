package dev.osgimon.benchmarks.osgisources;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

import dev.osgimon.source.log.internal.LogConfig;
import dev.osgimon.source.log.internal.LogSource;
import dev.osgimon.source.process.internal.ProcessConfig;
import dev.osgimon.source.process.internal.ProcessSource;

/**
 * One cycle of the {@code process} source on this machine's real {@code /proc} (this JVM and its
 * threads), with and without the context switches summed over the threads (read again every 60 s, the
 * default: the cycles measured write the last sums; docs/cost.md gives the cost of a read), one cycle of the {@code log} source with {@code perBundle} on and 20 bundles that logged
 * warnings, and what counting one log entry costs the thread that logs.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar ProcessAndLogBenchmark -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ProcessAndLogBenchmark {

    /** Summing the context switches reads one status file per thread. */
    @Param({"true", "false"})
    public boolean contextSwitches;

    private ProcessSource process;
    private LogSource log;
    private LogListener listener;
    private LogEntry warning;
    private NullWriter out;

    @Setup
    public void setUp(Blackhole bh) {
        out = new NullWriter(bh);
        process = new ProcessSource(new ProcessConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return ProcessConfig.class;
            }

            @Override
            public String procRoot() {
                return "/proc";
            }

            @Override
            public int clockTicks() {
                return 100;
            }

            @Override
            public boolean contextSwitches() {
                return contextSwitches;
            }

            @Override
            public int contextSwitchesSeconds() {
                return 60; // the default: a benchmark cycle between two reads of the threads' files
            }
        });
        List<LogListener> listeners = new ArrayList<>();
        LogReaderService reader = new LogReaderService() {
            @Override
            public void addLogListener(LogListener l) {
                listeners.add(l);
            }

            @Override
            public void removeLogListener(LogListener l) {
                listeners.remove(l);
            }

            @Override
            public Enumeration<LogEntry> getLog() {
                return java.util.Collections.emptyEnumeration();
            }
        };
        log = new LogSource(reader, new LogConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return LogConfig.class;
            }

            @Override
            public boolean perBundle() {
                return true;
            }

            @Override
            public int maxBundles() {
                return 200;
            }
        });
        listener = listeners.get(0);
        for (int i = 0; i < 20; i++) {
            listener.logged(entry(LogLevel.WARN, "bundle" + i));
        }
        warning = entry(LogLevel.WARN, "bundle7");
    }

    @TearDown
    public void tearDown() throws Exception {
        java.lang.reflect.Method deactivate = ProcessSource.class.getDeclaredMethod("deactivate");
        deactivate.setAccessible(true);
        deactivate.invoke(process);
    }

    @Benchmark
    public void processCycle() {
        process.collect(out);
    }

    @Benchmark
    public void logCycle() {
        log.collect(out);
    }

    @Benchmark
    public void logOneEntry() {
        listener.logged(warning);
    }

    /** A log entry of a bundle with this symbolic name; only what the source reads is answered. */
    static LogEntry entry(LogLevel level, String bsn) {
        Bundle bundle = (Bundle) java.lang.reflect.Proxy.newProxyInstance(Bundle.class.getClassLoader(),
                new Class<?>[] {Bundle.class}, (p, m, a) -> {
                    if (m.getName().equals("getSymbolicName")) {
                        return bsn;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        return new LogEntry() {
            @Override
            public Bundle getBundle() {
                return bundle;
            }

            @Override
            public ServiceReference<?> getServiceReference() {
                return null;
            }

            @Override
            public int getLevel() {
                return level.ordinal();
            }

            @Override
            public String getMessage() {
                return "benchmark";
            }

            @Override
            public Throwable getException() {
                return null;
            }

            @Override
            public long getTime() {
                return 0;
            }

            @Override
            public LogLevel getLogLevel() {
                return level;
            }

            @Override
            public String getLoggerName() {
                return "bench";
            }

            @Override
            public long getSequence() {
                return 0;
            }

            @Override
            public String getThreadInfo() {
                return "bench";
            }

            @Override
            public StackTraceElement getLocation() {
                return null;
            }
        };
    }
}
