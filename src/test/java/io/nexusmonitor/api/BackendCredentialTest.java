package io.nexusmonitor.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSettings;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.Credential;
import io.nexusmonitor.testing.FakeBackend;
import io.nexusmonitor.testing.LogCapture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 6 through the gateway: a backend's key goes upstream as {@code Authorization: Bearer}
 * on probes and proxied requests; the client's own Authorization only with forward_client_auth; the
 * key never shows in the backend JSON, SSE, /metrics or a log line.
 */
class BackendCredentialTest {
    private static final String SECRET = "sk-very-secret-0123456789";
    private static final String CHAT = "{\"model\":\"mistral\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @TempDir
    Path stateDir;

    private TestGateway gw;
    private FakeBackend vllm;

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
        if (vllm != null) {
            vllm.close();
        }
    }

    /** A gateway whose config file lists the fake vLLM with these settings, health-checked. */
    private Backend gatewayWith(BackendSettings settings) {
        NexusConfig q = TestConfigs.quiet(
                new NexusConfig.StaticBackend("gpu", vllm.url(), BackendType.VLLM, 1, "nexus.toml:3", settings));
        gw = new TestGateway(stateDir, q.withHealthCheck(new NexusConfig.HealthCheck(true, 3600, 15, 1, 1)));
        Backend b = gw.registry().all().get(0);
        await().atMost(PATIENCE).until(() -> gw.get(b.id()).lastHealthCheck() != null);
        return gw.get(b.id());
    }

    private HttpResponse<String> chat(String... headers) {
        String[] all = Stream.concat(Stream.of("Content-Type", "application/json"), Stream.of(headers))
                .toArray(String[]::new);
        return Http.send("POST", gw.base + "/v1/chat/completions", CHAT, all);
    }

    private String upstreamAuthorization() {
        List<FakeBackend.Recorded> chats = vllm.requests().stream()
                .filter(r -> r.path().equals("/v1/chat/completions"))
                .toList();
        assertThat(chats).isNotEmpty();
        return chats.get(chats.size() - 1).headers().get("authorization");
    }

    @Test
    void aBackendNeedingAKeyIsUnhealthyWithoutItAndServesWithIt() {
        vllm = FakeBackend.vllm().models("mistral").requireKey(SECRET);
        assertThat(gatewayWith(BackendSettings.DEFAULTS).status()).isEqualTo(BackendStatus.UNHEALTHY);
        gw.close();

        Backend b = gatewayWith(BackendSettings.DEFAULTS.withCredential(Credential.of(SECRET)));
        assertThat(b.status()).isEqualTo(BackendStatus.HEALTHY);
        HttpResponse<String> r = chat("Authorization", "Bearer the-clients-own-token");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(upstreamAuthorization()).isEqualTo("Bearer " + SECRET);
    }

    @Test
    void theClientsAuthorizationIsNotForwardedByDefault() {
        vllm = FakeBackend.vllm().models("mistral");
        gatewayWith(BackendSettings.DEFAULTS);
        assertThat(chat("Authorization", "Bearer the-clients-own-token").statusCode())
                .isEqualTo(200);
        assertThat(upstreamAuthorization()).isNull();
    }

    @Test
    void forwardClientAuthSendsTheClientsOwnAndFallsBackToTheKey() {
        vllm = FakeBackend.vllm().models("mistral");
        gatewayWith(BackendSettings.DEFAULTS.withCredential(new Credential(SECRET, null, true)));
        assertThat(chat("Authorization", "Bearer the-clients-own-token").statusCode())
                .isEqualTo(200);
        assertThat(upstreamAuthorization()).isEqualTo("Bearer the-clients-own-token");
        assertThat(chat().statusCode()).isEqualTo(200);
        assertThat(upstreamAuthorization()).isEqualTo("Bearer " + SECRET);
    }

    @Test
    void aBackendRefusingTheGatewaysKeyAnswers401ToTheClientNotABadGateway() {
        vllm = FakeBackend.vllm().models("mistral");
        Backend b = gatewayWith(BackendSettings.DEFAULTS.withCredential(Credential.of(SECRET)));
        vllm.requireKey("another-key");
        HttpResponse<String> r = chat();
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).doesNotContain(SECRET);
        assertThat(gw.get(b.id()).lastError())
                .satisfiesAnyOf(e -> assertThat(e).isNull(), e -> assertThat(e).doesNotContain(SECRET));
    }

    @Test
    void theKeyNeverShowsInTheApiSseMetricsOrLogs() throws Exception {
        vllm = FakeBackend.vllm().models("mistral").requireKey(SECRET);
        try (LogCapture logs = LogCapture.everything()) {
            Backend b = gatewayWith(BackendSettings.DEFAULTS.withCredential(Credential.of(SECRET)));
            List<String> lines = new CopyOnWriteArrayList<>();
            HttpResponse<Stream<String>> events = HttpClient.newHttpClient()
                    .sendAsync(
                            HttpRequest.newBuilder(URI.create(gw.base + "/api/events"))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofLines())
                    .get(10, TimeUnit.SECONDS);
            CompletableFuture.runAsync(() -> events.body().forEach(lines::add));
            await().atMost(PATIENCE).until(() -> lines.contains(": connected"));

            gw.registry().update(b.id(), "renamed", x -> x.withName("gpu-2"));
            vllm.requireKey("rotated"); // the next check and chat fail: their errors must not carry the key either
            gw.engine.checkNow(b.id());
            chat();
            await().atMost(PATIENCE).until(() -> lines.stream().anyMatch(l -> l.contains("gpu-2")));
            await().atMost(PATIENCE).until(() -> gw.get(b.id()).status() == BackendStatus.UNHEALTHY);

            JsonNode list = Http.json(Http.get(gw.base + "/api/backends"));
            JsonNode one = list.path("backends").get(0);
            assertThat(one.path("api_key").asText()).isEqualTo("set");
            assertThat(one.path("forward_client_auth").asBoolean()).isFalse();
            assertThat(list.toString()).doesNotContain(SECRET);
            assertThat(Http.get(gw.base + "/api/backends/" + b.id()).body()).doesNotContain(SECRET);
            assertThat(Http.send("GET", gw.base + "/metrics", null, gw.auth()).body())
                    .doesNotContain(SECRET);
            assertThat(String.join("\n", lines)).contains("\"api_key\":\"set\"").doesNotContain(SECRET);
            assertThat(String.join("\n", logs.messages())).doesNotContain(SECRET);
            assertThat(gw.get(b.id()).toString()).doesNotContain(SECRET);
        }
    }

    @Test
    void aBackendWithoutAKeyShowsNull() {
        vllm = FakeBackend.vllm().models("mistral");
        gatewayWith(BackendSettings.DEFAULTS);
        JsonNode one =
                Http.json(Http.get(gw.base + "/api/backends")).path("backends").get(0);
        assertThat(one.path("api_key").isNull()).isTrue();
        assertThat(one.path("weight").asInt()).isEqualTo(1);
        assertThat(one.path("capacity").isNull()).isTrue();
    }
}
