package dev.osgimon.web.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * The Server-Sent Events streams of the page: one event per cycle with what a client's view gained
 * since the last event (the overview's or one chart's new points), a comment every 15 s to keep
 * proxies open, at most {@value #MAX_STREAMS} clients.
 */
final class EventStreams {

    /** Most Server-Sent Events clients at once; more get 503. */
    static final int MAX_STREAMS = 16;
    private static final Long STOP = Long.MIN_VALUE;

    private final List<BlockingQueue<Long>> streams = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /**
     * A cycle was recorded: wakes every stream.
     *
     * @param timestampNanos the cycle's time
     */
    void cycle(long timestampNanos) {
        if (streams.isEmpty()) {
            return; // nothing to wake: no allocation on the collector thread
        }
        Long millis = timestampNanos / 1_000_000L;
        for (BlockingQueue<Long> q : streams) {
            q.offer(millis);
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
     * Streams one view until the client leaves or the page stops (on the request's thread): after
     * each cycle an event {@code cycle} whose data is {@code view} applied to the time of the last
     * cycle sent (at first {@code sinceMillis}); the view answers a map whose {@code t} holds the
     * times of the cycles it covers, the newest last.
     *
     * @param x the exchange
     * @param sinceMillis the time of the newest cycle the client already has (ms), 0 for none
     * @param view what a cycle event carries, given the time of the newest cycle sent before
     * @throws IOException when the client is gone
     */
    void stream(Exchange x, long sinceMillis, LongFunction<Map<String, Object>> view) throws IOException {
        if (streams.size() >= MAX_STREAMS) {
            x.send(503, "text/plain", "too many event streams");
            return;
        }
        BlockingQueue<Long> queue = new LinkedBlockingQueue<>();
        streams.add(queue);
        long since = sinceMillis;
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
                    Map<String, Object> data = view.apply(since);
                    if (data.get("t") instanceof long[] times && times.length > 0) {
                        since = times[times.length - 1];
                    }
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
