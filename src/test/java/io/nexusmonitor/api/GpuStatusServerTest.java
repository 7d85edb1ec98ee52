package io.nexusmonitor.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nexusmonitor.gpu.GpuStatusJson;
import io.nexusmonitor.registry.GpuReading;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code announce --status-port} on Jetty: the last reading, read-only, behind the API's Host rule. */
class GpuStatusServerTest {
    private static final GpuStatusJson.Status SNAP = new GpuStatusJson.Status(
            List.of(new GpuReading(0, "RTX 4090", 24564L, null, 5, 40)), Instant.parse("2026-12-01T10:00:00Z"));

    @Test
    void servesTheLastReadingReadOnly() throws Exception {
        try (GpuStatusServer s = GpuStatusServer.start("127.0.0.1", 0, () -> SNAP)) {
            String base = "http://127.0.0.1:" + s.port();
            HttpResponse<String> r = Http.get(base + "/status");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
            JsonNode g = Http.json(r).path("gpus").get(0);
            assertThat(g.path("name").asText()).isEqualTo("RTX 4090");
            assertThat(g.path("vram_total_mb").asLong()).isEqualTo(24564);
            assertThat(g.path("vram_used_mb").isNull()).isTrue();
            assertThat(Http.json(r).path("read_at").asText()).isEqualTo("2026-12-01T10:00:00Z");

            HttpResponse<String> post = Http.send("POST", base + "/status", "{}", "Content-Type", "application/json");
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
            assertThat(Http.json(post).path("error").path("message").asText()).contains("read-only");
            HttpResponse<String> other = Http.get(base + "/etc/passwd");
            assertThat(other.statusCode()).isEqualTo(404);
            assertThat(Http.json(other).path("error").path("message").asText()).contains("/status");
        }
    }

    @Test
    void refusesAPageThatRebindsItsNameToTheHost() throws Exception {
        try (GpuStatusServer s = GpuStatusServer.start("127.0.0.1", 0, () -> SNAP)) {
            RawHttp.Answer r = RawHttp.exchange(
                    s.port(), RawHttp.request("GET", "/status", null, "Host: rebind.evil.example:" + s.port()));
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.json().path("error").path("code").asText()).isEqualTo("host_not_allowed");
            assertThat(r.body()).doesNotContain("RTX 4090");
        }
    }

    @Test
    void aBodyTheMonitorReadsBackIsTheSameReading() throws Exception {
        GpuStatusJson.Status back =
                GpuStatusJson.parse(GpuStatusJson.write(SNAP).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(back).isEqualTo(SNAP);
    }
}
