package dev.osgimon.source.http.internal;

import java.io.IOException;

import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.FilterConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

import dev.osgimon.api.MetricSource;

/**
 * Puts the http source's {@link RouteFilter} on the whiteboard: {@code /*} in every servlet context,
 * first in every chain (so a filter that answers on its own still leaves the route known). A
 * component of its own, so that no service is registered while the source is being activated (pax-web
 * activates whiteboard services on its own thread and would wait for itself).
 */
@Component(service = Filter.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_NAME + "=" + RouteFilterComponent.NAME,
    HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_PATTERN + "=/*",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=(" + HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_NAME + "=*)",
    Constants.SERVICE_RANKING + ":Integer=2147483647",
})
public final class RouteFilterComponent implements Filter {

    /** The filter's whiteboard name. */
    static final String NAME = "osgimon-http-route";

    private final RouteFilter filter;

    /**
     * @param source this bundle's http source
     */
    @Activate
    public RouteFilterComponent(@Reference(target = "(" + MetricSource.NAME + "=http)") MetricSource source) {
        if (!(source instanceof HttpSource)) {
            throw new IllegalStateException("the source named http is not this bundle's: " + source.getClass().getName());
        }
        this.filter = ((HttpSource) source).routeFilter();
    }

    @Override
    public void init(FilterConfig filterConfig) {
        // nothing to configure
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        filter.doFilter(request, response, chain);
    }

    @Override
    public void destroy() {
        // nothing held
    }
}
