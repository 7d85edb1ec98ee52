package io.nexusmonitor.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSettings.CapacitySource;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code POST /api/backends} with max_concurrent, weight, api_key, forward_client_auth (issue 12
 * items 2 and 6): kept on the backend, shown redacted, refused when bad with nothing changed, and
 * kept by a pin across a restart in a pins.json of mode 0600.
 */
class ManualBackendSettingsTest {
    private static final String SECRET = "sk-manual-secret-42";

    @TempDir
    Path stateDir;

    private TestGateway gw;

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    private HttpResponse<String> post(String path, String body) {
        return Http.send("POST", gw.base + path, body, gw.jsonAuth());
    }

    @Test
    void aManualBackendKeepsItsCapacityWeightAndKeyAndShowsTheKeyAsSet() {
        gw = new TestGateway(stateDir);
        HttpResponse<String> r = post(
                "/api/backends",
                "{\"url\":\"http://127.0.0.1:9\",\"type\":\"vllm\","
                        + "\"max_concurrent\":4,\"weight\":3,\"api_key\":\"" + SECRET + "\"}");
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.body()).doesNotContain(SECRET);
        JsonNode b = Http.json(r);
        assertThat(b.path("capacity").asInt()).isEqualTo(4);
        assertThat(b.path("capacity_source").asText()).isEqualTo("config");
        assertThat(b.path("weight").asInt()).isEqualTo(3);
        assertThat(b.path("api_key").asText()).isEqualTo("set");
        Backend held = gw.get(b.path("id").asText());
        assertThat(held.settings().credential().key()).isEqualTo(SECRET);
        assertThat(held.settings().capacitySource()).isEqualTo(CapacitySource.CONFIG);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"url\":\"http://127.0.0.1:9\",\"max_concurrent\":0}",
                "{\"url\":\"http://127.0.0.1:9\",\"max_concurrent\":\"4\"}",
                "{\"url\":\"http://127.0.0.1:9\",\"max_concurrent\":1.5}",
                "{\"url\":\"http://127.0.0.1:9\",\"weight\":0}",
                "{\"url\":\"http://127.0.0.1:9\",\"api_key\":\"\"}",
                "{\"url\":\"http://127.0.0.1:9\",\"api_key\":\"sk-bad\\r\\nX-Evil: 1\"}",
                "{\"url\":\"http://127.0.0.1:9\",\"api_key\":42}",
                "{\"url\":\"http://127.0.0.1:9\",\"forward_client_auth\":\"yes\"}",
            })
    void badSettingsAreRefusedWithASentenceAndNothingIsAdded(String body) throws Exception {
        gw = new TestGateway(stateDir);
        HttpResponse<String> r = post("/api/backends", body);
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode e = Http.json(r).path("error");
        assertThat(e.path("code").asText()).isEqualTo("invalid_backend");
        assertThat(e.path("message").asText()).doesNotContain("sk-bad").doesNotContain("Exception");
        assertThat(gw.registry().all()).isEmpty();
        assertThat(Files.exists(stateDir.resolve("pins.json")) ? Files.readString(stateDir.resolve("pins.json")) : "")
                .doesNotContain("127.0.0.1:9");
    }

    @Test
    void aPinKeepsTheSettingsAcrossARestartInAFileOnlyItsOwnerReads() throws Exception {
        gw = new TestGateway(stateDir);
        String id = Http.json(post(
                        "/api/backends",
                        "{\"url\":\"http://127.0.0.1:9\",\"type\":\"vllm\","
                                + "\"max_concurrent\":2,\"weight\":5,\"api_key\":\"" + SECRET
                                + "\",\"forward_client_auth\":true}"))
                .path("id")
                .asText();
        assertThat(post("/api/backends/" + id + "/pin", "").statusCode()).isEqualTo(200);
        Path pins = stateDir.resolve("pins.json");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> Files.exists(pins) && Files.readString(pins).contains(SECRET));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pins)))
                .isEqualTo("rw-------");
        gw.close();

        gw = new TestGateway(stateDir);
        Backend restored = gw.registry().all().get(0);
        assertThat(restored.capacity()).isEqualTo(2);
        assertThat(restored.settings().capacitySource()).isEqualTo(CapacitySource.CONFIG);
        assertThat(restored.settings().weight()).isEqualTo(5);
        assertThat(restored.settings().credential().key()).isEqualTo(SECRET);
        assertThat(restored.settings().forwardsClientAuth()).isTrue();
        assertThat(Http.get(gw.base + "/api/backends").body())
                .doesNotContain(SECRET)
                .contains("\"api_key\":\"set\"");
    }
}
