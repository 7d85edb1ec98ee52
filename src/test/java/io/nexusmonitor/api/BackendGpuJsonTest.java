package io.nexusmonitor.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.MdnsInfo;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A GPU host's announced TXT summary in {@code GET /api/backends} ({@code gpus}) and {@code /metrics}. */
class BackendGpuJsonTest {
    @TempDir
    Path state;

    @Test
    void announcedGpusAreServedAsJsonAndMetrics() throws Exception {
        try (TestGateway gw = new TestGateway(state)) {
            Backend gpu = gw.healthy("gpu-box", "http://127.0.0.1:11434", 50, "llama3:8b");
            gw.healthy("plain", "http://127.0.0.1:11435", 50, "llama3:8b");
            gw.registry()
                    .update(
                            gpu.id(),
                            "test",
                            x -> x.withMdns(new MdnsInfo(
                                    "gpu-box._ollama._tcp.local.",
                                    "_ollama._tcp.local.",
                                    "gpu-box.local.",
                                    List.of("127.0.0.1"),
                                    Map.of("gpu", "RTX 4090", "gpus", "1", "vram_mb", "24564", "vram_used_mb", "6144"),
                                    Instant.now(),
                                    Instant.now())));

            JsonNode list = Http.json(Http.get(gw.base + "/api/backends")).path("backends");
            JsonNode box = null;
            JsonNode plain = null;
            for (JsonNode b : list) {
                if (b.path("name").asText().equals("gpu-box")) {
                    box = b;
                } else {
                    plain = b;
                }
            }
            assertThat(box).isNotNull();
            assertThat(box.path("gpus").path("name").asText()).isEqualTo("RTX 4090");
            assertThat(box.path("gpus").path("count").asInt()).isEqualTo(1);
            assertThat(box.path("gpus").path("vram_mb").asLong()).isEqualTo(24564);
            assertThat(box.path("gpus").path("vram_used_mb").asLong()).isEqualTo(6144);
            assertThat(plain).isNotNull();
            assertThat(plain.has("gpus")).isTrue();
            assertThat(plain.path("gpus").isNull()).isTrue();

            HttpResponse<String> m = Http.get(gw.base + "/metrics");
            assertThat(m.body())
                    .contains("nexus_gpu_vram_used_bytes{backend=\"gpu-box\"} 6.442450944E9")
                    .contains("nexus_gpu_vram_bytes{backend=\"gpu-box\"}")
                    .doesNotContain("nexus_gpu_vram_bytes{backend=\"plain\"}");
        }
    }
}
