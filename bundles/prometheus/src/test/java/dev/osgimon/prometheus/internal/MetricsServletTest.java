package dev.osgimon.prometheus.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;

import dev.osgimon.httpaccess.internal.ClientFilter;
import dev.osgimon.httpaccess.internal.RequiredAuthorization;
import dev.osgimon.testing.LogCapture;
import dev.osgimon.testing.TestCycle;

/** The servlet alone, with mocked request and response: access rules, negotiation, gzip, methods. */
class MetricsServletTest {

    private final Snapshot snapshot = new SnapshotBuilder().build(new TestCycle(1_000_000_000L).point("m").gauge("v", 1));
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    private HttpServletRequest request(String method, String client, String authorization, String accept, String encoding) {
        HttpServletRequest req = mock(HttpServletRequest.class);
        when(req.getMethod()).thenReturn(method);
        when(req.getRemoteAddr()).thenReturn(client);
        when(req.getRequestURI()).thenReturn("/metrics");
        when(req.getHeader("Authorization")).thenReturn(authorization);
        when(req.getHeader("Accept")).thenReturn(accept);
        when(req.getHeader("Accept-Encoding")).thenReturn(encoding);
        return req;
    }

    private HttpServletResponse response() throws Exception {
        HttpServletResponse resp = mock(HttpServletResponse.class);
        when(resp.getOutputStream()).thenReturn(new ServletOutputStream() {
            @Override
            public void write(int b) {
                body.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                // blocking only
            }
        });
        return resp;
    }

    private MetricsServlet servlet(String[] allow, String authorization) {
        return new MetricsServlet(() -> snapshot, ClientFilter.parse(allow), RequiredAuthorization.parse(authorization));
    }

    @Test
    void loopbackGetsTextByDefault() throws Exception {
        HttpServletResponse resp = response();
        servlet(null, "").service(request("GET", "127.0.0.1", null, null, null), resp);
        verify(resp).setStatus(200);
        verify(resp).setContentType("text/plain; version=0.0.4; charset=utf-8");
        verify(resp, never()).setHeader("Content-Encoding", "gzip");
        assertThat(body.toString(StandardCharsets.UTF_8)).isEqualTo(new String(snapshot.bytes(Format.TEXT, false),
                StandardCharsets.UTF_8)).contains("m_v 1\n");
    }

    @Test
    void openMetricsGzippedWhenAskedForBoth() throws Exception {
        HttpServletResponse resp = response();
        servlet(null, "").service(request("GET", "::1", null, "application/openmetrics-text;version=1.0.0", "gzip"), resp);
        verify(resp).setContentType("application/openmetrics-text; version=1.0.0; charset=utf-8");
        verify(resp).setHeader("Content-Encoding", "gzip");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body.toByteArray()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("m_v 1\n").endsWith("# EOF\n");
        }
    }

    @Test
    void otherClientsAreRefusedUnlessAllowedAndLoggedOncePerAddress() throws Exception {
        MetricsServlet loopbackOnly = servlet(null, "");
        HttpServletResponse refused = response();
        String log;
        try (LogCapture capture = new LogCapture()) {
            loopbackOnly.service(request("GET", "192.0.2.9", null, null, null), refused);
            loopbackOnly.service(request("GET", "192.0.2.9", null, null, null), response());
            loopbackOnly.service(request("GET", "192.0.2.10", null, null, null), response());
            log = capture.text();
        }
        verify(refused).sendError(403, "forbidden");
        verify(refused, never()).setStatus(200);
        assertThat(log.split("from 192.0.2.9:", -1)).as(log).hasSize(2);
        assertThat(log).contains("from 192.0.2.10:");

        HttpServletResponse allowed = response();
        servlet(new String[] {"192.0.2.0/24"}, "").service(request("GET", "192.0.2.9", null, null, null), allowed);
        verify(allowed).setStatus(200);
    }

    @Test
    void missingCredentialsGet401WithTheSchemesChallengeWrongOnes403() throws Exception {
        MetricsServlet bearer = servlet(null, "Bearer t0k3n");
        HttpServletResponse missing = response();
        bearer.service(request("GET", "127.0.0.1", null, null, null), missing);
        verify(missing).setHeader("WWW-Authenticate", "Bearer realm=\"osgimon\"");
        verify(missing).sendError(401, "authorization required");

        HttpServletResponse wrong = response();
        bearer.service(request("GET", "127.0.0.1", "Bearer t0k3", null, null), wrong);
        verify(wrong).sendError(403, "forbidden");
        verify(wrong, never()).setStatus(200);

        HttpServletResponse right = response();
        bearer.service(request("GET", "127.0.0.1", "Bearer t0k3n", null, null), right);
        verify(right).setStatus(200);

        HttpServletResponse basic = response();
        servlet(null, "Basic dTpw").service(request("GET", "127.0.0.1", null, null, null), basic);
        verify(basic).setHeader("WWW-Authenticate", "Basic realm=\"osgimon\", charset=\"UTF-8\"");
        verify(basic).sendError(401, "authorization required");
    }

    @Test
    void headHasNoBodyAndOtherMethodsAreNotAllowed() throws Exception {
        HttpServletResponse head = response();
        servlet(null, "").service(request("HEAD", "127.0.0.1", null, null, null), head);
        verify(head).setStatus(200);
        verify(head).setContentLength(snapshot.bytes(Format.TEXT, false).length);
        assertThat(body.size()).isZero();

        HttpServletResponse post = response();
        servlet(null, "").service(request("POST", "127.0.0.1", null, null, null), post);
        verify(post).setHeader("Allow", "GET, HEAD");
        verify(post).sendError(405, "GET or HEAD only");
        verify(post, never()).setStatus(anyInt());
        verify(post, never()).setContentType(anyString());
    }
}
