package io.nexusmonitor.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.ModelInfo;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiServerTest {
    @TempDir
    Path stateDir;

    private TestGateway gw;

    @BeforeEach
    void start() {
        gw = new TestGateway(stateDir, TestConfigs.quiet());
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    private Backend addBackend(String name, String url, BackendStatus status, String... models) {
        Backend b = gw.registry()
                .add(
                        Backend.create("", name, url, BackendType.OLLAMA, BackendSource.MANUAL, 10, Instant.now()),
                        "added by test");
        List<ModelInfo> ms = java.util.Arrays.stream(models).map(ModelInfo::of).toList();
        return gw.registry()
                .update(b.id(), "probe", x -> x.withStatus(status).withModels(ms))
                .orElseThrow();
    }

    @Test
    void bindsToAFreePortOnLoopbackWhenPortIsZero() {
        assertThat(gw.api.port()).isPositive();
        assertThat(gw.api.address()).isEqualTo("http://127.0.0.1:" + gw.api.port());
    }

    @Test
    void healthCountsBackendsByStatusAndModels() {
        addBackend("a", "http://127.0.0.1:9001", BackendStatus.HEALTHY, "llama3:8b", "qwen2:7b");
        addBackend("b", "http://127.0.0.1:9002", BackendStatus.HEALTHY, "llama3:8b");
        addBackend("c", "http://127.0.0.1:9003", BackendStatus.UNHEALTHY);
        addBackend("d", "http://127.0.0.1:9004", BackendStatus.LOADING);

        HttpResponse<String> r = Http.get(gw.base + "/health");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode h = Http.json(r);
        assertThat(h.path("status").asText()).isEqualTo("ok");
        assertThat(h.path("version").asText()).isNotBlank();
        assertThat(h.path("uptime_seconds").isIntegralNumber()).isTrue();
        assertThat(h.path("backends").path("total").asInt()).isEqualTo(4);
        assertThat(h.path("backends").path("healthy").asInt()).isEqualTo(2);
        assertThat(h.path("backends").path("loading").asInt()).isEqualTo(1);
        assertThat(h.path("backends").path("unhealthy").asInt()).isEqualTo(1);
        assertThat(h.path("backends").path("unknown").asInt()).isZero();
        assertThat(h.path("models").path("total").asInt()).isEqualTo(2);
    }

    @Test
    void listsEveryBackendWithTheProductFields() {
        Backend a = addBackend("gpu-a", "http://127.0.0.1:9001", BackendStatus.HEALTHY, "llama3:8b");
        addBackend("gpu-b", "http://127.0.0.1:9002", BackendStatus.UNKNOWN);

        JsonNode list = Http.json(Http.get(gw.base + "/api/backends")).path("backends");

        assertThat(list).hasSize(2);
        JsonNode first = list.get(0);
        assertThat(first.path("id").asText()).isEqualTo(a.id());
        assertThat(first.path("name").asText()).isEqualTo("gpu-a");
        assertThat(first.path("status").asText()).isEqualTo("healthy");
        assertThat(first.path("models").get(0).path("id").asText()).isEqualTo("llama3:8b");
        assertThat(first.has("grace")).isTrue();
        assertThat(first.has("history")).isFalse();
    }

    @Test
    void showsOneBackendWithItsHistory() {
        Backend a = addBackend("gpu-a", "http://127.0.0.1:9001", BackendStatus.HEALTHY);

        HttpResponse<String> r = Http.get(gw.base + "/api/backends/" + a.id());

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode b = Http.json(r);
        assertThat(b.path("id").asText()).isEqualTo(a.id());
        assertThat(b.path("history")).extracting(h -> h.path("cause").asText()).contains("added by test", "probe");
    }

    @Test
    void unknownBackendIdIsA404InOpenAiShape() {
        HttpResponse<String> r = Http.get(gw.base + "/api/backends/doesnotexist");

        assertThat(r.statusCode()).isEqualTo(404);
        JsonNode e = Http.json(r).path("error");
        assertThat(e.path("message").asText()).contains("doesnotexist");
        assertThat(e.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(e.path("code").asText()).isEqualTo("backend_not_found");
    }

    @Test
    void unknownPathIsA404InOpenAiShape() {
        HttpResponse<String> r = Http.get(gw.base + "/no/such/thing");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(Http.json(r).path("error").path("code").asText()).isEqualTo("not_found");
        assertThat(Http.json(r).path("error").path("message").asText()).contains("/no/such/thing");
    }

    @Test
    void wrongMethodIsA405NamingTheAllowedOnes() {
        HttpResponse<String> r = Http.send("PUT", gw.base + "/health", "{}");

        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("allow")).hasValue("GET");
        assertThat(Http.json(r).path("error").path("code").asText()).isEqualTo("method_not_allowed");
    }

    @Test
    void trailingSlashReachesTheSameEndpoint() {
        assertThat(Http.get(gw.base + "/api/backends/").statusCode()).isEqualTo(200);
    }

    @Test
    void refusesToStartOnAPortInUseWithAClearMessage() {
        NexusConfig clash =
                NexusConfig.defaults().withServer(NexusConfig.Server.defaults().withPort(gw.api.port()));
        ApiServer second = new ApiServer(gw.engine, clash);
        org.assertj.core.api.Assertions.assertThatThrownBy(second::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("127.0.0.1:" + gw.api.port());
    }

    @Test
    void errorsJettyAnswersItselfAreInOpenAiShapeToo() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gw.api.port())) {
            socket.getOutputStream()
                    .write("GET /a%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

            assertThat(answer).startsWith("HTTP/1.1 400").contains("Content-Type: application/json");
            JsonNode e = io.nexusmonitor.json.BackendJson.MAPPER
                    .readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4))
                    .path("error");
            assertThat(e.path("type").asText()).isEqualTo("invalid_request_error");
            assertThat(e.path("code").asText()).isEqualTo("bad_request");
        }
    }
}
