package dev.osgimon.web.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The memtrace card's requests: start a recording, its status, the download; through {@link Allocations}. */
final class MemtraceCard {

    /** The answer while the memtrace bundle's recorder is not there. */
    static final String UNAVAILABLE = "error: memtrace unavailable (the memtrace bundle is not running)";

    /** The recorder, {@code null} while the memtrace bundle does not offer one. */
    private final Supplier<Allocations> allocations;

    MemtraceCard(Supplier<Allocations> allocations) {
        this.allocations = allocations;
    }

    void status(Exchange x) throws IOException {
        Allocations a = allocations.get();
        if (a == null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("available", false);
            m.put("state", "none");
            m.put("error", UNAVAILABLE);
            x.json(200, m);
            return;
        }
        x.json(200, a.status());
    }

    void start(Exchange x) throws IOException {
        Allocations a = allocations.get();
        if (a == null) {
            x.json(503, Map.of("answer", UNAVAILABLE));
            return;
        }
        int seconds;
        try {
            seconds = Integer.parseInt(String.valueOf(x.parameter("seconds")).trim());
        } catch (NumberFormatException e) {
            x.json(400, Map.of("answer", "error: seconds must be a number"));
            return;
        }
        try {
            a.start(seconds, "web " + x.remoteAddress());
        } catch (IllegalArgumentException | IllegalStateException e) {
            x.json(400, Map.of("answer", "error: " + e.getMessage()));
            return;
        }
        x.json(200, Map.of("answer", "ok"));
    }

    void download(Exchange x) throws IOException {
        Allocations a = allocations.get();
        if (a == null || !a.download(x)) {
            x.send(404, "text/plain", "no recording yet");
        }
    }
}
