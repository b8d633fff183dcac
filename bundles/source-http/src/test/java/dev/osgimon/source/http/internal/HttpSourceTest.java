package dev.osgimon.source.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import javax.servlet.AsyncContext;
import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletMapping;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import dev.osgimon.testing.DeclarationCheck;
import dev.osgimon.testing.RecordingWriter;

class HttpSourceTest {

    private final HttpSource source = new HttpSource(50);

    private static HttpServletRequest request(String method) {
        HttpServletRequest req = mock(HttpServletRequest.class);
        when(req.getMethod()).thenReturn(method);
        return req;
    }

    private static HttpServletResponse response(int status) {
        HttpServletResponse res = mock(HttpServletResponse.class);
        when(res.getStatus()).thenReturn(status);
        return res;
    }

    private RecordingWriter collect() {
        RecordingWriter out = new RecordingWriter();
        source.collect(out);
        return out;
    }

    @Test
    void countsTheStatusTheChainLeavesAndIsInFlightMeanwhile() throws Exception {
        FilterChain chain = mock(FilterChain.class);
        long[] inFlight = new long[1];
        doAnswer(inv -> {
            inFlight[0] = (Long) collect().named("http_server").get(0).fields().get("in_flight");
            return null;
        }).when(chain).doFilter(any(), any());

        source.doFilter(request("GET"), response(404), chain);
        source.doFilter(request("DELETE"), response(204), chain);

        assertThat(inFlight[0]).isEqualTo(1);
        RecordingWriter out = collect();
        assertThat(out.named("http_response").get(0).fields()).containsEntry("4xx", 1L).containsEntry("2xx", 1L)
                .containsEntry("total", 2L);
        assertThat(out.one("http_requests", "method", "DELETE").fields()).containsEntry("total", 1L);
        assertThat(out.named("http_server").get(0).fields()).containsEntry("in_flight", 0L);
    }

    @Test
    void aFailingChainCountsAs500AndTheFailureGoesOn() throws Exception {
        FilterChain chain = mock(FilterChain.class);
        doThrow(new ServletException("boom")).when(chain).doFilter(any(), any());
        HttpServletResponse res = response(200);

        assertThatThrownBy(() -> source.doFilter(request("POST"), res, chain)).hasMessage("boom");

        assertThat(collect().named("http_response").get(0).fields()).containsEntry("5xx", 1L)
                .containsEntry("total", 1L);
    }

    @Test
    void aCommittedResponseKeepsItsStatusWhenTheChainFailsLater() throws Exception {
        FilterChain chain = mock(FilterChain.class);
        doThrow(new IllegalStateException("late")).when(chain).doFilter(any(), any());
        HttpServletResponse res = response(302);
        when(res.isCommitted()).thenReturn(true);

        assertThatThrownBy(() -> source.doFilter(request("GET"), res, chain)).hasMessage("late");

        assertThat(collect().named("http_response").get(0).fields()).containsEntry("3xx", 1L);
    }

    @Test
    void anAsyncRequestIsCountedWhenItCompletes() throws Exception {
        HttpServletRequest req = request("PUT");
        AsyncContext async = mock(AsyncContext.class);
        when(req.isAsyncStarted()).thenReturn(true);
        when(req.getAsyncContext()).thenReturn(async);
        HttpServletResponse res = response(201);

        source.doFilter(req, res, mock(FilterChain.class));
        assertThat(collect().named("http_server").get(0).fields()).containsEntry("in_flight", 1L);

        ArgumentCaptor<AsyncListener> listener = ArgumentCaptor.forClass(AsyncListener.class);
        verify(async).addListener(listener.capture());
        AsyncEvent done = new AsyncEvent(async, req, res);
        listener.getValue().onComplete(done);
        listener.getValue().onComplete(done);

        RecordingWriter out = collect();
        assertThat(out.named("http_response").get(0).fields()).containsEntry("2xx", 1L).containsEntry("total", 1L);
        assertThat(out.one("http_requests", "method", "PUT").fields()).containsEntry("total", 1L);
        assertThat(out.named("http_server").get(0).fields()).containsEntry("in_flight", 0L);
    }

    @Test
    void nonHttpRequestsPassUncounted() throws Exception {
        FilterChain chain = mock(FilterChain.class);
        ServletRequest req = mock(ServletRequest.class);
        ServletResponse res = mock(ServletResponse.class);
        source.doFilter(req, res, chain);
        verify(chain).doFilter(req, res);
        assertThat(collect().named("http_response").get(0).fields()).containsEntry("total", 0L);
    }

    /** A request the whiteboard matched to a servlet with this mapping. */
    private static HttpServletRequest routed(String servletName, String pattern) {
        HttpServletRequest req = request("GET");
        HttpServletMapping mapping = mock(HttpServletMapping.class);
        when(mapping.getServletName()).thenReturn(servletName);
        when(mapping.getPattern()).thenReturn(pattern);
        when(req.getHttpServletMapping()).thenReturn(mapping);
        return req;
    }

