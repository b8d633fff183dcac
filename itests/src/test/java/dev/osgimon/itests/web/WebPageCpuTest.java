package dev.osgimon.itests.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

import dev.osgimon.itests.support.Distribution;
import dev.osgimon.itests.support.Waits;

/**
 * The operator page as a user leaves it open: the distribution at its default 10 s interval, the page
 * loaded once with its overview and chart live; Chromium's processes use under 5 % of one core.
 * {@code mvn verify} measures over 20 s (two updates) to keep the build short; the figure in docs/web.md
 * is over 60 s: {@code -Dosgimon.webCpuSeconds=60}.
 */
class WebPageCpuTest {

    @Test
    void theOpenPageUsesUnderFivePercentOfOneCoreAtTheDefaultInterval() throws Exception {
        Distribution dist = Distribution.start(Map.of("OSGIMON_INTERVAL", "10"));
        Path downloads = Files.createTempDirectory("osgimon-web-cpu");
        ChromeDriver browser = null;
        try {
            String page = "http://127.0.0.1:" + dist.port("OSGIMON_HTTP_PORT") + "/osgimon";
            browser = Browser.start(downloads);
            browser.get(page);
            ChromeDriver b = browser;
            Waits.until("five overview charts with data and the detailed chart", Duration.ofSeconds(60),
                    () -> b.findElements(By.cssSelector("#overview figure[data-first-cycle]")).size() >= 5
                            && !b.findElements(By.cssSelector("#chart canvas")).isEmpty());
            long bytes = ChromiumCpu.firstLoadBytes(browser);
            ChromiumCpu.Share cpu = ChromiumCpu.measure(Duration.ofSeconds(Long.getLong("osgimon.webCpuSeconds", 20)));
            String report = String.format(Locale.ROOT, "10 s interval (default): first load %d bytes transferred; %s%n",
                    bytes, cpu);
            Files.writeString(Path.of("target/web-performance.txt"), report, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            assertThat(Long.valueOf(1)).as("no reload")
                    .isEqualTo(browser.executeScript("return performance.getEntriesByType('navigation').length;"));
            assertThat(cpu.percentOfOneCore()).as(report).isLessThan(5.0);
            assertThat(bytes).as(report).isLessThan(200_000);
        } finally {
            if (browser != null) {
                browser.quit();
            }
            dist.close();
            Distribution.deleteTree(downloads);
        }
    }
}
