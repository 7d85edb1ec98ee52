package io.nexusmonitor.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.ModelInfo;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovered backends over the API: unapproved ones are listed but neither offered nor routed to; DELETE removes them. */
class DiscoveredBackendApiTest {
    @TempDir
    Path state;

    private static Backend discovered(TestGateway gw, String name, String url, boolean approved, String model) {
        Backend b = gw.registry()
                .add(Backend.create("", name, url, BackendType.OPENAI, BackendSource.MDNS, 50, Instant.now()), "found");
        return gw.registry()
                .update(
                        b.id(),
                        "probe",
                        x -> x.withStatus(BackendStatus.HEALTHY)
                                .withApproved(approved)
                                .withModels(List.of(ModelInfo.of(model))))
                .orElseThrow();
    }

    @Test
    void anUnapprovedBackendIsListedButNotOfferedInV1ModelsNorRoutedTo() throws Exception {
        try (TestGateway gw = new TestGateway(state)) {
            Backend waiting = discovered(gw, "stranger", "http://127.0.0.1:9", false, "secret-model");

            assertThat(Http.json(Http.get(gw.base + "/api/backends"))
                            .path("backends")
                            .get(0)
                            .path("approved")
                            .asBoolean())
                    .isFalse();
            assertThat(Http.get(gw.base + "/v1/models").body()).doesNotContain("secret-model");
            HttpResponse<String> chat = Http.send(
                    "POST",
                    gw.base + "/v1/chat/completions",
                    "{\"model\":\"secret-model\",\"messages\":[]}",
                    "Content-Type",
                    "application/json");
            assertThat(chat.statusCode()).isIn(404, 503);
            assertThat(gw.get(waiting.id()).totalRequests()).isZero();
        }
    }

    @Test
    void deleteRemovesADiscoveredBackend() {
        try (TestGateway gw = new TestGateway(state)) {
            Backend b = discovered(gw, "gpu-box", "http://127.0.0.1:9", true, "m");

            HttpResponse<String> r = Http.send("DELETE", gw.base + "/api/backends/" + b.id(), null, gw.auth());

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(gw.registry().get(b.id())).isEmpty();
            assertThat(Http.get(gw.base + "/api/backends/" + b.id()).statusCode())
                    .isEqualTo(404);
        }
    }
}