    /** The whiteboard's chain for a matched servlet: the route filter, then the servlet. */
    private FilterChain toServlet() {
        return (req, res) -> source.routeFilter().doFilter(req, res, (q, r) -> { });
    }

    private long count(RecordingWriter out, String route) {
        return (Long) out.one("http_latency", "route", route).fields().get("count");
    }

    @Test
    void latencyIsPerRouteByServletNameOrPatternAndNoneWithoutServlet() throws Exception {
        source.bindNamedServlet(servletRef(7L, "osgimon"));
        for (int i = 0; i < 3; i++) {
            source.doFilter(routed("osgimon", "/osgimon/*"), response(200), toServlet());
        }
        source.doFilter(routed("com.example.OrdersServlet", "/orders/*"), response(200), toServlet());
        source.doFilter(request("GET"), response(404), mock(FilterChain.class)); // no servlet: the filter never runs
        source.doFilter(request("GET"), response(404), mock(FilterChain.class));

        RecordingWriter out = collect();
        assertThat(count(out, "osgimon")).isEqualTo(3);
        assertThat(count(out, "/orders/*")).as("unnamed: its pattern").isEqualTo(1);
        assertThat(count(out, "none")).isEqualTo(2);
        assertThat(out.named("http_server").get(0).fields()).containsEntry("routes", 2L);
        assertThat(out.named("http_response").get(0).fields()).containsEntry("2xx", 4L).containsEntry("4xx", 2L);

        source.unbindNamedServlet(servletRef(7L, "osgimon"));
        source.doFilter(routed("osgimon", "/osgimon/*"), response(200), toServlet());
        assertThat(count(collect(), "/osgimon/*")).as("no longer a named servlet").isEqualTo(1);
    }

    @Test
    void aContainerWithoutServletMappingsRoutesByServletPath() throws Exception {
        HttpServletRequest req = request("GET");
        when(req.getHttpServletMapping()).thenThrow(new AbstractMethodError("Servlet 3.1"));
        when(req.getServletPath()).thenReturn("/legacy");
        source.doFilter(req, response(200), toServlet());
        HttpServletRequest root = request("GET");
        when(root.getServletPath()).thenReturn("");
        source.doFilter(root, response(200), toServlet());
        RecordingWriter out = collect();
        assertThat(count(out, "/legacy")).isEqualTo(1);
        assertThat(count(out, "/")).isEqualTo(1);
    }

    @Test
    void anEmptyMappingRoutesByTheNamedServletOfTheServletPath() throws Exception {
        org.osgi.framework.ServiceReference<javax.servlet.Servlet> web = servletRef(9L, "osgimon-web");
        when(web.getProperty("osgi.http.whiteboard.servlet.pattern")).thenReturn(new String[] {"/osgimon", "/osgimon/*"});
        source.bindNamedServlet(web);
        HttpServletRequest req = routed("", ""); // what a container without Servlet 4 mappings answers
        when(req.getServletPath()).thenReturn("/osgimon");
        source.doFilter(req, response(200), toServlet());
        HttpServletRequest unnamed = routed("", "");
        when(unnamed.getServletPath()).thenReturn("/elsewhere");
        source.doFilter(unnamed, response(200), toServlet());
        RecordingWriter out = collect();
        assertThat(count(out, "osgimon-web")).isEqualTo(1);
        assertThat(count(out, "/elsewhere")).isEqualTo(1);
    }

    @Test
    void routesPastMaxRoutesAreOtherAndCounted() throws Exception {
        HttpSource capped = new HttpSource(1);
        FilterChain chain = (req, res) -> capped.routeFilter().doFilter(req, res, (q, r) -> { });
        capped.doFilter(routed("a", "/a"), response(200), chain);
        capped.doFilter(routed("b", "/b"), response(200), chain);
        capped.doFilter(routed("c", "/c"), response(200), chain);
        capped.doFilter(routed("a", "/a"), response(200), chain);
        RecordingWriter out = new RecordingWriter();
        capped.collect(out);
        assertThat(out.named("http_latency")).extracting(p -> p.tags().get("route")).containsExactly("none", "/a", "other");
        assertThat(count(out, "/a")).isEqualTo(2);
        assertThat(count(out, "other")).isEqualTo(2);
        assertThat(out.named("http_server").get(0).fields()).containsEntry("routes", 1L).containsEntry("routes_over_cap", 2L);
        DeclarationCheck.assertAgree(capped, out);
    }

    @Test
    void declaresWhatItWrites() throws Exception {
        source.doFilter(request("GET"), response(200), mock(FilterChain.class));
        DeclarationCheck.assertAgree(source, collect());
    }

    @SuppressWarnings("unchecked")
    private static org.osgi.framework.ServiceReference<javax.servlet.Servlet> servletRef(long id, String name) {
        org.osgi.framework.ServiceReference<javax.servlet.Servlet> ref = mock(org.osgi.framework.ServiceReference.class);
        when(ref.getProperty(org.osgi.framework.Constants.SERVICE_ID)).thenReturn(id);
        when(ref.getProperty("osgi.http.whiteboard.servlet.name")).thenReturn(name);
        return ref;
    }
}
