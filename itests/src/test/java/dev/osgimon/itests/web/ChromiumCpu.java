package dev.osgimon.itests.web;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.openqa.selenium.JavascriptExecutor;

import dev.osgimon.itests.support.Waits;

/** What a page costs in Chromium: the bytes of its first load and the CPU of Chromium's processes. */
final class ChromiumCpu {

    private ChromiumCpu() {
    }

    /** CPU used over a window. */
    record Share(double percentOfOneCore, long cpuMillis, double seconds, int processes) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "Chromium CPU %.2f %% of one core over %.1f s (%d ms CPU time, %d processes)",
                    percentOfOneCore, seconds, cpuMillis, processes);
        }
    }

    /**
     * The bytes of the first load: the document, its scripts and style sheets, and the first answer of
     * each API address the page read (Resource Timing {@code transferSize}); not the event streams.
     *
     * @param browser the browser with the page open
     * @return the bytes
     */
    static long firstLoadBytes(JavascriptExecutor browser) {
        Number bytes = (Number) browser.executeScript("var n = performance.getEntriesByType('navigation')[0];"
                + "var seen = {}; return n.transferSize + performance.getEntriesByType('resource')"
                + ".filter(function (r) { var a = r.name.split('?')[0]; if (seen[a] || a.indexOf('.stream') >= 0) { return false; }"
                + " seen[a] = true; return true; })"
                + ".reduce(function (s, r) { return s + r.transferSize; }, 0);");
        return bytes.longValue();
    }

    /**
     * The CPU time (user + system, read from {@code /proc/<pid>/stat} by {@link ProcessHandle.Info})
     * of every Chromium process under this JVM (browser, renderer, GPU and utility processes; not
     * chromedriver) over a window in which nothing is clicked.
     *
     * @param window how long
     * @return the share of one core
     */
    static Share measure(Duration window) {
        Map<Long, Duration> start = cpu();
        long t0 = System.nanoTime();
        Waits.until("the measuring window passes", window.plusSeconds(30), () -> System.nanoTime() - t0 >= window.toNanos());
        Map<Long, Duration> end = cpu();
        double seconds = (System.nanoTime() - t0) / 1e9;
        long used = 0;
        for (Map.Entry<Long, Duration> e : end.entrySet()) {
            used += e.getValue().minus(start.getOrDefault(e.getKey(), Duration.ZERO)).toMillis();
        }
        return new Share(used / 10.0 / seconds, used, seconds, end.size());
    }

    private static Map<Long, Duration> cpu() {
        Map<Long, Duration> out = new HashMap<>();
        ProcessHandle.current().descendants().forEach(p -> {
            String cmd = p.info().command().orElse("");
            if (cmd.contains("chrom") && !cmd.endsWith("chromedriver")) {
                p.info().totalCpuDuration().ifPresent(d -> out.put(p.pid(), d));
            }
        });
        return out;
    }
}
