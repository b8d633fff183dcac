package dev.osgimon.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.admin.CommandService;
import dev.osgimon.api.admin.DeliveryStatus;
import dev.osgimon.api.admin.SourceControl;
import dev.osgimon.api.admin.SourceStatus;

/**
 * The operator page and its JSON and Server-Sent Events API, for both servlet flavours.
 *
 * <p>Every state change is a POST carrying the page's CSRF token in the {@value #TOKEN_HEADER}
 * header, goes through the {@link CommandService} (the same parser and rules as the TCP
 * protocol) and is logged at info with the client address and the state before and after.
 */
final class Page {

    private static final Logger LOG = LoggerFactory.getLogger(Page.class);
    static final String TOKEN_HEADER = "X-Osgimon-Token";
    static final String CSP = "default-src 'self'";
    /** Most Server-Sent Events clients at once; more get 503. */
    static final int MAX_STREAMS = 16;
    private static final Long STOP = Long.MIN_VALUE;
    private static final Pattern SOURCE_SPEC = Pattern.compile("[A-Za-z0-9*:._-]{1,200}(,[A-Za-z0-9*:._-]{1,200}){0,63}");
    private static final Pattern LEVEL_SPEC = Pattern.compile("[A-Za-z0-9*:@._$-]{1,400}");
    private static final Map<String, String> STATIC = Map.of(
            "app.js", "text/javascript", "app.css", "text/css",
            "uPlot.iife.min.js", "text/javascript", "uPlot.min.css", "text/css");

    /** Where bnd puts uPlot from the webjar {@code org.webjars.npm:uplot}. */
    private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";

    private final CommandService commands;
    private final SourceControl sources;
    /** The core's delivery snapshot, {@code null} while no core offers one. */
    private final Supplier<DeliveryStatus> deliveryStatus;
    private final History history;
    private final Memtrace memtrace;
    private final String token;
    private final List<BlockingQueue<Long>> streams = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /**
     * A page over the admin services.
     *
     * @param commands the text protocol, for every change and the level list
     * @param sources the source states
     * @param history recent values
     * @param memtrace the allocation recorder
     * @param token the CSRF token state changes must carry
     */
    Page(CommandService commands, SourceControl sources, Supplier<DeliveryStatus> delivery, History history,
            Memtrace memtrace, String token) {
        this.deliveryStatus = delivery;
        this.commands = commands;
        this.sources = sources;
        this.history = history;
        this.memtrace = memtrace;
        this.token = token;
    }

    /**
     * A cycle was recorded: wakes every event stream.
     *
     * @param timestampNanos the cycle's time
     */
    void cycle(long timestampNanos) {
        for (BlockingQueue<Long> q : streams) {
            q.offer(timestampNanos / 1_000_000L);
        }
    }

