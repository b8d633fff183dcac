package dev.osgimon.source.http.internal;

import java.io.IOException;

import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.FilterConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletMapping;
import javax.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whiteboard filter on {@code /*} in every servlet context: it runs only once the whiteboard has
 * matched a servlet, and tells the http source's preprocessor, on the same thread, which one (the
 * route). A request it never sees is one no servlet handled: route {@code none}.
 *
 * <p>The route is the servlet's {@code osgi.http.whiteboard.servlet.name}, or the pattern it matched
 * when it has no name (the whiteboard would otherwise name it by its class), from the request's
 * {@link HttpServletMapping} (Servlet 4). Where the container leaves the mapping empty (pax-web 8
 * on Jetty 9.4) or has none (Servlet 3.1), it is the name of the named servlet whose pattern gives
 * the request's servlet path, else the servlet path.
 */
public final class RouteFilter implements Filter {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFilter.class);

    private final HttpMetrics metrics;
    private final Routes routes;
    /** Cleared when the container's servlet API has no {@code getHttpServletMapping} (3.1). */
    private volatile boolean mappings = true;

    RouteFilter(HttpMetrics metrics) {
        this.metrics = metrics;
        this.routes = metrics.routes();
    }

    @Override
    public void init(FilterConfig filterConfig) {
        // nothing to configure
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest) {
            HttpMetrics.Stripe stripe = metrics.stripe();
            Routes.Route route = routes.lookup(key((HttpServletRequest) request));
            if (route == null) {
                stripe.overCap();
                route = routes.other();
            }
            stripe.routed(route, request);
        }
        chain.doFilter(request, response);
    }

    /** @return the servlet's name if it was given one, else the pattern it matched */
    private String key(HttpServletRequest request) {
        if (mappings) {
            try {
                HttpServletMapping m = request.getHttpServletMapping();
                if (m != null) {
                    String name = m.getServletName();
                    if (name != null && routes.isNamed(name)) {
                        return name;
                    }
                    String pattern = m.getPattern();
                    if (pattern != null && !pattern.isEmpty()) {
                        return pattern;
                    }
                }
            } catch (LinkageError e) {
                mappings = false;
                LOG.info("The servlet container has no Servlet 4 mappings: http_latency routes are servlet paths");
            }
        }
        String path = request.getServletPath();
        if (path == null || path.isEmpty()) {
            path = "/";
        }
        String name = routes.nameOfPath(path);
        return name != null ? name : path;
    }

    @Override
    public void destroy() {
        // nothing held
    }
}
