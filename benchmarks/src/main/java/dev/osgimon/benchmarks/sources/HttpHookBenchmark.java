package dev.osgimon.benchmarks.sources;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.concurrent.TimeUnit;

import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletMapping;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletRequestWrapper;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpServletResponseWrapper;
import javax.servlet.http.MappingMatch;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.osgimon.source.http.internal.HttpSource;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * What the http source's whiteboard preprocessor adds to one request, against the bare filter
 * chain and against Micrometer's {@code Timer.record} around the same chain. Compare the ns/op of
 * {@code preprocessor} and {@code micrometerTimer} minus {@code bareChain}; with {@code -prof gc}
 * the {@code gc.alloc.rate.norm} column is bytes per request. {@code preprocessor} is a request no
 * servlet matched (route {@code none}); {@code preprocessorAndRouteFilter} one the whiteboard
 * matched to a servlet, so the source's route filter runs in the chain and finds the route by the
 * request's servlet mapping.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar HttpHookBenchmark -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HttpHookBenchmark {

    /** What the whiteboard tells a servlet's filters about the match (a container keeps one per servlet). */
    private static final HttpServletMapping MAPPING = new HttpServletMapping() {
        @Override
        public String getMatchValue() {
            return "orders";
        }

        @Override
        public String getPattern() {
            return "/orders/*";
        }

        @Override
        public String getServletName() {
            return "com.example.OrdersServlet";
        }

        @Override
        public MappingMatch getMappingMatch() {
            return MappingMatch.PATH;
        }
    };

    private HttpSource source;
    private HttpServletRequest request;
    private HttpServletResponse response;
    private FilterChain chain;
    private FilterChain routedChain;
    private Timer timer;
    private Runnable chainCall;
    private long served;

    @Setup
    public void setUp() {
        source = new HttpSource(50);
        // the wrappers answer what the hook asks; everything else would go to an inert proxy
        HttpServletRequest inertRequest = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, a) -> null);
        HttpServletResponse inertResponse = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (p, m, a) -> null);
        request = new HttpServletRequestWrapper(inertRequest) {
            @Override
            public String getMethod() {
                return "GET";
            }

            @Override
            public boolean isAsyncStarted() {
                return false;
            }

            @Override
            public HttpServletMapping getHttpServletMapping() {
                return MAPPING;
            }
        };
        response = new HttpServletResponseWrapper(inertResponse) {
            @Override
            public int getStatus() {
                return 200;
            }

            @Override
            public boolean isCommitted() {
                return true;
            }
        };
        chain = new FilterChain() {
            @Override
            public void doFilter(ServletRequest req, ServletResponse res) {
                served++;
            }
        };
        routedChain = (req, res) -> source.routeFilter().doFilter(req, res, chain);
        timer = Timer.builder("http.server.requests").register(new SimpleMeterRegistry());
        chainCall = () -> {
            try {
                chain.doFilter(request, response);
            } catch (IOException | ServletException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    @Benchmark
    public long bareChain() throws IOException, ServletException {
        chain.doFilter(request, response);
        return served;
    }

    @Benchmark
    public long preprocessor() throws IOException, ServletException {
        source.doFilter(request, response, chain);
        return served;
    }

    @Benchmark
    public long preprocessorAndRouteFilter() throws IOException, ServletException {
        source.doFilter(request, response, routedChain);
        return served;
    }

    /** The floor any latency hook pays: two clock reads around the chain. */
    @Benchmark
    public long clockAroundChain() throws IOException, ServletException {
        long start = System.nanoTime();
        chain.doFilter(request, response);
        return System.nanoTime() - start + served;
    }

    @Benchmark
    public long micrometerTimer() {
        timer.record(chainCall);
        return served;
    }
}
