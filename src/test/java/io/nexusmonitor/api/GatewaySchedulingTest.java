package io.nexusmonitor.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSettings;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.ModelInfo;
import io.nexusmonitor.testing.SimulatedLlmBox;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 through real HTTP on loopback: the gateway in front of simulated LLM boxes (slots,
 * token rate, prefill, residency). Warm beats cold, a busy backend spills to the next, the queue
 * keeps its order and its limits, a client leaving the queue leaves it at once, and a refused
 * connection opens the circuit until a good probe closes it.
 */
class GatewaySchedulingTest {
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path stateDir;

    private TestGateway gw;
    private final List<SimulatedLlmBox> boxes = new ArrayList<>();

    @AfterEach
    void tearDown() {
        if (gw != null) {
            gw.close();
        }
        for (SimulatedLlmBox b : boxes) {
            b.close();
        }
    }

    private SimulatedLlmBox box(String name, int port) {
        SimulatedLlmBox b = SimulatedLlmBox.builder(name)
                .models("m")
                .resident("m")
                .slots(4)
                .tokensPerSecond(20)
                .prefill(Duration.ofMillis(10))
                .loadTime(Duration.ofMillis(300))
                .port(port)
                .start();
        boxes.add(b);
        return b;
    }

    private SimulatedLlmBox box(String name) {
        return box(name, 0);
    }

    private static NexusConfig.Routing routing(int maxSize, int maxWaitSeconds) {
        return NexusConfig.Routing.defaults().withQueue(new NexusConfig.Queue(maxSize, maxWaitSeconds));
    }

    private Backend withCapacity(Backend b, int slots) {
        return gw.registry()
                .update(
                        b.id(),
                        "config",
                        x -> x.withSettings(x.settings().withCapacity(slots, BackendSettings.CapacitySource.CONFIG)))
                .orElseThrow();
    }

    private static String chat(int tokens, String tag) {
        return "{\"model\":\"m\",\"stream\":true,\"max_tokens\":" + tokens + ",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"" + tag + "\"}]}";
    }

