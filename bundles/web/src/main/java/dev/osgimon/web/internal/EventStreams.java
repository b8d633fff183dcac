package dev.osgimon.web.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The Server-Sent Events streams of the chart: one event per cycle with the new point of the series a
 * client asked for, a comment every 15 s to keep proxies open, at most {@value #MAX_STREAMS} clients.
 */
final class EventStreams {

    /** Most Server-Sent Events clients at once; more get 503. */
    static final int MAX_STREAMS = 16;
    private static final Long STOP = Long.MIN_VALUE;

    private final History history;
    private final List<BlockingQueue<Long>> streams = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    EventStreams(History history) {
        this.history = history;
    }

    /**
     * A cycle was recorded: wakes every stream.
     *
     * @param timestampNanos the cycle's time
     */
    void cycle(long timestampNanos) {
        for (BlockingQueue<Long> q : streams) {
            q.offer(timestampNanos / 1_000_000L);
        }
    }

    /** Ends every stream; a stream asked for later ends at once. */
    void close() {
        closed = true;
        for (BlockingQueue<Long> q : streams) {
            q.offer(STOP);
        }
    }

    /**
     * Streams one series until the client leaves or the page stops (on the request's thread).
     *
     * @param x the exchange
     * @param key the series
     * @throws IOException when the client is gone
     */
    void stream(Exchange x, History.Key key) throws IOException {
        if (streams.size() >= MAX_STREAMS) {
            x.send(503, "text/plain", "too many event streams");
            return;
        }
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
}
