package dev.osgimon.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The page's HTML (a whole document, or a fragment inside the Web Console's frame) and its static
 * files: its own script and style sheet, and uPlot from the webjar.
 */
final class Assets {

    private static final Map<String, String> STATIC = Map.of(
            "app.js", "text/javascript", "app.css", "text/css",
            "uPlot.iife.min.js", "text/javascript", "uPlot.min.css", "text/css");
    /** Where bnd puts uPlot from the webjar {@code org.webjars.npm:uplot}. */
    private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";

    private final String token;

    /**
     * The assets of one page.
     *
     * @param token the CSRF token the page's script sends back
     */
    Assets(String token) {
        this.token = token;
    }

    /**
     * Answers the HTML.
     *
     * @param x the exchange
     * @param base the page's absolute path
     * @param fullPage a whole document, else a fragment for the console's frame
     * @throws IOException if the client is gone
     */
    void html(Exchange x, String base, boolean fullPage) throws IOException {
        x.header("Cache-Control", "no-store");
        x.send(200, "text/html; charset=utf-8", html(base, fullPage));
    }

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

    /**
     * Answers a static file, 404 for any name not in the list.
     *
     * @param x the exchange
     * @param name the file name below {@code /static/}
     * @throws IOException if the client is gone
     */
    void file(Exchange x, String name) throws IOException {
        String type = STATIC.get(name);
        if (type == null) {
            x.send(404, "text/plain", "not found");
            return;
        }
        String where = name.startsWith("uPlot") ? UPLOT : "static/";
        try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(where + name)) {
            if (in == null) {
                x.send(404, "text/plain", "not found");
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
        try (InputStream in = Assets.class.getClassLoader().getResourceAsStream("static/" + name)) {
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
}
