package io.nexusmonitor.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayTest {
    private static final String CHAT = "{\"model\":\"llama3\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @TempDir
    Path stateDir;

    private TestGateway gw;
    private FakeUpstream up1;
    private FakeUpstream up2;

    @AfterEach
    void stop() throws Exception {
        if (gw != null) {
            gw.close();
        }
        if (up1 != null) {
            up1.close();
        }
        if (up2 != null) {
            up2.close();
        }
    }

    private HttpResponse<String> post(String path, String body) {
        return Http.send("POST", gw.base + path, body, "Content-Type", "application/json");
    }

    private static String closedPortUrl() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    @Test
    void forwardsAChatCompletionAndNamesTheBackend() throws Exception {
        up1 = new FakeUpstream()
                .answer(FakeUpstream.json(200, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\"}"));
        gw = new TestGateway(stateDir);
        Backend b = gw.healthy("gpu-a", up1.url(), 1, "llama3");

        HttpResponse<String> r = post("/v1/chat/completions", CHAT);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Http.json(r).path("id").asText()).isEqualTo("chatcmpl-1");
        assertThat(r.headers().firstValue("x-nexus-backend")).hasValue("gpu-a");
        // smart's cost model says why (issue 12): name, residency, load, predicted first token
        assertThat(r.headers().firstValue("x-nexus-route-reason"))
                .hasValueSatisfying(v ->
                        assertThat(v).startsWith("gpu-a: llama3 loaded, 0 in flight, predicted first token 0.5 s"));
        assertThat(r.headers().firstValue("x-nexus-fallback-model")).isEmpty();
        FakeUpstream.Received got = up1.next();
        assertThat(got.path()).isEqualTo("/v1/chat/completions");
        assertThat(got.body()).isEqualTo(CHAT);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(gw.get(b.id()).pendingRequests()).isZero();
            assertThat(gw.get(b.id()).totalRequests()).isEqualTo(1);
        });
    }

    @Test
    void forwardsCompletionsAndEmbeddingsToTheSamePath() throws Exception {
        up1 = new FakeUpstream().answer(FakeUpstream.echo());
        gw = new TestGateway(stateDir);
        gw.healthy("gpu-a", up1.url(), 1, "llama3");

        assertThat(post("/v1/completions", "{\"model\":\"llama3\",\"prompt\":\"x\"}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(up1.next().path()).isEqualTo("/v1/completions");
        assertThat(post("/v1/embeddings", "{\"model\":\"llama3\",\"input\":\"x\"}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(up1.next().path()).isEqualTo("/v1/embeddings");
    }

    @Test
    void backendRegisteredWithItsV1RootIsNotSentV1Twice() throws Exception {
        up1 = new FakeUpstream().answer(FakeUpstream.echo());
        gw = new TestGateway(stateDir);
        gw.healthy("gpu-a", up1.url() + "/v1", 1, "llama3");

        assertThat(post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
        assertThat(up1.next().path()).isEqualTo("/v1/chat/completions");
    }

    @Test
    void badJsonIs400() {
        gw = new TestGateway(stateDir);
        HttpResponse<String> r = post("/v1/chat/completions", "{not json");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Http.json(r).path("error").path("code").asText()).isEqualTo("invalid_json");
        assertThat(Http.json(r).path("error").path("type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void missingModelIs400() {
        gw = new TestGateway(stateDir);
        HttpResponse<String> r = post("/v1/chat/completions", "{\"messages\":[]}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Http.json(r).path("error").path("code").asText()).isEqualTo("missing_model");
    }

    @Test
    void nonStringModelIs400() {
        gw = new TestGateway(stateDir);
        HttpResponse<String> r = post("/v1/chat/completions", "{\"model\":42}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Http.json(r).path("error").path("code").asText()).isEqualTo("invalid_model");
    }

    @Test
    void unknownModelIs404ModelNotFound() {
        gw = new TestGateway(stateDir);
        gw.healthy("gpu-a", "http://127.0.0.1:9", 1, "llama3");
        HttpResponse<String> r = post("/v1/chat/completions", "{\"model\":\"gpt-5\"}");
        assertThat(r.statusCode()).isEqualTo(404);
        JsonNode e = Http.json(r).path("error");
        assertThat(e.path("code").asText()).isEqualTo("model_not_found");
        assertThat(e.path("message").asText()).contains("gpt-5", "llama3");
    }

    @Test
    void modelOnlyOnUnhealthyBackendsIs503WithTheReason() {
        gw = new TestGateway(stateDir);
        gw.backend("gpu-a", "http://127.0.0.1:9", 1, BackendStatus.UNHEALTHY, "llama3");
        HttpResponse<String> r = post("/v1/chat/completions", CHAT);
        assertThat(r.statusCode()).isEqualTo(503);
        JsonNode e = Http.json(r).path("error");
        assertThat(e.path("code").asText()).isEqualTo("no_healthy_backend");
        assertThat(e.path("message").asText()).contains("gpu-a (unhealthy");
    }

    @Test
    void bodyOverTheCapIs413() {
        gw = new TestGateway(stateDir, NexusConfig.Routing.defaults(), s -> s.withMaxBodyBytes(1024));
        String big = "{\"model\":\"llama3\",\"prompt\":\"" + "x".repeat(2048) + "\"}";
        HttpResponse<String> r = post("/v1/completions", big);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(Http.json(r).path("error").path("code").asText()).isEqualTo("request_too_large");
    }

    @Test
    void chunkedBodyOverTheCapIs413() {
        // no Content-Length: the cap is found while reading
        gw = new TestGateway(stateDir, NexusConfig.Routing.defaults(), s -> s.withMaxBodyBytes(1024));
        byte[] big = ("{\"model\":\"llama3\",\"prompt\":\"" + "x".repeat(4096) + "\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> r =
                Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gw.base + "/v1/completions"))
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                                () -> new java.io.ByteArrayInputStream(big))));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(Http.json(r).path("error").path("code").asText()).isEqualTo("request_too_large");
    }

    @Test
    void chunkedBodyUnderTheCapIsForwarded() throws Exception {
        up1 = new FakeUpstream().answer(FakeUpstream.echo());
        gw = new TestGateway(stateDir, NexusConfig.Routing.defaults(), s -> s.withMaxBodyBytes(1024));
        gw.healthy("gpu-a", up1.url(), 1, "llama3");
        byte[] body = "{\"model\":\"llama3\",\"prompt\":\"hi\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> r =
                Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gw.base + "/v1/completions"))
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                                () -> new java.io.ByteArrayInputStream(body))));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Nexus-Backend")).contains("gpu-a");
        assertThat(up1.next().body()).isEqualTo(new String(body, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void defaultCapIsSixteenMegabytes() {
        assertThat(ApiSettings.from(NexusConfig.Server.defaults()).maxBodyBytes())
                .isEqualTo(16L * 1024 * 1024);
    }

    @Test
    void retriesTheNextBackendWhenTheFirstRefusesConnections() throws Exception {
        up2 = new FakeUpstream().answer(FakeUpstream.json(200, "{\"ok\":true}"));
        gw = new TestGateway(stateDir);
        Backend dead = gw.healthy("dead", closedPortUrl(), 1, "llama3");
        gw.healthy("alive", up2.url(), 2, "llama3");

        HttpResponse<String> r = post("/v1/chat/completions", CHAT);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-nexus-backend")).hasValue("alive");
        assertThat(r.headers().firstValue("x-nexus-route-reason"))
                .hasValueSatisfying(v -> assertThat(v).contains("retry 1 after dead"));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> assertThat(gw.get(dead.id()).pendingRequests()).isZero());
        assertThat(gw.get(dead.id()).totalRequests()).isEqualTo(1);
    }

    @Test
    void retriesTheNextBackendOnA5xxBeforeAnyByte() throws Exception {
        up1 = new FakeUpstream().answer(FakeUpstream.json(503, "{\"error\":\"loading model\"}"));
        up2 = new FakeUpstream().answer(FakeUpstream.json(200, "{\"ok\":true}"));
        gw = new TestGateway(stateDir);
        gw.healthy("first", up1.url(), 1, "llama3");
        gw.healthy("second", up2.url(), 2, "llama3");

        HttpResponse<String> r = post("/v1/chat/completions", CHAT);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-nexus-backend")).hasValue("second");
        assertThat(up1.requestCount()).isEqualTo(1);
    }

    @Test
    void answers502WhenEveryCandidateFailed() throws Exception {
        up1 = new FakeUpstream().answer(FakeUpstream.json(500, "boom"));
        up2 = new FakeUpstream().answer(FakeUpstream.json(502, "bad"));
        gw = new TestGateway(stateDir);
        Backend a = gw.healthy("first", up1.url(), 1, "llama3");
        Backend b = gw.healthy("second", up2.url(), 2, "llama3");

        HttpResponse<String> r = post("/v1/chat/completions", CHAT);

        assertThat(r.statusCode()).isEqualTo(502);
        JsonNode e = Http.json(r).path("error");
        assertThat(e.path("code").asText()).isEqualTo("backend_error");
        assertThat(e.path("message").asText()).contains("first: HTTP 500", "second: HTTP 502");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(gw.get(a.id()).pendingRequests()).isZero();
            assertThat(gw.get(b.id()).pendingRequests()).isZero();
        });
    }

    @Test
    void stopsAfterMaxRetries() throws Exception {
        up1 = new FakeUpstream().answer(FakeUpstream.json(500, "boom"));
        up2 = new FakeUpstream().answer(FakeUpstream.json(200, "{}"));
        gw = new TestGateway(
                stateDir, new NexusConfig.Routing(NexusConfig.Strategy.PRIORITY_ONLY, 0, Map.of(), Map.of()), s -> s);
        gw.healthy("first", up1.url(), 1, "llama3");
        gw.healthy("second", up2.url(), 2, "llama3");

        assertThat(post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(502);
        assertThat(up2.requestCount()).isZero();
    }

    @Test
    void passesA4xxThroughWithoutRetrying() throws Exception {
        up1 = new FakeUpstream().answer(FakeUpstream.json(400, "{\"error\":{\"message\":\"bad temperature\"}}"));
        up2 = new FakeUpstream();
        gw = new TestGateway(stateDir);
        gw.healthy("first", up1.url(), 1, "llama3");
        gw.healthy("second", up2.url(), 2, "llama3");

        HttpResponse<String> r = post("/v1/chat/completions", CHAT);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("bad temperature");
        assertThat(up2.requestCount()).isZero();
    }

    @Test
    void aliasIsResolvedAndTheBackendGetsTheRealModelName() throws Exception {
        up1 = new FakeUpstream().answer(FakeUpstream.echo());
        gw = new TestGateway(
                stateDir,
                new NexusConfig.Routing(NexusConfig.Strategy.SMART, 2, Map.of("gpt-4", "llama3:70b"), Map.of()),
                s -> s);
        gw.healthy("big", up1.url(), 1, "llama3:70b");

        HttpResponse<String> r = post("/v1/chat/completions", "{\"model\":\"gpt-4\",\"messages\":[]}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Http.json(r).path("model").asText()).isEqualTo("llama3:70b");
        assertThat(r.headers().firstValue("x-nexus-route-reason"))
                .hasValueSatisfying(v -> assertThat(v).contains("alias gpt-4 -> llama3:70b"));
        assertThat(r.headers().firstValue("x-nexus-fallback-model")).isEmpty();
    }

    @Test
    void fallbackServesWhenNoHealthyBackendHasTheModel() throws Exception {
        up1 = new FakeUpstream().answer(FakeUpstream.echo());
        gw = new TestGateway(
                stateDir,
                new NexusConfig.Routing(
                        NexusConfig.Strategy.SMART,
                        2,
                        Map.of(),
                        Map.of("llama3:70b", List.of("qwen2:72b", "llama3:8b"))),
                s -> s);
        gw.backend("sick", "http://127.0.0.1:9", 1, BackendStatus.UNHEALTHY, "llama3:70b");
        gw.healthy("small", up1.url(), 1, "llama3:8b");

        HttpResponse<String> r = post("/v1/chat/completions", "{\"model\":\"llama3:70b\"}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-nexus-fallback-model")).hasValue("llama3:8b");
        assertThat(r.headers().firstValue("x-nexus-backend")).hasValue("small");
        assertThat(Http.json(r).path("model").asText()).isEqualTo("llama3:8b");
    }

    @Test
    void requestTimeoutAnswers504AndReleasesTheCounter() throws Exception {
        var handed = new java.util.concurrent.CompletableFuture<FakeUpstream.Stream>();
        up1 = new FakeUpstream().answer(FakeUpstream.hang(handed));
        gw = new TestGateway(
                stateDir, NexusConfig.Routing.defaults(), s -> s.withRequestTimeout(Duration.ofSeconds(1)));
        Backend b = gw.healthy("slow", up1.url(), 1, "llama3");

        HttpResponse<String> r = post("/v1/chat/completions", CHAT);

        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(Http.json(r).path("error").path("code").asText()).isEqualTo("backend_timeout");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> assertThat(gw.get(b.id()).pendingRequests()).isZero());
    }

    @Test
    void modelListHasOneEntryPerModelOnRoutableBackends() {
        gw = new TestGateway(stateDir);
        gw.healthy("a", "http://127.0.0.1:9001", 1, "llama3", "qwen2");
        gw.healthy("b", "http://127.0.0.1:9002", 1, "llama3");
        gw.backend("c", "http://127.0.0.1:9003", 1, BackendStatus.UNHEALTHY, "mixtral");

        JsonNode list = Http.json(Http.get(gw.base + "/v1/models"));

        assertThat(list.path("object").asText()).isEqualTo("list");
        assertThat(list.path("data")).extracting(m -> m.path("id").asText()).containsExactly("llama3", "qwen2");
        assertThat(list.path("data").get(0).path("object").asText()).isEqualTo("model");
        assertThat(list.path("data").get(0).path("backends")).hasSize(2);
    }

    @Test
    void metricsCountRequestsByBackendModelAndStatus() {
        up1 = new FakeUpstream().answer(FakeUpstream.json(200, "{}"));
        gw = new TestGateway(stateDir);
        gw.healthy("gpu-a", up1.url(), 1, "llama3");
        post("/v1/chat/completions", CHAT);
        post("/v1/chat/completions", "{\"model\":\"nope\"}");

        HttpResponse<String> r = Http.get(gw.base + "/metrics");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(r.body())
                .contains(
                        "nexus_requests_total{backend=\"gpu-a\",model=\"llama3\",status=\"200\"} 1.0",
                        // a model no backend lists is counted as "other": clients cannot add series at will
                        "nexus_requests_total{backend=\"none\",model=\"other\",status=\"404\"} 1.0",
                        "nexus_request_duration_seconds_bucket",
                        "nexus_backends{status=\"healthy\"} 1");
    }

    @Test
    void passesALargeAnswerThroughWhole() throws Exception {
        String big = "{\"data\":\"" + "x".repeat(8 * 1024 * 1024) + "\"}";
        up1 = new FakeUpstream().answer(FakeUpstream.json(200, big));
        gw = new TestGateway(stateDir);
        Backend b = gw.healthy("gpu-a", up1.url(), 1, "llama3");

        HttpResponse<String> r = post("/v1/embeddings", "{\"model\":\"llama3\",\"input\":\"x\"}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).hasSize(big.length()).isEqualTo(big);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> assertThat(gw.get(b.id()).pendingRequests()).isZero());
    }
}