    /** Ends every event stream; later requests get 503. */
    void close() {
        closed = true;
        for (BlockingQueue<Long> q : streams) {
            q.offer(STOP);
        }
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
            send(x, 503, "text/plain", "stopping");
            return;
        }
        String path = x.path();
        boolean post = "POST".equals(x.method());
        if (!post && !"GET".equals(x.method())) {
            send(x, 405, "text/plain", "GET or POST only");
            return;
        }
        if (post && !tokenOk(x.header(TOKEN_HEADER))) {
            LOG.warn("Refused {} {}{} from {}: missing or wrong CSRF token", x.method(), base, path, x.remoteAddress());
            send(x, 403, "text/plain", "missing or wrong " + TOKEN_HEADER);
            return;
        }
        if (path.isEmpty() || path.equals("/")) {
            if (post) {
                send(x, 405, "text/plain", "GET only");
            } else {
                x.header("Cache-Control", "no-store");
                send(x, 200, "text/html; charset=utf-8", html(base, fullPage));
            }
            return;
        }
        if (path.startsWith("/static/") && !post) {
            staticFile(x, path.substring("/static/".length()));
            return;
        }
        x.header("Cache-Control", "no-store");
        // every API path has an extension: the Web Console frames extension-less paths as HTML pages
        switch ((post ? "POST " : "GET ") + path) {
            case "GET /api/state.json":
                json(x, 200, state());
                break;
            case "GET /api/levels.json":
                json(x, 200, levels());
                break;
            case "GET /api/series.json":
                json(x, 200, series());
                break;
            case "GET /api/points.json":
                json(x, 200, points(x));
                break;
            case "GET /api/events.stream":
                events(x);
                break;
            case "GET /api/memtrace.json":
                json(x, 200, Memtrace.toJson(memtrace.status()));
                break;
            case "GET /api/memtrace.jfr":
                jfr(x);
                break;
            case "POST /api/sources.json":
                change(x, "M", x.parameter("spec"), SOURCE_SPEC, "m*");
                break;
            case "POST /api/levels.json":
                change(x, "L", x.parameter("spec"), LEVEL_SPEC, "l*");
                break;
            case "POST /api/memtrace.json":
                record(x);
                break;
            default:
                send(x, 404, "text/plain", "not found");
        }
    }

    private boolean tokenOk(String given) {
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    // ---- changes ------------------------------------------------------------------------------

    private void change(Exchange x, String prefix, String spec, Pattern allowed, String query) throws IOException {
        if (spec == null || !allowed.matcher(spec).matches()) {
            json(x, 400, Map.of("answer", "error: malformed spec: " + (spec == null ? "(none)" : spec)));
            return;
        }
        String before = commands.execute(query);
        String answer = commands.execute(prefix + spec, "web " + x.remoteAddress());
        if (answer.startsWith("ok")) {
            LOG.info("{}{} from web client {}: {} -> {}", prefix, spec, x.remoteAddress(), before, commands.execute(query));
        } else {
            LOG.info("{}{} from web client {} refused: {}", prefix, spec, x.remoteAddress(), answer);
        }
        json(x, answer.startsWith("ok") ? 200 : 400, Map.of("answer", answer));
    }

    private void record(Exchange x) throws IOException {
        int seconds;
        try {
            seconds = Integer.parseInt(String.valueOf(x.parameter("seconds")).trim());
            memtrace.start(seconds);
        } catch (NumberFormatException e) {
            json(x, 400, Map.of("answer", "error: seconds must be a number"));
            return;
        } catch (IllegalArgumentException | IllegalStateException e) {
            json(x, 400, Map.of("answer", "error: " + e.getMessage()));
            return;
        }
        LOG.info("Memtrace recording of {} s started from web client {}", seconds, x.remoteAddress());
        json(x, 200, Map.of("answer", "ok"));
    }

    // ---- reads --------------------------------------------------------------------------------

    private Map<String, Object> state() {
        SourceStatus status = sources.status();
        Map<String, double[]> lines = new TreeMap<>();
        Map<String, double[]> errors = new TreeMap<>();
        Map<String, Object> delivery = new LinkedHashMap<>();
        double deliveryTime = -1;
        for (History.Key k : history.keys()) {
            if (k.measurement().equals("osgimon_source") && k.tags().containsKey("source")) {
                if (k.field().equals("lines")) {
                    lines.put(k.tags().get("source"), history.latest(k));
                } else if (k.field().equals("errors")) {
                    errors.put(k.tags().get("source"), history.latest(k));
                }
            } else if (k.measurement().equals("osgimon")) {
                double[] v = history.latest(k);
                if (v != null && v[1] >= deliveryTime) {
                    deliveryTime = v[1];
                    delivery.put("target", k.tags().getOrDefault("target", ""));
                    delivery.put(k.field(), v[0]);
                    delivery.put("time", (long) v[1]);
                }
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        TreeSet<String> tags = new TreeSet<>();
        for (SourceStatus.SourceState s : status.sources()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", s.name());
            row.put("tags", s.tags());
            row.put("enabled", s.enabled());
            double[] l = lines.get(s.name());
            double[] e = errors.get(s.name());
            row.put("lastCollect", l == null ? null : (long) l[1]);
            row.put("lines", l == null ? null : l[0]);
            row.put("errors", e == null ? null : e[0]);
            rows.add(row);
            tags.addAll(s.tags());
        }
        List<Map<String, Object>> tagRows = new ArrayList<>();
        for (String t : tags) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("tag", t);
            Boolean rule = null;
            for (SourceStatus.TagRule r : status.tagRules()) {
                if (r.tag().equals(t)) {
                    rule = r.enabled();
                }
            }
            row.put("rule", rule);
            tagRows.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("defaultEnabled", status.defaultEnabled());
        out.put("sources", rows);
        out.put("tags", tagRows);
        DeliveryStatus d = deliveryStatus.get();
        out.put("delivery", d == null ? delivery : deliveryCard(d));
        out.put("cycles", history.cycleCount());
        return out;
    }

    /** The delivery card from the core's own snapshot (the history's figures are a cycle old). */
    private static Map<String, Object> deliveryCard(DeliveryStatus d) {
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("target", d.target());
        card.put("buffer", d.buffer());
        card.put("connected", d.connected() ? "yes" : "no");
        card.put("lines_buffered", d.linesBuffered());
        card.put("bytes_buffered", d.bytesBuffered());
        card.put("oldest_buffered_age_s", d.oldestBufferedAgeSeconds());
        card.put("lines_sent", d.linesSent());
        card.put("lines_dropped", d.linesDropped());
        card.put("lines_rejected", d.linesRejected());
        card.put("lines_replayed", d.linesReplayed());
        card.put("write_errors", d.writeErrors());
        card.put("reconnects", d.reconnects());
        card.put("spool_errors", d.spoolErrors());
        card.put("last_error", d.lastError().isEmpty() ? "none" : d.lastError());
        return card;
    }

    private Map<String, Object> levels() {
        String answer = commands.execute("l*");
        List<Map<String, Object>> rows = new ArrayList<>();
        if (answer.startsWith("ok: ")) {
            for (String part : answer.substring(4).split(",")) {
                int colon = part.lastIndexOf(':', part.indexOf('@') < 0 ? part.length() : part.indexOf('@'));
                if (colon <= 0) {
                    continue;
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("logger", part.substring(0, colon));
                row.put("level", part.substring(colon + 1));
                rows.add(row);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("answer", answer);
        out.put("levels", rows);
        return out;
    }

    private List<Map<String, Object>> series() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (History.Key k : history.keys()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("m", k.measurement());
            m.put("f", k.field());
            m.put("tags", tagText(k.tags()));
            out.add(m);
        }
        return out;
    }

    private Map<String, Object> points(Exchange x) {
        History.Points p = history.points(key(x));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("t", p.timesMillis());
        out.put("v", p.values());
        out.put("capacity", history.capacity());
        return out;
    }

    private static History.Key key(Exchange x) {
        Map<String, String> tags = new TreeMap<>();
        String text = x.parameter("tags");
        if (text != null && !text.isEmpty()) {
            for (String kv : text.split(",")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    tags.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
        }
        return new History.Key(String.valueOf(x.parameter("m")), tags, String.valueOf(x.parameter("f")));
    }

    static String tagText(Map<String, String> tags) {
        StringBuilder sb = new StringBuilder();
        tags.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k).append('=').append(v));
        return sb.toString();
    }

    /** One event per cycle with the new point of the series asked for; a comment every 15 s keeps proxies open. */
    private void events(Exchange x) throws IOException {
        if (streams.size() >= MAX_STREAMS) {
            send(x, 503, "text/plain", "too many event streams");
            return;
        }
        History.Key key = key(x);
        BlockingQueue<Long> queue = new LinkedBlockingQueue<>();
        streams.add(queue);
        try {
            x.status(200);
            x.header("Content-Type", "text/event-stream; charset=utf-8");
            OutputStream out = x.body();
            out.write("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (!closed) {
                Long t = queue.poll(15, TimeUnit.SECONDS);
                if (STOP.equals(t)) {
                    break;
                }
                String event;
                if (t == null) {
                    event = ": keep-alive\n\n";
                } else {
                    double[] latest = history.latest(key);
                    Map<String, Object> data = new LinkedHashMap<>();
                    data.put("t", t);
                    data.put("v", latest != null && (long) latest[1] == t ? latest[0] : null);
                    event = "event: cycle\ndata: " + Json.of(data) + "\n\n";
                }
                out.write(event.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            streams.remove(queue);
        }
    }

    private void jfr(Exchange x) throws IOException {
        Path file = memtrace.file();
        if (file == null || !Files.exists(file)) {
            send(x, 404, "text/plain", "no recording yet");
            return;
        }
        x.status(200);
        x.header("Content-Type", "application/octet-stream");
        x.header("Content-Disposition", "attachment; filename=\"osgimon-memtrace.jfr\"");
        x.header("Content-Length", String.valueOf(Files.size(file)));
        Files.copy(file, x.body());
    }

    // ---- HTML and files -----------------------------------------------------------------------

    private String html(String base, boolean fullPage) throws IOException {
        String body = resource("page.html").replace("{{base}}", escape(base)).replace("{{token}}", escape(token));
        String assets = "<link rel=\"stylesheet\" href=\"" + escape(base) + "/static/uPlot.min.css\">\n"
                + "<link rel=\"stylesheet\" href=\"" + escape(base) + "/static/app.css\">\n"
                + "<script src=\"" + escape(base) + "/static/uPlot.iife.min.js\" defer></script>\n"
                + "<script src=\"" + escape(base) + "/static/app.js\" defer></script>\n";
        if (!fullPage) {
            return assets + body;
        }
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>osgimon</title>\n" + assets + "</head>\n<body>\n" + body + "</body>\n</html>\n";
    }

    private void staticFile(Exchange x, String name) throws IOException {
        String type = STATIC.get(name);
        if (type == null) {
            send(x, 404, "text/plain", "not found");
            return;
        }
        String where = name.startsWith("uPlot") ? UPLOT : "static/";
        try (InputStream in = Page.class.getClassLoader().getResourceAsStream(where + name)) {
            if (in == null) {
                send(x, 404, "text/plain", "not found");
                return;
            }
            byte[] bytes = in.readAllBytes();
            x.status(200);
            x.header("Content-Type", type + "; charset=utf-8");
            x.header("Cache-Control", "max-age=3600");
            x.header("Content-Length", String.valueOf(bytes.length));
            x.body().write(bytes);
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = Page.class.getClassLoader().getResourceAsStream("static/" + name)) {
            if (in == null) {
                throw new IOException("missing resource static/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    private static void json(Exchange x, int status, Object value) throws IOException {
        send(x, status, "application/json; charset=utf-8", Json.of(value));
    }

    private static void send(Exchange x, int status, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        x.status(status);
        x.header("Content-Type", type);
        x.header("Content-Length", String.valueOf(bytes.length));
        x.body().write(bytes);
    }
}
