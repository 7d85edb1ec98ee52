package io.nexusmonitor.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.nexusmonitor.registry.Backend;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Through the real gateway: what each request measured reaches /api/stats, /api/backends/{id} and /metrics. */
class GatewayTelemetryTest {
    private static final String JSON_ANSWER = "{\"id\":\"c1\",\"choices\":[{\"message\":{\"role\":\"assistant\","
            + "\"content\":\"hi\"}}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":12,\"total_tokens\":21}}";
    private static final String CONTENT = "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n"
            + "data: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}\n\n";
    private static final String USAGE_EVENT =
            "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}\n\n";
    private static final String DONE = "data: [DONE]\n\n";

    @TempDir
    Path stateDir;

    private TestGateway gw;
    private FakeUpstream up;
    private Backend backend;

    @BeforeEach
    void start() {
        up = new FakeUpstream();
        gw = new TestGateway(stateDir);
        backend = gw.healthy("box", up.url(), 1, "llama3");
    }

    @AfterEach
    void stop() throws Exception {
        gw.close();
        up.close();
    }

    /** An SSE answer that sends the usage event only when the request asked for it, as OpenAI does. */
    private static FakeUpstream.Behaviour openAiStream() {
        return (req, response, callback) -> {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
            boolean usage = req.body().contains("\"include_usage\":true");
            Content.Sink.write(response, true, CONTENT + (usage ? USAGE_EVENT : "") + DONE, callback);
        };
    }

    private HttpResponse<String> chat(String body) {
        return Http.send("POST", gw.base + "/v1/chat/completions", body, "Content-Type", "application/json");
    }

    private JsonNode stats(String window) {
        HttpResponse<String> r = Http.get(gw.base + "/api/stats" + (window == null ? "" : "?window=" + window));
        assertThat(r.statusCode()).isEqualTo(200);
        return Http.json(r);
    }

