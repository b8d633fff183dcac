package dev.osgimon.itests.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

import dev.osgimon.itests.support.Distribution;
import dev.osgimon.itests.support.Tcp;
import dev.osgimon.itests.support.Waits;

/**
 * The operator page of the real distribution in a real Chromium: sources, toggles, levels, the
 * live chart, memtrace, and the CSRF guard. One distribution and one browser for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebPageTest {

    private LineCapture capture;
    private Distribution dist;
    private ChromeDriver browser;
    private Path downloads;
    private String page;
    private int commandPort;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        capture = new LineCapture();
        dist = Distribution.start(Map.of("OSGIMON_TARGET", "tcp://127.0.0.1:" + capture.port()));
        commandPort = dist.port("OSGIMON_COMMAND_PORT");
        page = "http://127.0.0.1:" + dist.port("OSGIMON_HTTP_PORT") + "/osgimon";
        Waits.until("the page answers", Duration.ofSeconds(30), () -> get(page).statusCode() == 200);
        downloads = Files.createTempDirectory("osgimon-web-downloads");
        browser = Browser.start(downloads);
        browser.get(page);
        // the page is loaded once for the whole class: a reload would drop this mark (see loadedOnce)
        browser.executeScript("window.osgimonTestDocument = 'loaded once';");
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (dist != null) {
            dist.close();
        }
        if (capture != null) {
            capture.close();
        }
        Distribution.deleteTree(downloads);
    }

    @Test
    @Order(1)
    void thePageListsEverySourceAndSendsItsSecurityHeaders() throws Exception {
        Waits.until("the sources table is filled", Duration.ofSeconds(20),
                () -> rows("#sources tbody tr").size() >= 4);
        String answer = Tcp.command(commandPort, "m*");
        @SuppressWarnings("unchecked")
        List<String> names = (List<String>) browser.executeScript(
                "return Array.from(document.querySelectorAll('#sources tbody tr')).map(function (r) { return r.dataset.source; });");
        assertThat(names).contains("memory", "net", "http", "monitoring");
        for (String n : names) {
            assertThat(answer).as("the page lists what m* lists").contains(n + ":");
        }
        HttpResponse<String> html = get(page);
        assertThat(html.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'self'");
        assertThat(html.body()).doesNotContain("<script>").doesNotContain("style=");
        assertThat(get(page + "/api/state.json").headers().firstValue("Content-Security-Policy")).hasValue("default-src 'self'");
    }

    @Test
    @Order(2)
    void theChartTakesThreeCyclesFromTheEventStreamWithoutReload() throws Exception {
        Waits.until("the chart is drawn", Duration.ofSeconds(30),
                () -> !browser.findElements(By.cssSelector("#chart canvas")).isEmpty());
        assertThat(new Select(browser.findElement(By.id("chart-m"))).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("jvm_memory");
        String perf = (String) browser.executeScript(
                "var n = performance.getEntriesByType('navigation')[0];"
                        + "var bytes = n.transferSize + performance.getEntriesByType('resource')"
                        + ".reduce(function (s, r) { return s + r.transferSize; }, 0);"
                        + "var m = performance.getEntriesByName('osgimon-first-chart')[0];"
                        + "return 'page weight ' + bytes + ' bytes transferred, first chart at ' + (m ? Math.round(m.startTime) : -1) + ' ms';");
        Files.writeString(Path.of("target/web-performance.txt"), perf + "\n");
        // only the event stream adds points once the chart is drawn: data-updates counts its events
        int drawn = points();
        Waits.until("3 cycles arrive through the event stream", Duration.ofSeconds(30),
                () -> updates() >= 3 && points() >= drawn + 3);
        assertThat(loadedOnce()).as("the same document throughout: no reload").isTrue();
        assertThat(browser.findElement(By.id("chart")).getAttribute("data-unit")).as("jvm_memory used is declared in bytes")
                .isEqualTo("By");
        assertThat(browser.findElement(By.id("chart-meaning")).getText()).startsWith("gauge").contains("unit: bytes (By)");
    }

    @Test
    @Order(3)
    void togglingMemoryOffStopsItsPointsAndOnBringsThemBack() {
        toggle("memory");
        Waits.until("TCP says memory is disabled", Duration.ofSeconds(10),
                () -> Tcp.command(commandPort, "mmemory").trim().equals("ok: memory:disabled"));
        long cycles = capture.count("osgimon,");
        Waits.until("one cycle passes", Duration.ofSeconds(15), () -> capture.count("osgimon,") >= cycles + 1);
        long memory = capture.count("jvm_memory,");
        long later = capture.count("osgimon,");
        Waits.until("three more cycles arrive", Duration.ofSeconds(20), () -> capture.count("osgimon,") >= later + 3);
        assertThat(capture.count("jvm_memory,")).as("no memory points while disabled").isEqualTo(memory);
        Waits.until("the page shows it disabled", Duration.ofSeconds(10), () -> "disabled".equals(browser.executeScript(
                "var b = document.querySelector(\"#sources tr[data-source='memory'] button.toggle\"); return b && b.textContent;")));
        toggle("memory");
        Waits.until("TCP says memory is enabled", Duration.ofSeconds(10),
                () -> Tcp.command(commandPort, "mmemory").trim().equals("ok: memory:enabled"));
        Waits.until("memory points arrive again", Duration.ofSeconds(15), () -> capture.count("jvm_memory,") > memory);
        assertThat(dist.logText().lines().filter(l -> l.contains("Mmemory:disable"))).as("audited once, by the command service")
                .singleElement().asString().contains("sources by web 127.0.0.1");
    }

    @Test
    @Order(4)
    void aLevelSetOnThePageIsWhatTcpAnswers() {
        browser.findElement(By.id("level-logger")).sendKeys("dev.osgimon.webtest");
        new Select(browser.findElement(By.id("level-level"))).selectByVisibleText("debug");
        browser.findElement(By.id("level-set")).click();
        Waits.until("the page says ok", Duration.ofSeconds(10),
                () -> browser.findElement(By.id("level-answer")).getText().startsWith("ok"));
        assertThat(Tcp.command(commandPort, "ldev.osgimon.webtest").trim()).isEqualTo("ok: dev.osgimon.webtest:debug");
        browser.findElement(By.id("level-filter")).sendKeys("webtest");
        Waits.until("the filtered list shows it", Duration.ofSeconds(10), () -> "dev.osgimon.webtest debug".equals(
                browser.executeScript("var r = document.querySelectorAll('#levels tbody tr');"
                        + " return r.length === 1 ? r[0].cells[0].textContent + ' ' + r[0].cells[1].textContent : null;")));
        browser.findElement(By.id("level-logger")).clear();
        browser.findElement(By.id("level-logger")).sendKeys("dev.osgimon.webtest");
        new Select(browser.findElement(By.id("level-level"))).selectByVisibleText("warn");
        browser.findElement(By.id("level-expiry")).sendKeys("nonsense");
        browser.findElement(By.id("level-set")).click();
        Waits.until("the page shows the error answer", Duration.ofSeconds(10),
                () -> browser.findElement(By.id("level-answer")).getText().startsWith("error"));
        assertThat(Tcp.command(commandPort, "ldev.osgimon.webtest").trim()).as("a refused change changes nothing")
                .isEqualTo("ok: dev.osgimon.webtest:debug");
    }

    @Test
    @Order(5)
    void aPostWithoutTheTokenIsRefusedAndChangesNothing() throws Exception {
        // the second POST reuses the keep-alive connection of the first: a refusal that left the
        // first body unread made the server close it, and the second request got no answer
        HttpResponse<String> none = post(page + "/api/sources.json", "spec=memory:disable", null);
        HttpResponse<String> wrong = post(page + "/api/sources.json", "spec=memory:disable", "0123");
        assertThat(none.statusCode()).isEqualTo(403);
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(Tcp.command(commandPort, "mmemory").trim()).isEqualTo("ok: memory:enabled");
        assertThat(get(page + "/api/sources.json").statusCode()).as("GET changes nothing").isEqualTo(404);
    }

    @Test
    @Order(6)
    void aMemtraceRecordingDownloadsAValidJfrAndRanksSites() throws Exception {
        WebElement seconds = browser.findElement(By.id("mt-seconds"));
        seconds.clear();
        seconds.sendKeys("5");
        browser.findElement(By.id("mt-record")).click();
        // some work for the recording to sample: page reads, as a busy operator would make
        Waits.until("the recording is ready", Duration.ofSeconds(40), () -> {
            for (int i = 0; i < 20; i++) {
                get(page + "/api/state.json");
            }
            return browser.findElement(By.id("mt-download")).isDisplayed();
        });
        assertThat(rows("#mt-sites tbody tr")).isNotEmpty();
        assertThat(rows("#mt-bundles tbody tr")).isNotEmpty();
        browser.findElement(By.id("mt-download")).click();
        Path jfr = downloads.resolve("osgimon-memtrace.jfr");
        Waits.until("the download completes", Duration.ofSeconds(20), () -> Files.exists(jfr) && noPartial());
        Process summary = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jfr").toString(),
                "summary", jfr.toString()).redirectErrorStream(true).start();
        String out = new String(summary.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(summary.waitFor()).as(out).isZero();
        assertThat(out).contains("jdk.ObjectAllocationSample");
        assertThat(loadedOnce()).as("every test ran on the page loaded once").isTrue();
        browser.executeScript("window.scrollTo(0, 0)");
        Path shots = Files.createDirectories(Path.of("target/screenshots"));
        Files.write(shots.resolve("web.png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    private boolean noPartial() throws IOException {
        try (Stream<Path> files = Files.list(downloads)) {
            return files.noneMatch(p -> p.getFileName().toString().endsWith(".crdownload"));
        }
    }

    /** Clicks a source's toggle; the table is redrawn every cycle, so a click may hit a row just replaced. */
    private void toggle(String source) {
        Waits.until("clicked the toggle of " + source, Duration.ofSeconds(10), () -> {
            try {
                browser.findElement(By.cssSelector("#sources tr[data-source='" + source + "'] button.toggle")).click();
                return true;
            } catch (StaleElementReferenceException redrawn) {
                return false;
            }
        });
    }

    private List<WebElement> rows(String css) {
        return browser.findElements(By.cssSelector(css));
    }

    private int updates() {
        return Integer.parseInt(browser.findElement(By.id("chart")).getAttribute("data-updates"));
    }

    private boolean loadedOnce() {
        return "loaded once".equals(browser.executeScript("return window.osgimonTestDocument;"))
                && Long.valueOf(1).equals(browser.executeScript("return performance.getEntriesByType('navigation').length;"));
    }

    private int points() {
        return Integer.parseInt(browser.findElement(By.id("chart")).getAttribute("data-points"));
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String form, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (token != null) {
            b.header("X-Osgimon-Token", token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
