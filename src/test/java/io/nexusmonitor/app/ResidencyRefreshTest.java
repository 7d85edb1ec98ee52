package io.nexusmonitor.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.ModelInfo;
import io.nexusmonitor.testing.SimulatedLlmBox;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code BackendControl.checkNow(id)}, the hook the gateway calls after a request that may have loaded a
 * model, re-reads residency at once (not at the next periodic round, here an hour away).
 */
class ResidencyRefreshTest {
    @TempDir
    Path stateDir;

    private static Optional<Boolean> loaded(NexusEngine engine, String id, String model) {
        return engine.registry().get(id).orElseThrow().models().stream()
                .filter(m -> m.id().equals(model))
                .map(ModelInfo::loaded)
                .filter(java.util.Objects::nonNull)
                .findFirst();
    }

    @Test
    void checkNowAfterAModelSwapShowsTheNewResidentModel() throws Exception {
        try (SimulatedLlmBox box = SimulatedLlmBox.builder("box")
                .models("m1", "m2")
                .resident("m1")
                .loadTime(Duration.ofMillis(200))
                .tokensPerSecond(2000)
                .replyTokens(4)
                .start()) {
            NexusConfig.StaticBackend s =
                    new NexusConfig.StaticBackend("box", box.url(), BackendType.OLLAMA, 1, "nexus.toml:3");
            NexusConfig d = NexusConfig.defaults();
            NexusConfig config = new NexusConfig(
                    d.server(),
                    d.discovery().withEnabled(false),
                    new NexusConfig.HealthCheck(true, 3600, 2, 1, 1),
                    d.routing(),
                    d.notifications(),
                    d.logging(),
                    List.of(s),
                    null);
            try (NexusEngine engine = new NexusEngine(config, new EngineOptions(stateDir, false))) {
                engine.start();
                String id = engine.registry().all().get(0).id();
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> loaded(engine, id, "m1").orElse(false));
                assertThat(loaded(engine, id, "m2")).contains(false);

                HttpResponse<String> r = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(box.url() + "/v1/chat/completions"))
                                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m2\",\"messages\":[]}"))
                                        .header("Content-Type", "application/json")
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);

                engine.checkNow(id);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> loaded(engine, id, "m2").orElse(false));
                Backend b = engine.registry().get(id).orElseThrow();
                assertThat(loaded(engine, b.id(), "m1")).contains(false);
            }
        }
    }
}