    private JsonNode awaitRequests(int n) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> stats(null).at("/total/requests").asInt() >= n);
        return stats(null);
    }

    @Test
    void aJsonAnswersUsageAndTimesReachTheStats() {
        up.answer(FakeUpstream.json(200, JSON_ANSWER));
        assertThat(chat("{\"model\":\"llama3\",\"messages\":[]}").body()).isEqualTo(JSON_ANSWER);

        JsonNode s = awaitRequests(1);
        assertThat(s.get("window").asText()).isEqualTo("1h");
        JsonNode pair = s.at("/pairs/0");
        assertThat(pair.get("backend").asText()).isEqualTo("box");
        assertThat(pair.get("backend_id").asText()).isEqualTo(backend.id());
        assertThat(pair.get("model").asText()).isEqualTo("llama3");
        assertThat(pair.get("tokens_in").asLong()).isEqualTo(9);
        assertThat(pair.get("tokens_out").asLong()).isEqualTo(12);
        assertThat(pair.get("estimated").asLong()).isZero();
        assertThat(pair.at("/ttft_ms/p50").isNumber()).isTrue();
        assertThat(pair.at("/duration_ms/p95").isNumber()).isTrue();
        assertThat(s.at("/backends/0/requests").asInt()).isEqualTo(1);
        assertThat(s.at("/models/0/model").asText()).isEqualTo("llama3");
        for (String w : new String[] {"1m", "15m", "24h"}) {
            assertThat(stats(w).at("/total/tokens_out").asLong()).as(w).isEqualTo(12);
        }

        JsonNode one = Http.json(Http.get(gw.base + "/api/backends/" + backend.id()));
        assertThat(one.at("/stats/windows/1h/requests").asInt()).isEqualTo(1);
        assertThat(one.at("/stats/windows/24h/tokens_in").asInt()).isEqualTo(9);

        String metrics = Http.get(gw.base + "/metrics").body();
        assertThat(metrics)
                .contains("nexus_tokens_total{backend=\"box\",direction=\"in\",model=\"llama3\"} 9.0")
                .contains("nexus_tokens_total{backend=\"box\",direction=\"out\",model=\"llama3\"} 12.0")
                .contains("nexus_time_to_first_token_seconds_count{backend=\"box\",model=\"llama3\"} 1");
    }

    @Test
    void aStreamGetsUsageAskedForAndTheExtraEventIsNotPassedOn() throws Exception {
        up.answer(openAiStream());
        String answer =
                chat("{\"model\":\"llama3\",\"stream\":true,\"messages\":[]}").body();

        assertThat(up.next().body()).contains("\"stream_options\":{\"include_usage\":true}");
        assertThat(answer).isEqualTo(CONTENT + DONE);
        JsonNode pair = awaitRequests(1).at("/pairs/0");
        assertThat(pair.get("tokens_in").asLong()).isEqualTo(5);
        assertThat(pair.get("tokens_out").asLong()).isEqualTo(2);
        assertThat(pair.get("estimated").asLong()).isZero();
    }

    @Test
    void aCallerThatAskedForUsageItselfGetsTheUsageEvent() throws Exception {
        up.answer(openAiStream());
        String answer = chat("{\"model\":\"llama3\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}")
                .body();

        assertThat(up.next().body())
                .isEqualTo("{\"model\":\"llama3\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
        assertThat(answer).isEqualTo(CONTENT + USAGE_EVENT + DONE);
    }

    @Test
    void aStreamWithoutUsageIsCountedByContentChunksAndMarkedEstimated() {
        up.answer((req, response, callback) -> {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
            Content.Sink.write(response, true, CONTENT + DONE, callback); // a server that ignores stream_options
        });
        assertThat(chat("{\"model\":\"llama3\",\"stream\":true}").body()).isEqualTo(CONTENT + DONE);
        JsonNode pair = awaitRequests(1).at("/pairs/0");
        assertThat(pair.get("tokens_out").asLong()).isEqualTo(2);
        assertThat(pair.get("estimated").asLong()).isEqualTo(1);
        assertThat(pair.get("tokens_in").asLong()).isZero();
    }

    @Test
    void serverErrorsCountTowardTheErrorRate() {
        up.answer(FakeUpstream.json(200, JSON_ANSWER));
        chat("{\"model\":\"llama3\"}");
        up.answer(FakeUpstream.json(500, "{\"error\":\"boom\"}"));
        assertThat(chat("{\"model\":\"llama3\"}").statusCode()).isEqualTo(502);
        up.answer(FakeUpstream.json(400, "{\"error\":\"bad\"}"));
        assertThat(chat("{\"model\":\"llama3\"}").statusCode()).isEqualTo(400);

        JsonNode total = awaitRequests(3).get("total");
        assertThat(total.get("errors").asInt()).isEqualTo(1);
        assertThat(total.get("client_errors").asInt()).isEqualTo(1);
        assertThat(total.get("error_rate").asDouble()).isBetween(0.33, 0.34);
    }

    @Test
    void aClientThatAsksGetsAStatsEventAfterARequestAndOthersDoNot() throws Exception {
        java.util.List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.List<String> plain = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (String[] c : new String[][] {{"/api/events?stats=true", "a"}, {"/api/events", "p"}}) {
            java.util.List<String> into = c[1].equals("a") ? asked : plain;
            java.net.http.HttpResponse<java.util.stream.Stream<String>> r = java.net.http.HttpClient.newHttpClient()
                    .sendAsync(
                            java.net.http.HttpRequest.newBuilder(java.net.URI.create(gw.base + c[0]))
                                    .GET()
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofLines())
                    .get(10, java.util.concurrent.TimeUnit.SECONDS);
            java.util.concurrent.CompletableFuture.runAsync(() -> r.body().forEach(into::add));
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> asked.contains(": connected") && plain.contains(": connected"));
        up.answer(FakeUpstream.json(200, JSON_ANSWER));
        chat("{\"model\":\"llama3\"}");

        await().atMost(Duration.ofSeconds(10)).until(() -> asked.contains("event: stats"));
        String data = asked.get(asked.indexOf("event: stats") + 1);
        assertThat(data)
                .startsWith("data: {\"window\":\"1m\"")
                .contains("\"tokens_out\":12")
                .doesNotContain("\"pairs\"");
        // over more than one tick of the stats event, the plain client gets none
        await().during(Duration.ofMillis(1500))
                .atMost(Duration.ofSeconds(5))
                .until(() -> !plain.contains("event: stats"));
    }

    @Test
    void anUnknownWindowIsRefusedWithTheChoices() {
        HttpResponse<String> r = Http.get(gw.base + "/api/stats?window=2d");
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode e = Http.json(r).get("error");
        assertThat(e.get("code").asText()).isEqualTo("invalid_window");
        assertThat(e.get("message").asText()).contains("1m, 15m, 1h, 24h").contains("2d");
    }
}
