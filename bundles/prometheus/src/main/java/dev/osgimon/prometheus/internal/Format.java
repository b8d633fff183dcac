package dev.osgimon.prometheus.internal;

/** The two exposition formats a scrape can get. */
enum Format {

    /** Prometheus text format 0.0.4: what every scraper reads. */
    TEXT("text/plain; version=0.0.4; charset=utf-8"),
    /** OpenMetrics 1.0.0 text: what Prometheus asks for first. */
    OPENMETRICS("application/openmetrics-text; version=1.0.0; charset=utf-8");

    private final String contentType;

    Format(String contentType) {
        this.contentType = contentType;
    }

    /** @return the {@code Content-Type} of a response in this format */
    String contentType() {
        return contentType;
    }

    /**
     * Content negotiation: OpenMetrics when the {@code Accept} header lists
     * {@code application/openmetrics-text} with a quality above 0 (any version is answered with
     * 1.0.0), text 0.0.4 otherwise.
     *
     * @param accept the request's {@code Accept} header, or {@code null}
     * @return the format to answer with
     */
    static Format negotiate(String accept) {
        return accepts(accept, "application/openmetrics-text") ? OPENMETRICS : TEXT;
    }

    /**
     * Whether a header of comma-separated tokens with optional {@code ;q=} parameters accepts a
     * token (compared without case).
     *
     * @param header e.g. {@code Accept} or {@code Accept-Encoding}, or {@code null}
     * @param token e.g. {@code gzip}
     * @return whether the token is listed with a quality above 0
     */
    static boolean accepts(String header, String token) {
        if (header == null) {
            return false;
        }
        for (String part : header.split(",")) {
            String[] params = part.split(";");
            if (!params[0].trim().equalsIgnoreCase(token)) {
                continue;
            }
            boolean zero = false;
            for (int i = 1; i < params.length; i++) {
                String p = params[i].trim();
                if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
                    try {
                        zero = Double.parseDouble(p.substring(2).trim()) <= 0;
                    } catch (NumberFormatException e) {
                        zero = true; // an unreadable quality accepts nothing
                    }
                }
            }
            if (!zero) {
                return true;
            }
        }
        return false;
    }
}
