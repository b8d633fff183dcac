package dev.osgimon.source.http.internal;

import java.io.IOException;

import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.FilterChain;
import javax.servlet.FilterConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.Servlet;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.osgi.service.http.whiteboard.Preprocessor;
import org.osgi.service.metatype.annotations.Designate;

import dev.osgimon.api.Declarations;
import dev.osgimon.api.MetricSource;
import dev.osgimon.api.MetricSourceProperties;
import dev.osgimon.api.PointWriter;

/**
 * Metric source {@code http} (tag {@code http}): counts every request the OSGi Http Whiteboard
 * serves. It is a whiteboard {@link Preprocessor}, so it sees each request before the servlet
 * context is chosen, including those no servlet handles (404). Requests are counted by method
 * and status class; latency is a histogram per route (the whiteboard servlet that handled the
 * request, learnt by a {@link RouteFilter} on {@code /*} in every servlet context, registered by
 * {@link RouteFilterComponent});
 * paths are never tags.
 *
 * <p>The counters keep running while the source is disabled (that costs nothing worth saving);
 * they are only not collected.
 */
@Component(service = {MetricSource.class, Preprocessor.class}, configurationPid = HttpConfig.PID)
@Designate(ocd = HttpConfig.class)
@MetricSourceProperties(name = "http", tags = "http")
public final class HttpSource implements MetricSource, Preprocessor {

    private final HttpMetrics metrics;
    private final RouteFilter routeFilter;

    /**
     * Activates the source; its route filter reaches the whiteboard through {@link RouteFilterComponent}.
     *
     * @param config its configuration
     */
    @Activate
    public HttpSource(HttpConfig config) {
        this(config.maxRoutes());
    }

    /**
     * A source without configuration (tests, benchmarks): its {@link #routeFilter()} is put into the
     * chain by hand.
     *
     * @param maxRoutes how many routes get their own latency histogram, at least 1
     */
    public HttpSource(int maxRoutes) {
        this.metrics = new HttpMetrics(maxRoutes);
        this.routeFilter = new RouteFilter(metrics);
    }

    /**
     * A whiteboard servlet with an explicit name: its requests are routed by that name.
     *
     * @param ref the servlet's service
     */
    @Reference(service = Servlet.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            target = "(" + HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=*)")
    void bindNamedServlet(ServiceReference<Servlet> ref) {
        Object name = ref.getProperty(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME);
        if (name instanceof String) {
            Object p = ref.getProperty(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN);
            String[] patterns = p instanceof String[] ? (String[]) p
                    : p instanceof String ? new String[] {(String) p}
                    : p instanceof java.util.Collection ? ((java.util.Collection<?>) p).stream().map(String::valueOf).toArray(String[]::new)
                    : new String[0];
            metrics.routes().addName((Long) ref.getProperty(Constants.SERVICE_ID), (String) name, patterns);
        }
    }

    /**
     * A named whiteboard servlet went.
     *
     * @param ref the servlet's service
     */
    void unbindNamedServlet(ServiceReference<Servlet> ref) {
        metrics.routes().removeName((Long) ref.getProperty(Constants.SERVICE_ID));
    }

    /** @return the filter that tells this source which servlet a request went to */
    public RouteFilter routeFilter() {
        return routeFilter;
    }

    @Override
    public void init(FilterConfig filterConfig) {
        // no configuration
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest) || !(response instanceof HttpServletResponse)) {
            chain.doFilter(request, response);
            return;
        }
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse res = (HttpServletResponse) response;
        int method = HttpMetrics.method(req.getMethod());
        HttpMetrics.Stripe stripe = metrics.stripe();
        long start = stripe.begin();
        boolean done = false;
        try {
            chain.doFilter(request, response);
            Routes.Route route = stripe.route(request);
            if (req.isAsyncStarted()) {
                req.getAsyncContext().addListener(new AsyncEnd(metrics, method, start, route));
            } else {
                stripe.end(method, res.getStatus(), start, route);
            }
            done = true;
        } finally {
            if (!done) {
                // the chain threw: the container answers 500 unless the response is already out
                stripe.end(method, res.isCommitted() ? res.getStatus() : 500, start, stripe.route(request));
            }
        }
    }

    @Override
    public void destroy() {
        // nothing held
    }

    @Override
    public void declare(Declarations d) {
        for (String c : HttpMetrics.CLASSES) {
            d.counter("http_response", c, "{response}", "Responses with status " + c);
        }
        d.counter("http_response", "total", "{response}", "Responses")
                .counter("http_requests", "total", "{request}", "Requests answered with this method")
                .gauge("http_server", "in_flight", "{request}", "Requests started and not yet answered")
                .gauge("http_server", "latency_max", "s", "The longest request since the previous cycle, 0 if none")
                .gauge("http_server", "routes", "{route}", "Routes with a latency histogram of their own")
                .counter("http_server", "routes_over_cap", "{request}", "Requests recorded under route=other as maxRoutes routes existed")
                .histogram(Routes.MEASUREMENT, "s", "Time from request to response, per route (whiteboard servlet)");
    }

    @Override
    public void collect(PointWriter out) {
        metrics.collect(out);
    }

    /** The metrics, for tests and benchmarks in this package. */
    HttpMetrics metrics() {
        return metrics;
    }

    /** Ends an asynchronous request when the container completes it (allocated per async request only). */
    private static final class AsyncEnd implements AsyncListener {
        private final HttpMetrics metrics;
        private final int method;
        private final long start;
        private final Routes.Route route;
        private boolean ended;

        AsyncEnd(HttpMetrics metrics, int method, long start, Routes.Route route) {
            this.metrics = metrics;
            this.method = method;
            this.start = start;
            this.route = route;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            end(event);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // onComplete follows
        }

        @Override
        public void onError(AsyncEvent event) {
            // onComplete follows
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }

        private synchronized void end(AsyncEvent event) {
            if (ended) {
                return;
            }
            ended = true;
            ServletResponse r = event.getSuppliedResponse();
            int status = r instanceof HttpServletResponse ? ((HttpServletResponse) r).getStatus() : 200;
            metrics.end(method, status, start, route);
        }
    }
}
