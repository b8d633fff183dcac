package dev.osgimon.source.http.internal;

import java.io.IOException;

import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.FilterChain;
import javax.servlet.FilterConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.Preprocessor;

import dev.osgimon.api.MetricSource;
import dev.osgimon.api.MetricSourceProperties;
import dev.osgimon.api.PointWriter;

/**
 * Metric source {@code http} (tag {@code http}): counts every request the OSGi Http Whiteboard
 * serves. It is a whiteboard {@link Preprocessor}, so it sees each request before the servlet
 * context is chosen, including those no servlet handles (404). Requests are counted by method
 * and status class, with latency buckets; paths are never tags.
 *
 * <p>The counters keep running while the source is disabled (that costs nothing worth saving);
 * they are only not collected.
 */
@Component(service = {MetricSource.class, Preprocessor.class})
@MetricSourceProperties(name = "http", tags = "http")
public final class HttpSource implements MetricSource, Preprocessor {

    private final HttpMetrics metrics = new HttpMetrics();

    /** Activates the source. */
    @Activate
    public HttpSource() {
        // nothing to set up: the whiteboard finds the preprocessor by its service
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
            if (req.isAsyncStarted()) {
                req.getAsyncContext().addListener(new AsyncEnd(metrics, method, start));
            } else {
                stripe.end(method, res.getStatus(), start);
            }
            done = true;
        } finally {
            if (!done) {
                // the chain threw: the container answers 500 unless the response is already out
                stripe.end(method, res.isCommitted() ? res.getStatus() : 500, start);
            }
        }
    }

    @Override
    public void destroy() {
        // nothing held
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
        private boolean ended;

        AsyncEnd(HttpMetrics metrics, int method, long start) {
            this.metrics = metrics;
            this.method = method;
            this.start = start;
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
            metrics.end(method, status, start);
        }
    }
}
