package dev.osgimon.benchmarks.cost;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A line-protocol receiver on a loopback TCP port, the agent's {@code tcp://} target. It keeps,
 * per cycle (the timestamp every line of one collection shares), the self metrics of the
 * {@code monitoring} source: {@code osgimon.cycles}, {@code osgimon.cycle_time_ns} and each
 * source's {@code osgimon_source.collect_time_ns}, and counts every line and byte of the cycle.
 */
final class LineReceiver implements AutoCloseable {

    /** What one cycle delivered. */
    static final class Cycle {
        final long timestamp;
        final long arrivalNanos;
        long cycles = -1;
        long cycleTimeNs = -1;
        long appendTimeNs = -1;
        final Map<String, Long> collectNs = new LinkedHashMap<>();
        int lines;
        long bytes;

        Cycle(long timestamp, long arrivalNanos) {
            this.timestamp = timestamp;
            this.arrivalNanos = arrivalNanos;
        }
    }

    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Socket> connections = new ArrayList<>();
    private final ConcurrentSkipListMap<Long, Cycle> cycles = new ConcurrentSkipListMap<>();

    LineReceiver() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "cost-probe-receiver");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** @return the cycles received so far, oldest first (a copy) */
    List<Cycle> cycles() {
        synchronized (cycles) {
            return new ArrayList<>(cycles.values());
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                synchronized (connections) {
                    connections.add(s);
                }
                Thread reader = new Thread(() -> read(s), "cost-probe-reader");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void read(Socket s) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isEmpty()) {
                    take(line, System.nanoTime());
                }
            }
        } catch (IOException e) {
            // the agent closed or was stopped
        }
    }

    /** Parses one line; only the self metrics are looked into, every line is counted. */
    void take(String line, long now) {
        int space = unescaped(line, ' ', 0);
        int last = line.lastIndexOf(' ');
        if (space < 0 || last <= space) {
            return;
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(line.substring(last + 1).trim());
        } catch (NumberFormatException e) {
            return;
        }
        String series = line.substring(0, space);
        String fields = line.substring(space + 1, last);
        int comma = unescaped(series, ',', 0);
        String measurement = comma < 0 ? series : series.substring(0, comma);
        synchronized (cycles) {
            Cycle c = cycles.computeIfAbsent(timestamp, t -> new Cycle(t, now));
            c.lines++;
            c.bytes += line.length() + 1;
            if (measurement.equals("osgimon")) {
                c.cycles = field(fields, "cycles", c.cycles);
                c.cycleTimeNs = field(fields, "cycle_time_ns", c.cycleTimeNs);
                c.appendTimeNs = field(fields, "append_time_ns", c.appendTimeNs);
            } else if (measurement.equals("osgimon_source")) {
                String source = tag(series, "source");
                long ns = field(fields, "collect_time_ns", -1);
                if (source != null && ns >= 0) {
                    c.collectNs.putIfAbsent(source, ns);
                }
            }
        }
    }

    private static String tag(String series, String key) {
        String k = "," + key + "=";
        int i = series.indexOf(k);
        if (i < 0) {
            return null;
        }
        int from = i + k.length();
        int end = unescaped(series, ',', from);
        return series.substring(from, end < 0 ? series.length() : end).replace("\\", "");
    }

    private static long field(String fields, String key, long otherwise) {
        for (String f : fields.split(",")) {
            int eq = f.indexOf('=');
            if (eq > 0 && f.substring(0, eq).equals(key)) {
                String v = f.substring(eq + 1);
                if (v.endsWith("i") || v.endsWith("u")) {
                    v = v.substring(0, v.length() - 1);
                }
                try {
                    return (long) Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    return otherwise;
                }
            }
        }
        return otherwise;
    }

    private static int unescaped(String s, char c, int from) {
        for (int i = from; i < s.length(); i++) {
            char x = s.charAt(i);
            if (x == '\\') {
                i++;
            } else if (x == c) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (connections) {
            for (Socket s : connections) {
                s.close();
            }
        }
    }
}
