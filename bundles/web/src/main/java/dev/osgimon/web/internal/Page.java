package dev.osgimon.web.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The page's front door, for both servlet flavours: security headers on every answer, GET and POST
 * only, the CSRF token on every POST ({@value #TOKEN_HEADER} header), and the routes to the parts
 * that answer: {@link Assets}, {@link Views}, {@link EventStreams}, {@link Changes} and
 * {@link MemtraceCard}. Every API path has an extension: the Web Console frames extension-less paths
 * as HTML pages.
 */
final class Page {

    private static final Logger LOG = LoggerFactory.getLogger(Page.class);
    static final String TOKEN_HEADER = "X-Osgimon-Token";
    static final String CSP = "default-src 'self'";

    private final String token;
    private final Assets assets;
    private final Views views;
    private final EventStreams streams;
    private final Changes changes;
    private final MemtraceCard memtrace;
    private volatile boolean closed;

    /**
     * A page.
     *
     * @param token the CSRF token every POST must carry (and the page's HTML hands its script)
     * @param views the reads
     * @param streams the chart's event streams
     * @param changes the state changes
     * @param memtrace the memtrace card
     */
    Page(String token, Views views, EventStreams streams, Changes changes, MemtraceCard memtrace) {
        this.token = token;
        this.assets = new Assets(token);
        this.views = views;
        this.streams = streams;
        this.changes = changes;
        this.memtrace = memtrace;
    }

    /** Ends every event stream; later requests get 503. */
    void close() {
        closed = true;
        streams.close();
    }

    /**
     * Serves one request.
     *
     * @param x the exchange
     * @param base the page's absolute path, e.g. {@code /osgimon}
     * @param fullPage whether the HTML is a whole document (standalone) or a fragment inside
     *        the Web Console's frame
     * @throws IOException if the client is gone
     */
    void serve(Exchange x, String base, boolean fullPage) throws IOException {
        x.header("X-Content-Type-Options", "nosniff");
        x.header("Referrer-Policy", "no-referrer");
        if (fullPage || !x.path().isEmpty()) {
            x.header("Content-Security-Policy", CSP);
            x.header("X-Frame-Options", "DENY");
        }
        if (closed) {
            x.refuse(503, "stopping");
            return;
        }
        String path = x.path();
        boolean post = "POST".equals(x.method());
        if (!post && !"GET".equals(x.method())) {
            x.refuse(405, "GET or POST only");
            return;
        }
        if (post && !tokenOk(x.header(TOKEN_HEADER))) {
            LOG.warn("Refused {} {}{} from {}: missing or wrong CSRF token", x.method(), base, path, x.remoteAddress());
            x.refuse(403, "missing or wrong " + TOKEN_HEADER);
            return;
        }
        if (path.isEmpty() || path.equals("/")) {
            if (post) {
                x.refuse(405, "GET only");
            } else {
                assets.html(x, base, fullPage);
            }
            return;
        }
        if (path.startsWith("/static/") && !post) {
            assets.file(x, path.substring("/static/".length()));
            return;
        }
        x.header("Cache-Control", "no-store");
        route(x, (post ? "POST " : "GET ") + path);
    }

    private void route(Exchange x, String route) throws IOException {
        switch (route) {
            case "GET /api/state.json" -> x.json(200, views.state());
            case "GET /api/levels.json" -> x.json(200, views.levels());
            case "GET /api/series.json" -> x.json(200, views.series());
            case "GET /api/overview.json" -> overview(x, false);
            case "GET /api/overview.stream" -> overview(x, true);
            case "GET /api/points.json" -> chart(x, false);
            case "GET /api/events.stream" -> chart(x, true);
            case "GET /api/memtrace.json" -> memtrace.status(x);
            case "GET /api/memtrace.jfr" -> memtrace.download(x);
            case "POST /api/sources.json" -> changes.sources(x);
            case "POST /api/levels.json" -> changes.levels(x);
            case "POST /api/memtrace.json" -> memtrace.start(x);
            default -> x.refuse(404, "not found");
        }
    }

    /** The overview, whole ({@code since} 0 or absent) or after {@code since}; or its stream. */
    private void overview(Exchange x, boolean stream) throws IOException {
        long since;
        try {
            since = since(x);
        } catch (IllegalArgumentException e) {
            x.send(400, "text/plain", e.getMessage());
            return;
        }
        if (stream) {
            streams.stream(x, since, views::overview);
        } else {
            x.json(200, views.overview(since));
        }
    }

    /**
     * The detailed chart of the series {@code m}, {@code f}, {@code tags}, drawn as {@code view}
     * ({@code rate} or {@code raw} for a counter) or as the quantiles {@code q} of a histogram; or its
     * stream.
     */
    private void chart(Exchange x, boolean stream) throws IOException {
        long since;
        double[] quantiles;
        try {
            since = since(x);
            quantiles = Overview.quantiles(x.parameter("q"));
        } catch (IllegalArgumentException e) {
            x.send(400, "text/plain", e.getMessage());
            return;
        }
        String view = x.parameter("view");
        if (view != null && !view.equals("rate") && !view.equals("raw")) {
            x.send(400, "text/plain", "view is rate or raw, was " + view);
            return;
        }
        History.Key key = Views.key(x);
        if (stream) {
            streams.stream(x, since, s -> views.points(key, view, quantiles, s));
        } else {
            x.json(200, views.points(key, view, quantiles, since));
        }
    }

    private static long since(Exchange x) {
        String text = x.parameter("since");
        if (text == null || text.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("since is a time in ms, was " + text);
        }
    }

    private boolean tokenOk(String given) {
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }
}
