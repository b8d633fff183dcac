package dev.osgimon.itests.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

import dev.osgimon.itests.support.Distribution;
import dev.osgimon.itests.support.Waits;

/**
 * The distribution with Jetty bound to this machine's own non-loopback address and the Felix Web
 * Console dropped into {@code deploy/}: the page refuses that (non-loopback) client with 403,
 * while the Web Console tab "osgimon", behind the console's own login, shows the same page with its
 * overview.
 */
class WebConsoleAndRemoteTest {

    @Test
    void nonLoopbackClientsGet403AndTheWebConsoleTabShowsThePage() throws Exception {
        InetAddress own = ownAddress();
        Distribution dist = Distribution.prepare(Map.of("JAVA_OPTS", "-Dorg.apache.felix.http.host=" + own.getHostAddress()));
        Path downloads = Files.createTempDirectory("osgimon-web-console");
        ChromeDriver browser = null;
        try {
            try (Stream<Path> jars = Files.list(Path.of(System.getProperty("itests.tools"), "webconsole"))) {
                for (Path jar : (Iterable<Path>) jars::iterator) {
                    Files.copy(jar, dist.home().resolve("deploy").resolve(jar.getFileName()));
                }
            }
            dist.start();
            String origin = "http://" + own.getHostAddress() + ":" + dist.port("OSGIMON_HTTP_PORT");
            HttpClient http = HttpClient.newHttpClient();
            String auth = "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes());
            Waits.until("the Web Console tab answers", Duration.ofSeconds(60), () -> http.send(
                    HttpRequest.newBuilder(URI.create(origin + "/system/console/osgimon")).header("Authorization", auth).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200);

            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(origin + "/osgimon")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).as("a non-loopback client").isEqualTo(403);
            assertThat(page.body()).doesNotContain("data-token");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(origin + "/osgimon/api/state.json")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
            assertThat(dist.logText()).contains("from " + own.getHostAddress() + ": not loopback");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(origin + "/system/console/osgimon")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as("the console's login applies").isEqualTo(401);

            browser = Browser.start(downloads);
            // the console's login as a header on every request (credentials in the URL would be
            // inherited by the page's relative URLs, which Chromium blocks)
            browser.executeCdpCommand("Network.enable", Map.of());
            browser.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization", auth)));
            browser.get(origin + "/system/console/osgimon");
            ChromeDriver b = browser;
            Waits.until("the tab lists the sources", Duration.ofSeconds(30),
                    () -> b.findElements(By.cssSelector("#sources tr[data-source='memory']")).size() == 1);
            assertThat(b.getPageSource()).contains("osgimon");
            // the same overview as the standalone page, inside the console's frame
            Waits.until("the tab shows the overview's charts with data and the health badge", Duration.ofSeconds(30),
                    () -> b.findElements(By.cssSelector("#overview figure[data-first-cycle]")).size() >= 5
                            && b.findElement(By.id("health")).isDisplayed());
            assertThat(b.findElement(By.id("health")).getText()).startsWith("health: OK");
            Files.write(Files.createDirectories(Path.of("target/screenshots")).resolve("web-console.png"),
                    b.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
        } finally {
            if (browser != null) {
                browser.quit();
            }
            dist.close();
            Distribution.deleteTree(downloads);
        }
    }

    /** This machine's first non-loopback IPv4 address. */
    private static InetAddress ownAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return a;
                }
            }
        }
        throw new IllegalStateException("this machine has no non-loopback IPv4 address");
    }
}
