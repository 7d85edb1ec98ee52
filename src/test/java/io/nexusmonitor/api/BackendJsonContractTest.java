package io.nexusmonitor.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nexusmonitor.json.BackendJson;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.MdnsInfo;
import io.nexusmonitor.registry.ModelInfo;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend JSON of the README's 'HTTP API' as {@code GET /api/backends} serves it over HTTP: every field
 * present with its JSON type, snake_case names at every depth, ISO-8601 times, {@code grace} with
 * {@code removal_at} and {@code seconds_left}, {@code mdns.*}, {@code models[].loaded}.
 */
class BackendJsonContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path state;

    @Test
    void everyFieldOfTheContractIsServedWithItsType() throws Exception {
        try (TestGateway gw = new TestGateway(state)) {
            Backend b = gw.healthy("gpu-box", "http://127.0.0.1:11434", 50, "llama3:8b");
            Instant seen = Instant.parse("2026-11-24T18:40:00Z");
            Instant removal = Instant.now().plus(Duration.ofSeconds(42));
            gw.registry()
                    .update(
                            b.id(),
                            "test",
                            x -> x.withModels(List.of(new ModelInfo("llama3:8b", 8192, true, List.of("completion"))))
                                    .withMdns(new MdnsInfo(
                                            "gpu-box._ollama._tcp.local.",
                                            "_ollama._tcp.local.",
                                            "gpu-box.local.",
                                            List.of("127.0.0.1"),
                                            Map.of("version", "0.5.1"),
                                            seen,
                                            seen))
                                    .withLatencySample(4)
                                    .withLastHealthCheck(seen)
                                    .withGraceDeadline(removal));

            Instant asked = Instant.now();
            HttpResponse<String> r = Http.get(gw.base + "/api/backends");
            Instant answered = Instant.now();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            JsonNode one = JSON.readTree(r.body()).path("backends").get(0);

            assertThat(one.path("id").isTextual()).isTrue();
            assertThat(one.path("name").asText()).isEqualTo("gpu-box");
            assertThat(one.path("url").asText()).isEqualTo("http://127.0.0.1:11434");
            for (String text : List.of("type", "status", "source")) {
                assertThat(one.path(text).isTextual()).as(text).isTrue();
            }
            assertThat(one.path("status").asText()).isIn("healthy", "loading", "unhealthy", "unknown", "draining");
            assertThat(one.path("source").asText()).isIn("static", "mdns", "manual");
            assertThat(one.has("site") && one.path("site").isNull())
                    .as("site: null for this monitor's own")
                    .isTrue();
            assertThat(one.path("pinned").isBoolean()).isTrue();
            assertThat(one.path("approved").isBoolean()).isTrue();
            assertThat(one.path("priority").isInt()).isTrue();
            assertThat(one.path("pending_requests").isIntegralNumber()).isTrue();
            assertThat(one.path("total_requests").isIntegralNumber()).isTrue();
            assertThat(one.path("avg_latency_ms").isNumber()).isTrue();
            assertThat(Instant.parse(one.path("last_health_check").asText())).isEqualTo(seen);
            assertThat(one.has("last_error")).isTrue();

            JsonNode model = one.path("models").get(0);
            assertThat(model.path("id").asText()).isEqualTo("llama3:8b");
            assertThat(model.path("context_length").asInt()).isEqualTo(8192);
            assertThat(model.path("loaded").isBoolean()).isTrue();
            assertThat(model.path("loaded").asBoolean()).isTrue();

            JsonNode mdns = one.path("mdns");
            assertThat(mdns.path("instance").asText()).isEqualTo("gpu-box._ollama._tcp.local.");
            assertThat(mdns.path("service_type").asText()).isEqualTo("_ollama._tcp.local.");
            assertThat(mdns.path("host").asText()).isEqualTo("gpu-box.local.");
            assertThat(mdns.path("addresses").isArray()).isTrue();
            assertThat(mdns.path("txt").path("version").asText()).isEqualTo("0.5.1");
            assertThat(Instant.parse(mdns.path("first_seen").asText())).isEqualTo(seen);
            assertThat(Instant.parse(mdns.path("last_seen").asText())).isEqualTo(seen);

            JsonNode grace = one.path("grace");
            assertThat(Instant.parse(grace.path("removal_at").asText())).isBetween(removal.minusMillis(1), removal);
            // whole seconds left, rounded up, at some instant between asking and the answer (a loaded
            // machine may take seconds between building the backend and serving it)
            assertThat(grace.path("seconds_left").asLong())
                    .isBetween(BackendJson.secondsLeft(removal, answered), BackendJson.secondsLeft(removal, asked));

            assertThat(fieldNames(one)).allSatisfy(name -> assertThat(name).matches("[a-z][a-z0-9_]*"));
        }
    }

    @Test
    void aBackendOutOfGraceHasNullGraceAndNullMdnsWhenNotDiscovered() throws Exception {
        try (TestGateway gw = new TestGateway(state)) {
            Backend b = gw.healthy("plain", "http://127.0.0.1:9", 50, "m");
            JsonNode one =
                    JSON.readTree(Http.get(gw.base + "/api/backends/" + b.id()).body());
            assertThat(one.path("grace").isNull()).isTrue();
            assertThat(one.path("mdns").isNull()).isTrue();
            assertThat(one.path("history").isArray()).isTrue();
            assertThat(one.path("history").get(0).path("cause").isTextual()).isTrue();
            assertThat(Instant.parse(one.path("history").get(0).path("at").asText()))
                    .isNotNull();
        }
    }

    /** Every object key at every depth, except inside {@code txt}, whose keys are the announcer's. */
    private static List<String> fieldNames(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                out.add(e.getKey());
                if (!e.getKey().equals("txt")) {
                    out.addAll(fieldNames(e.getValue()));
                }
            }
        } else if (node.isArray()) {
            node.forEach(n -> out.addAll(fieldNames(n)));
        }
        return out;
    }
}
