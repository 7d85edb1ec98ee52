package io.nexusmonitor.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.MdnsInfo;
import io.nexusmonitor.registry.ModelInfo;
import io.nexusmonitor.testing.FakeBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The health check and the gateway take a backend's URLs from one rule
 * ({@code health.logic.BackendEndpoints}): with an announced {@code api_path}, the probe and the
 * chat go under the same path; Ollama's chats go to its OpenAI endpoints under {@code /v1}; a URL
 * written with {@code /v1} is not doubled.
 */
class ApiPathRuleTest {
    private static final String CHAT = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @TempDir
    Path state;

    private static Backend add(TestGateway gw, String url, BackendType type, Map<String, String> txt) {
        Backend b =
                gw.registry().add(Backend.create("", "box", url, type, BackendSource.MDNS, 50, Instant.now()), "found");
        return gw.registry()
                .update(
                        b.id(),
                        "probe",
                        x -> x.withStatus(BackendStatus.HEALTHY)
                                .withModels(List.of(ModelInfo.of("m")))
                                .withMdns(
                                        txt == null
                                                ? null
                                                : new MdnsInfo(
                                                        "box._llm._tcp.local.",
                                                        "_llm._tcp.local.",
                                                        "box.local.",
                                                        List.of("127.0.0.1"),
                                                        txt,
                                                        Instant.now(),
                                                        Instant.now())))
                .orElseThrow();
    }

    @Test
    void anAnnouncedApiPathIsUsedByTheChatAsByTheProbe() {
        try (TestGateway gw = new TestGateway(state);
                FakeBackend box = FakeBackend.start(FakeBackend.Flavor.OPENAI)) {
            box.on(
                    "POST",
                    "/api/chat/completions",
                    FakeBackend.Reply.json(200, "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[]}"));
            add(gw, box.url(), BackendType.GENERIC, Map.of("api_path", "/api"));

            assertThat(Http.send("POST", gw.base + "/v1/chat/completions", CHAT, "Content-Type", "application/json")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(box.hits("/api/chat/completions")).isEqualTo(1);
            assertThat(box.hits("/api/v1/chat/completions")).isZero();
            assertThat(io.nexusmonitor.health.logic.ProbePlan.forBackend(
                                    gw.registry().all().get(0))
                            .get(0)
                            .url())
                    .isEqualTo(box.url() + "/api/models");
        }
    }

    @Test
    void ollamaChatsGoToItsOpenAiEndpointsUnderV1() {
        try (TestGateway gw = new TestGateway(state);
                FakeBackend ollama =
                        FakeBackend.start(FakeBackend.Flavor.OLLAMA).models("m")) {
            add(gw, ollama.url(), BackendType.OLLAMA, null);
            assertThat(Http.send("POST", gw.base + "/v1/chat/completions", CHAT, "Content-Type", "application/json")
                            .statusCode())
                    .isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> ollama.hits("/v1/chat/completions") == 1);
        }
    }

    @Test
    void aUrlWrittenWithV1IsNotDoubled() {
        try (TestGateway gw = new TestGateway(state);
                FakeBackend vllm = FakeBackend.start(FakeBackend.Flavor.VLLM).models("m")) {
            add(gw, vllm.url() + "/v1", BackendType.VLLM, null);
            assertThat(Http.send("POST", gw.base + "/v1/chat/completions", CHAT, "Content-Type", "application/json")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(vllm.hits("/v1/chat/completions")).isEqualTo(1);
            assertThat(vllm.hits("/v1/v1/chat/completions")).isZero();
        }
    }
}
