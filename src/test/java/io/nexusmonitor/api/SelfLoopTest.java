package io.nexusmonitor.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nexusmonitor.registry.Backend;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.Promise;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway never proxies to itself: by address, by resolved name, and by its X-Nexus-Hop marker. */
class SelfLoopTest {
    private static final String CHAT = "{\"model\":\"llama3\",\"messages\":[]}";

    @TempDir
    Path stateDir;

    @TempDir
    Path stateDir2;

    private TestGateway gw;
    private TestGateway gw2;
    private FakeUpstream up;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {gw, gw2, up}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static HttpResponse<String> chat(TestGateway g, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(g.base + "/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CHAT));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return Http.send(b);
    }

    private static double requestsCounted(TestGateway g) {
        double sum = 0;
        for (String line : Http.get(g.base + "/metrics").body().split("\n")) {
            if (line.startsWith("nexus_requests_total{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    @Test
    void aBackendAtTheGatewaysOwnAddressIsNotProxiedTo() {
        gw = new TestGateway(stateDir);
        int port = gw.api.port();
        Backend self = gw.healthy("me", "http://127.0.0.1:" + port, 1, "llama3");
        Backend alias = gw.healthy("me-too", "http://127.0.0.7:" + port + "/v1", 2, "llama3");
        Backend named = gw.healthy("me-by-name", "http://localhost:" + port, 3, "llama3");

        HttpResponse<String> r = chat(gw);

        assertThat(r.statusCode()).isEqualTo(508);
        JsonNode e = Http.json(r).path("error");
        assertThat(e.path("code").asText()).isEqualTo("loop_detected");
        assertThat(e.path("type").asText()).isEqualTo("server_error");
        assertThat(e.path("message").asText())
                .contains("lead back to this gateway", "me: skipped", "this gateway's own address");
        // nothing was sent: no backend counted a request, the gateway counted only the client's
        for (Backend b : List.of(self, alias, named)) {
            assertThat(gw.get(b.id()).totalRequests()).isZero();
            assertThat(gw.get(b.id()).pendingRequests()).isZero();
        }
        assertThat(requestsCounted(gw)).isEqualTo(1.0);
        assertThat(gw.registry().size()).isEqualTo(3);
    }

    @Test
    void anAddressOnlyTheResolverRecognisesIsNotConnectedTo() {
        gw = new TestGateway(stateDir);
        // 2130706433 is 127.0.0.1 written as one number: not a literal the address check parses,
        // but what the client's resolver turns it into
        Backend b = gw.healthy("decimal", "http://2130706433:" + gw.api.port(), 1, "llama3");

        HttpResponse<String> r = chat(gw);

        assertThat(r.statusCode()).isEqualTo(508);
        assertThat(Http.json(r).path("error").path("message").asText())
                .contains("decimal: skipped, its address is this gateway's own");
        assertThat(requestsCounted(gw)).isEqualTo(1.0);
        assertThat(gw.get(b.id()).pendingRequests()).isZero();
    }

    @Test
    void aSelfCandidateIsSkippedAndTheNextServesWithTheReason() throws Exception {
        up = new FakeUpstream().answer(FakeUpstream.json(200, "{\"ok\":true}"));
        gw = new TestGateway(stateDir);
        gw.healthy("me", "http://127.0.0.1:" + gw.api.port(), 1, "llama3");
        gw.healthy("real", up.url(), 2, "llama3");

        HttpResponse<String> r = chat(gw);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-nexus-backend")).hasValue("real");
        assertThat(r.headers().firstValue("x-nexus-route-reason"))
                .hasValueSatisfying(
                        v -> assertThat(v).contains("me: skipped, it points at this gateway's own address"));
        assertThat(up.requestCount()).isEqualTo(1);
    }

    @Test
    void twoGatewaysPointingAtEachOtherStopAtTheMarker() {
        gw = new TestGateway(stateDir);
        gw2 = new TestGateway(stateDir2);
        // different ports, so the address check cannot see the circle: only the marker can
        gw.healthy("other-monitor", gw2.base, 1, "llama3");
        gw2.healthy("first-monitor", gw.base, 1, "llama3");

        HttpResponse<String> r = chat(gw);

        assertThat(r.statusCode()).isEqualTo(508);
        assertThat(Http.json(r).path("error").path("code").asText()).isEqualTo("loop_detected");
        // the client's request, one hop to the second monitor, one hop back: then it stops
        assertThat(requestsCounted(gw)).isEqualTo(2.0);
        assertThat(requestsCounted(gw2)).isEqualTo(1.0);
        assertThat(gw.registry().all())
                .allSatisfy(b -> assertThat(b.pendingRequests()).isZero());
        assertThat(gw2.registry().all())
                .allSatisfy(b -> assertThat(b.pendingRequests()).isZero());
    }

    @Test
    void aRequestCarryingOurOwnMarkerIs508BeforeRouting() throws Exception {
        up = new FakeUpstream().answer(FakeUpstream.json(200, "{}"));
        gw = new TestGateway(stateDir);
        gw.healthy("real", up.url(), 1, "llama3");
        assertThat(chat(gw).statusCode()).isEqualTo(200);
        String ownId = up.next().headers().get(LoopGuard.HOP_HEADER);

        HttpResponse<String> r = chat(gw, "X-Nexus-Hop", "0123456789abcdef, " + ownId);

        assertThat(r.statusCode()).isEqualTo(508);
        assertThat(Http.json(r).path("error").path("code").asText()).isEqualTo("loop_detected");
        assertThat(up.requestCount()).isEqualTo(1);
    }

    @Test
    void anotherMonitorsMarkerPassesAndOursIsAppended() throws Exception {
        up = new FakeUpstream().answer(FakeUpstream.json(200, "{}"));
        gw = new TestGateway(stateDir);
        gw.healthy("real", up.url(), 1, "llama3");

        HttpResponse<String> r = chat(gw, "X-Nexus-Hop", "0123456789abcdef");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(up.next().headers().get(LoopGuard.HOP_HEADER)).matches("0123456789abcdef, [0-9a-f]{16}");
    }

    @Test
    void moreThanEightHopsIs508() {
        up = new FakeUpstream().answer(FakeUpstream.json(200, "{}"));
        gw = new TestGateway(stateDir);
        gw.healthy("real", up.url(), 1, "llama3");
        String nine = String.join(", ", Collections.nCopies(9, "feedfacefeedface"));

        HttpResponse<String> r = chat(gw, "X-Nexus-Hop", nine);

        assertThat(r.statusCode()).isEqualTo(508);
        assertThat(Http.json(r).path("error").path("message").asText()).contains("more than 8");
        assertThat(up.requestCount()).isZero();
    }

    // --- the address rule, as data (no traffic) ----------------------------------------------------

    @Test
    void boundToLoopbackEveryLoopbackAliasWithOurPortIsUs() throws Exception {
        LoopGuard g = new LoopGuard("127.0.0.1", () -> 8000);
        assertThat(g.pointsHere("http://127.0.0.1:8000")).isTrue();
        assertThat(g.pointsHere("http://127.1.2.3:8000/v1")).isTrue();
        assertThat(g.pointsHere("http://localhost:8000")).isTrue();
        assertThat(g.pointsHere("http://0.0.0.0:8000")).isTrue();
        assertThat(g.pointsHere("http://127.0.0.1:8001")).isFalse();
        assertThat(g.pointsHere("http://192.168.1.10:8000")).isFalse();
        assertThat(g.pointsHere("http://localhost")).isFalse();
        assertThat(g.isSelf(InetAddress.getByName("127.0.0.9"), 8000)).isTrue();
    }

    @Test
    void boundToTheWildcardEveryInterfaceAddressWithOurPortIsUs() throws Exception {
        LoopGuard g = new LoopGuard("0.0.0.0", () -> 8000);
        assertThat(g.pointsHere("http://127.0.0.1:8000")).isTrue();
        assertThat(g.pointsHere("http://[::1]:8000")).isTrue();
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                assertThat(g.isSelf(a, 8000)).as(a.toString()).isTrue();
                assertThat(g.isSelf(a, 8001)).as(a.toString()).isFalse();
            }
        }
        assertThat(g.pointsHere("http://203.0.113.5:8000")).isFalse();
    }

    @Test
    void boundToAConfiguredNameThatNameIsUs() {
        LoopGuard g = new LoopGuard("nexus.example", () -> 8000);
        assertThat(g.pointsHere("http://NEXUS.example:8000")).isTrue();
        assertThat(g.pointsHere("http://nexus.example:9000")).isFalse();
        assertThat(g.pointsHere("http://other.example:8000")).isFalse();
    }

    @Test
    void theResolverRefusesANameThatLeadsOnlyHere() throws Exception {
        HttpClient client = new HttpClient();
        client.start();
        try {
            LoopGuard g = new LoopGuard("127.0.0.1", () -> 8000);
            CompletableFuture<List<InetSocketAddress>> here = new CompletableFuture<>();
            g.resolver(client).resolve("localhost", 8000, new HashMap<>(), Promise.from(here));
            assertThat(catchCause(here))
                    .isInstanceOf(LoopGuard.SelfAddress.class)
                    .hasMessageContaining("this gateway's own address");

            CompletableFuture<List<InetSocketAddress>> elsewhere = new CompletableFuture<>();
            g.resolver(client).resolve("localhost", 8001, new HashMap<>(), Promise.from(elsewhere));
            assertThat(elsewhere.get(10, TimeUnit.SECONDS)).isNotEmpty();
        } finally {
            client.stop();
        }
    }

    private static Throwable catchCause(CompletableFuture<?> f) throws Exception {
        try {
            f.get(10, TimeUnit.SECONDS);
            throw new AssertionError("resolved, expected a refusal");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }
}
