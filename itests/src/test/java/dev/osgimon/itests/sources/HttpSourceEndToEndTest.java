package dev.osgimon.itests.sources;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.osgimon.itests.sources.hello.HelloActivator;
import dev.osgimon.itests.support.Distribution;
import dev.osgimon.itests.support.QuestDb;
import dev.osgimon.itests.support.Tcp;
import dev.osgimon.itests.support.Waits;

/**
 * The real distribution with a test servlet dropped into {@code deploy/}, pushing into a real
 * QuestDB every second: the http source's counts in QuestDB are exactly the requests this test
 * sent (200s from the servlet, 404s for paths nobody serves), latency is counted per route (the
 * servlet's name, {@code none} without servlet), and {@code Mtag:http:disable} stops the http rows
 * while the other sources go on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpSourceEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static QuestDb questdb;
    private static Distribution osgimon;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** What the server answered so far, by status class 1..5, and by method. */
    private static final long[] sentByClass = new long[6];
    private static long sentGet;
    private static long sentPost;

    @BeforeAll
    static void start() throws IOException {
        questdb = QuestDb.startNew();
        osgimon = Distribution.start(Map.of("OSGIMON_TARGET", "tcp://127.0.0.1:" + questdb.ilpPort()));
        HelloBundle.write(osgimon.home().resolve("deploy/osgimon-itest-hello.jar"));
    }

    @AfterAll
    static void stop() {
        if (osgimon != null) {
            osgimon.close();
        }
        if (questdb != null) {
            questdb.close();
        }
    }

    private static int send(String method, String path) {
        HttpRequest request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + osgimon.port("OSGIMON_HTTP_PORT") + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build();
        int status;
        try {
            status = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1; // not listening yet: the server saw nothing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        sentByClass[status / 100]++;
        if (method.equals("GET")) {
            sentGet++;
        } else if (method.equals("POST")) {
            sentPost++;
        }
        return status;
    }

    /** The hello servlet's route: its whiteboard name. */
    private static final String HELLO_ROUTE = "osgimon-itest-hello";

    /** @return the newest {@code http_latency} count of a route in QuestDB, -1 without rows */
    private static long latency(String route) {
        return questdb.number("select max(count) from http_latency where route = '" + route + "'");
    }

    private static long sent() {
        long n = 0;
        for (long c : sentByClass) {
            n += c;
        }
        return n;
    }

    @Test
    @Order(1)
    void theCountsInQuestDbAreExactlyTheRequestsSent() {
        Waits.until("the servlet from deploy/ answers", WAIT, () -> send("GET", HelloActivator.PATH) == 200);
        for (int i = 0; i < 5; i++) {
            assertThat(send("GET", HelloActivator.PATH)).isEqualTo(200);
        }
        for (int i = 0; i < 4; i++) {
            assertThat(send("GET", "/missing/" + i)).isEqualTo(404);
        }
        assertThat(send("POST", "/missing")).isEqualTo(404);
        assertThat(send("POST", HelloActivator.PATH)).isEqualTo(200);

        long total = sent();
        Waits.until("http_response.total = " + total + " in QuestDB", WAIT,
                () -> questdb.number("select max(total) from http_response") == total);
        List<String> last = questdb.rows(
                "select \"1xx\", \"2xx\", \"3xx\", \"4xx\", \"5xx\", total from http_response"
                        + " where total = " + total + " limit 1").get(0);
        assertThat(last).containsExactly(
                Long.toString(sentByClass[1]), Long.toString(sentByClass[2]), Long.toString(sentByClass[3]),
                Long.toString(sentByClass[4]), Long.toString(sentByClass[5]), Long.toString(total));
        assertThat(sentByClass[2]).isGreaterThanOrEqualTo(7);
        assertThat(sentByClass[4]).isGreaterThanOrEqualTo(5);
        Waits.until("per-method totals", WAIT,
                () -> questdb.number("select max(total) from http_requests where method = 'GET'") == sentGet
                        && questdb.number("select max(total) from http_requests where method = 'POST'") == sentPost);
        assertThat(questdb.number("select max(total) from http_requests where method = 'PUT'")).isZero();
        // every 2xx came from the hello servlet, every 404 from no servlet
        Waits.until("http_latency per route", WAIT, () -> latency(HELLO_ROUTE) == sentByClass[2]
                && latency("none") == sentByClass[4]);
        assertThat(questdb.number("select max(count) from http_latency_bucket where route = '" + HELLO_ROUTE
                + "' and le = '+Inf'")).isEqualTo(sentByClass[2]);
        assertThat(questdb.number("select max(count) from http_latency_bucket where route = 'none' and le = '+Inf'"))
                .isEqualTo(sentByClass[4]);
        assertThat(questdb.number("select count() from http_response where total > " + total)).as("nobody else counted")
                .isZero();
    }

    @Test
    @Order(2)
    void disablingTheHttpTagStopsItsRowsWhileOthersGoOn() {
        Waits.until("http rows arrive", WAIT, () -> questdb.number("select count() from http_response") > 0);
        assertThat(Tcp.command(osgimon.port("OSGIMON_COMMAND_PORT"), "Mtag:http:disable")).startsWith("ok");
        // a cycle already under way may still land: let it, then count. QuestDB makes each table's rows
        // visible on its own, so a later cycle's osgimon row can show before an earlier http row: one spare cycle
        long cycles = questdb.number("select max(cycles) from osgimon");
        Waits.until("three more cycles", WAIT, () -> questdb.number("select max(cycles) from osgimon") >= cycles + 3);
        long httpRows = questdb.number("select count() from http_response");
        long memoryRows = questdb.number("select count() from jvm_memory");
        send("GET", "/while-disabled");

        Waits.until("three cycles more", WAIT, () -> questdb.number("select max(cycles) from osgimon") >= cycles + 6);
        assertThat(questdb.number("select count() from http_response")).as("no http rows while disabled").isEqualTo(httpRows);
        assertThat(questdb.number("select count() from jvm_memory")).as("memory rows go on").isGreaterThan(memoryRows);

        assertThat(Tcp.command(osgimon.port("OSGIMON_COMMAND_PORT"), "Mtag:http:enable")).startsWith("ok");
        long total = sent();
        Waits.until("http rows again, with the request sent while disabled", WAIT,
                () -> questdb.number("select max(total) from http_response") == total);
    }

    @Test
    @Order(3)
    void twentyPageRequestsAndSevenMissingPathsRaiseTheirRoutesByExactlyThat() {
        String cycles = "select max(cycles) from osgimon";
        // the page has no row before its first request: 0 then
        long page = Math.max(0, questdb.settled(
                "select coalesce(max(count), 0) from http_latency where route = 'osgimon-web'", cycles, WAIT));
        long none = questdb.settled("select max(count) from http_latency where route = 'none'", cycles, WAIT);
        for (int i = 0; i < 20; i++) {
            assertThat(send("GET", "/osgimon")).as("the operator page").isEqualTo(200);
        }
        for (int i = 0; i < 7; i++) {
            assertThat(send("GET", "/no-such-page/" + i)).isEqualTo(404);
        }
        Waits.until("http_latency,route=osgimon-web +20 and route=none +7", WAIT,
                () -> latency("osgimon-web") == page + 20 && latency("none") == none + 7);
        assertThat(questdb.settled("select max(count) from http_latency where route = 'osgimon-web'", cycles, WAIT))
                .as("nothing more arrives: the page's own requests are exactly ours").isEqualTo(page + 20);
        assertThat(questdb.settled("select max(count) from http_latency where route = 'none'", cycles, WAIT))
                .isEqualTo(none + 7);
        assertThat(questdb.number("select max(count) from http_latency_bucket where route = 'osgimon-web' and le = '+Inf'"))
                .isEqualTo(page + 20);
        assertThat(questdb.number("select count() from http_latency where route = 'osgimon-web' and \"sum\" > 0 and \"min\" > 0"
                + " and \"max\" >= \"min\" and count = " + (page + 20))).as("sum, min and max arrive with the count").isPositive();
    }
}
