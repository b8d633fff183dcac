package dev.osgimon.prometheus.internal;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.httpaccess.internal.ClientFilter;
import dev.osgimon.httpaccess.internal.RequiredAuthorization;

/**
 * {@code GET} and {@code HEAD} of the scrape endpoint: checks the client (403) and the
 * {@code Authorization} header (401 with a challenge when missing, 403 when wrong), then answers
 * the latest snapshot in the negotiated format, gzip-compressed when the client accepts it. A refusal
 * is logged once per client address and reason (a scraper retries every interval).
 */
final class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServlet.class);
    /** Refusals logged at most, should addresses run away. */
    private static final int MAX_LOGGED = 1024;

    private final transient Supplier<Snapshot> latest;
    private final transient ClientFilter clients;
    private final transient RequiredAuthorization authorization;
    private final transient Set<String> logged = ConcurrentHashMap.newKeySet();

    MetricsServlet(Supplier<Snapshot> latest, ClientFilter clients, RequiredAuthorization authorization) {
        this.latest = latest;
        this.clients = clients;
        this.authorization = authorization;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String method = req.getMethod();
        String client = req.getRemoteAddr();
        if (!clients.allows(client)) {
            if (once("client " + client)) {
                LOG.warn("Refused {} {} from {}: not loopback and not in 'allow' (logged once per address)", method,
                        req.getRequestURI(), client);
            }
            resp.sendError(HttpServletResponse.SC_FORBIDDEN, "forbidden");
            return;
        }
        switch (authorization.check(req.getHeader("Authorization"))) {
            case MISSING:
                resp.setHeader("WWW-Authenticate", authorization.challenge());
                resp.sendError(HttpServletResponse.SC_UNAUTHORIZED, "authorization required");
                return;
            case WRONG:
                if (once("authorization " + client)) {
                    LOG.warn("Refused {} {} from {}: wrong Authorization header (logged once per address)", method,
                            req.getRequestURI(), client);
                }
                resp.sendError(HttpServletResponse.SC_FORBIDDEN, "forbidden");
                return;
            default:
                break;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            resp.setHeader("Allow", "GET, HEAD");
            resp.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED, "GET or HEAD only");
            return;
        }
        Format format = Format.negotiate(req.getHeader("Accept"));
        boolean gzip = Format.accepts(req.getHeader("Accept-Encoding"), "gzip");
        byte[] body = latest.get().bytes(format, gzip);
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setContentType(format.contentType());
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("Vary", "Accept, Accept-Encoding");
        if (gzip) {
            resp.setHeader("Content-Encoding", "gzip");
        }
        resp.setContentLength(body.length);
        if (method.equals("GET")) {
            resp.getOutputStream().write(body);
        }
    }

    private boolean once(String key) {
        return logged.size() < MAX_LOGGED && logged.add(key);
    }
}