    private CompletableFuture<HttpResponse<String>> send(String body, String... headers) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(gw.base + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        return CLIENT.sendAsync(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode queue() {
        return Http.json(Http.get(gw.base + "/api/queue"));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(20))
                .until(condition::getAsBoolean);
    }

    private int depth() {
        JsonNode models = queue().path("models");
        return models.isEmpty() ? 0 : models.get(0).path("depth").asInt();
    }

    @Test
    void aLoadedModelIsPreferredOverOneThatMustLoadAndTheReasonSaysWhy() throws Exception {
        gw = new TestGateway(stateDir, routing(16, 10), s -> s);
        Backend cold = gw.healthy("cold", box("cold").url(), 1, "m");
        gw.registry()
                .update(cold.id(), "probe", b -> b.withModels(List.of(new ModelInfo("m", null, false, List.of()))));
        gw.healthy("warm", box("warm").url(), 5, "m");

        HttpResponse<String> r = send(chat(2, "hi")).get(10, TimeUnit.SECONDS);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-nexus-backend")).hasValue("warm");
        assertThat(r.headers().firstValue("x-nexus-route-reason"))
                .hasValueSatisfying(
                        v -> assertThat(v)
                                .startsWith(
                                        "warm: m loaded, 0 in flight, predicted first token 0.5 s (cold: must load m, ~10.5 s)"));
        assertThat(boxes.get(0).served()).isZero();
    }

    @Test
    void aBackendAtCapacitySpillsToTheNextBest() throws Exception {
        gw = new TestGateway(stateDir, routing(16, 10), s -> s);
        Backend first = withCapacity(gw.healthy("first", box("first").url(), 1, "m"), 1);
        withCapacity(gw.healthy("second", box("second").url(), 2, "m"), 1);

        CompletableFuture<HttpResponse<String>> hold = send(chat(20, "hold"));
        await(() -> gw.registry().get(first.id()).orElseThrow().pendingRequests() == 1);
        HttpResponse<String> spilled = send(chat(2, "next")).get(10, TimeUnit.SECONDS);

        assertThat(spilled.statusCode()).isEqualTo(200);
        assertThat(spilled.headers().firstValue("x-nexus-backend")).hasValue("second");
        assertThat(spilled.headers().firstValue("x-nexus-route-reason"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("second: m loaded, 0/1 busy"));
        assertThat(hold.get(10, TimeUnit.SECONDS).headers().firstValue("x-nexus-backend"))
                .hasValue("first");
    }

    @Test
    void waitingRequestsGoInPriorityOrderAndFirstComeFirstServedWithin() throws Exception {
        gw = new TestGateway(stateDir, routing(16, 20), s -> s);
        SimulatedLlmBox only = box("only");
        Backend b = withCapacity(gw.healthy("only", only.url(), 1, "m"), 1);
        ConcurrentLinkedQueue<String> finished = new ConcurrentLinkedQueue<>();

        CompletableFuture<?> hold = send(chat(20, "hold")).thenAccept(r -> finished.add("hold"));
        await(() -> gw.registry().get(b.id()).orElseThrow().pendingRequests() == 1);
        List<CompletableFuture<?>> all = new ArrayList<>(List.of(hold));
        String[][] order = {{"low", "low"}, {"normal-a", "normal"}, {"normal-b", "normal"}, {"high", "HIGH"}};
        int expectedDepth = 0;
        for (String[] o : order) {
            all.add(send(chat(2, o[0]), "X-Nexus-Priority", o[1]).thenAccept(r -> {
                assertThat(r.statusCode()).isEqualTo(200);
                finished.add(o[0]);
            }));
            int want = ++expectedDepth;
            await(() -> depth() == want);
        }
        JsonNode q = queue().path("models").get(0);
        assertThat(q.path("model").asText()).isEqualTo("m");
        assertThat(q.path("oldest_wait_seconds").asDouble()).isPositive();
        assertThat(queue().path("waiting").asInt()).isEqualTo(4);

        CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(20, TimeUnit.SECONDS);

        assertThat(finished).containsExactly("hold", "high", "normal-a", "normal-b", "low");
        assertThat(only.maxRunningSeen()).isEqualTo(1);
        JsonNode after = queue().path("models").get(0);
        assertThat(after.path("depth").asInt()).isZero();
        assertThat(after.path("dispatched").asInt()).isEqualTo(4);
        String metrics = Http.get(gw.base + "/metrics").body();
        assertThat(metrics).contains("nexus_queue_wait_seconds_count 4").contains("nexus_queue_depth{model=\"m\"} 0");
    }

    @Test
    void aClientThatGoesAwayLeavesTheQueueAtOnce() throws Exception {
        gw = new TestGateway(stateDir, routing(16, 20), s -> s);
        SimulatedLlmBox only = box("only");
        Backend b = withCapacity(gw.healthy("only", only.url(), 1, "m"), 1);
        CompletableFuture<HttpResponse<String>> hold = send(chat(30, "hold"));
        await(() -> gw.registry().get(b.id()).orElseThrow().pendingRequests() == 1);

        String body = chat(2, "leaving");
        try (Socket s = new Socket("127.0.0.1", gw.api.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" + gw.api.port()
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n"
                            + body)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            await(() -> depth() == 1);
        }
        await(() -> depth() == 0);

        assertThat(queue().path("models").get(0).path("left").asInt()).isEqualTo(1);
        assertThat(hold.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        // the box counts the held request once its last write completed; the one that left never reached it
        await(() -> only.served() == 1);
        assertThat(only.served() + only.running() + only.queued() + only.cancelled())
                .isEqualTo(1);
    }

    @Test
    void aFullQueueAnswers429AndALongWait503BothWithRetryAfter() throws Exception {
        gw = new TestGateway(stateDir, routing(1, 1), s -> s);
        Backend b = withCapacity(gw.healthy("only", box("only").url(), 1, "m"), 1);
        CompletableFuture<HttpResponse<String>> hold = send(chat(60, "hold")); // 3 s at 20 tokens/s
        await(() -> gw.registry().get(b.id()).orElseThrow().pendingRequests() == 1);
        CompletableFuture<HttpResponse<String>> waiting = send(chat(2, "waits"));
        await(() -> depth() == 1);

        HttpResponse<String> full = send(chat(2, "one too many")).get(10, TimeUnit.SECONDS);
        assertThat(full.statusCode()).isEqualTo(429);
        assertThat(Http.json(full).path("error").path("code").asText()).isEqualTo("queue_full");
        assertThat(Http.json(full).path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(full.headers().firstValue("retry-after"))
                .hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());

        HttpResponse<String> late = waiting.get(10, TimeUnit.SECONDS);
        assertThat(late.statusCode()).isEqualTo(503);
        assertThat(Http.json(late).path("error").path("code").asText()).isEqualTo("queue_timeout");
        assertThat(Http.json(late).path("error").path("message").asText()).contains("max_wait_seconds = 1");
        assertThat(late.headers().firstValue("retry-after")).isPresent();
        assertThat(hold.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        JsonNode q = queue().path("models").get(0);
        assertThat(q.path("rejected").asInt()).isEqualTo(1);
        assertThat(q.path("timed_out").asInt()).isEqualTo(1);
        assertThat(Http.get(gw.base + "/metrics").body())
                .contains("nexus_queue_refused_total{reason=\"full\"} 1.0")
                .contains("nexus_queue_refused_total{reason=\"timeout\"} 1.0");
    }

    @Test
    void aRefusedConnectionOpensTheCircuitAndTheNextGoodProbeClosesIt() throws Exception {
        NexusConfig q = TestConfigs.quiet();
        NexusConfig config = q.withHealthCheck(new NexusConfig.HealthCheck(true, 3600, 2, 3, 1));
        gw = new TestGateway(stateDir, config);
        SimulatedLlmBox dying = box("dying");
        int port = java.net.URI.create(dying.url()).getPort();
        Backend first = gw.healthy("dying", dying.url(), 1, "m");
        gw.healthy("spare", box("spare").url(), 5, "m");
        await(() -> gw.registry().get(first.id()).orElseThrow().status() == BackendStatus.HEALTHY);
        dying.close();

        HttpResponse<String> r = send(chat(2, "hi")).get(10, TimeUnit.SECONDS);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-nexus-backend")).hasValue("spare");
        Backend opened = gw.registry().get(first.id()).orElseThrow();
        assertThat(opened.status()).isEqualTo(BackendStatus.UNHEALTHY);
        assertThat(opened.history()).anySatisfy(h -> assertThat(h.cause()).isEqualTo("proxy: connection refused"));
        // no more traffic for it: the next request goes straight to the spare, with no retry
        HttpResponse<String> next = send(chat(2, "again")).get(10, TimeUnit.SECONDS);
        assertThat(next.headers().firstValue("x-nexus-route-reason"))
                .hasValueSatisfying(v -> assertThat(v).doesNotContain("retry"));

        box("dying-again", port);
        // probe until it has passed recovery_threshold checks (each checkNow is one probe, 100 ms apart)
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> {
                    gw.engine.checkNow(first.id());
                    return gw.registry().get(first.id()).orElseThrow().status() == BackendStatus.HEALTHY;
                });
        assertThat(gw.registry().get(first.id()).orElseThrow().routable()).isTrue();
    }

    @Test
    void anUnknownCapacityIsLearnedFromFirstTokensThatWaitedInsideTheBox() throws Exception {
        gw = new TestGateway(stateDir, routing(16, 20), s -> s);
        SimulatedLlmBox one = SimulatedLlmBox.builder("one")
                .models("m")
                .resident("m")
                .slots(1)
                .tokensPerSecond(20)
                .prefill(Duration.ofMillis(10))
                .start();
        boxes.add(one);
        Backend b = gw.healthy("one", one.url(), 1, "m");
        for (int i = 0; i < 3; i++) { // warm first tokens, one at a time
            assertThat(send(chat(2, "warm")).get(10, TimeUnit.SECONDS).statusCode())
                    .isEqualTo(200);
        }
        assertThat(gw.get(b.id()).capacity()).isNull();

        for (int round = 0; round < 6 && gw.get(b.id()).capacity() == null; round++) {
            CompletableFuture<HttpResponse<String>> first = send(chat(6, "first"));
            await(() -> gw.registry().get(b.id()).orElseThrow().pendingRequests() == 1);
            CompletableFuture<HttpResponse<String>> second = send(chat(2, "second")); // waits inside the box
            assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(second.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }

        Backend learned = gw.get(b.id());
        assertThat(learned.capacity()).isEqualTo(1);
        assertThat(learned.settings().capacitySource()).isEqualTo(BackendSettings.CapacitySource.LEARNED);
        JsonNode figures = queue().path("backends").get(0);
        assertThat(figures.path("capacity_source").asText()).isEqualTo("learned");
        assertThat(figures.path("warm_ttft_seconds").asDouble()).isPositive();
    }
}
