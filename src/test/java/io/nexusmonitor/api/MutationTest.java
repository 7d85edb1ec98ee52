package io.nexusmonitor.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.BackendType;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POST/DELETE on /api/backends with the README's status codes, on the default loopback bind. */
class MutationTest {
    @TempDir
    Path stateDir;

    private TestGateway gw;

    @BeforeEach
    void start() {
        gw = new TestGateway(
                stateDir,
                TestConfigs.quiet(new NexusConfig.StaticBackend(
                        "from-config", "http://127.0.0.1:11434", BackendType.OLLAMA, 1, "nexus.toml:40")));
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    private HttpResponse<String> post(String path, String body) {
        return Http.send("POST", gw.base + path, body, gw.jsonAuth());
    }

    private String configBackendId() {
        return gw.registry().findByUrl("http://127.0.0.1:11434").orElseThrow().id();
    }

    @Test
    void addCreatesAManualBackendWith201() {
        HttpResponse<String> r = post(
                "/api/backends",
                "{\"url\":\"http://127.0.0.1:8080\",\"name\":\"box\",\"type\":\"vllm\",\"priority\":3}");

        assertThat(r.statusCode()).isEqualTo(201);
        JsonNode b = Http.json(r);
        assertThat(b.path("name").asText()).isEqualTo("box");
        assertThat(b.path("type").asText()).isEqualTo("vllm");
        assertThat(b.path("priority").asInt()).isEqualTo(3);
        assertThat(b.path("source").asText()).isEqualTo("manual");
        assertThat(r.headers().firstValue("location"))
                .hasValue("/api/backends/" + b.path("id").asText());
        assertThat(gw.registry().get(b.path("id").asText())).isPresent();
    }

    @Test
    void addWithOnlyAUrlUsesDefaults() {
        HttpResponse<String> r = post("/api/backends", "{\"url\":\"127.0.0.1:9000\"}");
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(Http.json(r).path("url").asText()).isEqualTo("http://127.0.0.1:9000");
    }

    @Test
    void addRefusesAnExistingUrlWith409() {
        HttpResponse<String> r = post("/api/backends", "{\"url\":\"http://127.0.0.1:11434/\"}");
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(Http.json(r).path("error").path("code").asText()).isEqualTo("conflict");
    }

    @Test
    void addRefusesInvalidInputWith400() {
        assertThat(post("/api/backends", "{}").statusCode()).isEqualTo(400);
        assertThat(post("/api/backends", "{\"url\":\"ftp://x\"}").statusCode()).isEqualTo(400);
        assertThat(post("/api/backends", "{\"url\":\"http://a:1\",\"type\":\"toaster\"}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(post("/api/backends", "{\"url\":\"http://a:1\",\"priority\":\"high\"}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(post("/api/backends", "{\"url\":\"http://a:1\",\"colour\":\"red\"}")
                        .statusCode())
                .isEqualTo(400);
        HttpResponse<String> bad = post("/api/backends", "[1,2]");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Http.json(bad).path("error").path("message").asText()).contains("JSON object");
        HttpResponse<String> typo = post("/api/backends", "{\"url\":\"http://a:1\",\"type\":\"toaster\"}");
        assertThat(Http.json(typo).path("error").path("message").asText()).contains("ollama | vllm");
    }

    @Test
    void deleteRemovesAManualBackend() {
        String id = Http.json(post("/api/backends", "{\"url\":\"http://127.0.0.1:8081\"}"))
                .path("id")
                .asText();

        HttpResponse<String> r = Http.send("DELETE", gw.base + "/api/backends/" + id, null, gw.auth());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(gw.registry().get(id)).isEmpty();
        assertThat(Http.send("DELETE", gw.base + "/api/backends/" + id, null, gw.auth())
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void deleteRefusesAConfigBackendWith409NamingTheFile() {
        HttpResponse<String> r = Http.send("DELETE", gw.base + "/api/backends/" + configBackendId(), null, gw.auth());
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(Http.json(r).path("error").path("message").asText()).contains("nexus.toml:40");
    }

    @Test
    void pinAndUnpinAManualBackend() {
        String id = Http.json(post("/api/backends", "{\"url\":\"http://127.0.0.1:8082\"}"))
                .path("id")
                .asText();

        HttpResponse<String> pinned = post("/api/backends/" + id + "/pin", null);
        assertThat(pinned.statusCode()).isEqualTo(200);
        assertThat(Http.json(pinned).path("pinned").asBoolean()).isTrue();

        HttpResponse<String> unpinned = post("/api/backends/" + id + "/unpin", null);
        assertThat(unpinned.statusCode()).isEqualTo(200);
        assertThat(Http.json(unpinned).path("pinned").asBoolean()).isFalse();
    }

    @Test
    void unpinRefusesAConfigBackendWith409() {
        HttpResponse<String> r = post("/api/backends/" + configBackendId() + "/unpin", null);
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(Http.json(r).path("error").path("message").asText()).contains("nexus.toml:40");
    }

    @Test
    void pinUnknownIdIs404() {
        assertThat(post("/api/backends/nope/pin", null).statusCode()).isEqualTo(404);
    }

    @Test
    void loopbackBindNeedsNoToken() {
        assertThat(TokenGuard.isLoopback("127.0.0.1")).isTrue();
        assertThat(TokenGuard.isLoopback("localhost")).isTrue();
        assertThat(TokenGuard.isLoopback("::1")).isTrue();
        assertThat(TokenGuard.isLoopback("127.0.0.2")).isTrue();
        assertThat(TokenGuard.isLoopback("0.0.0.0")).isFalse();
        assertThat(TokenGuard.isLoopback("192.168.1.5")).isFalse();
    }
}
