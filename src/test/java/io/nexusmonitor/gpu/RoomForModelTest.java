package io.nexusmonitor.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.health.logic.ModelListParser;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.MdnsInfo;
import io.nexusmonitor.registry.ModelInfo;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which box has the free VRAM for a model of a known size. */
class RoomForModelTest {
    private static final long GIB = 1024L * 1024 * 1024;

    private static Backend box(String name, Long totalMb, Long usedMb, ModelInfo... models) {
        Map<String, String> txt = new LinkedHashMap<>();
        txt.put("gpu", "RTX 4090");
        if (totalMb != null) {
            txt.put("vram_mb", Long.toString(totalMb));
        }
        if (usedMb != null) {
            txt.put("vram_used_mb", Long.toString(usedMb));
        }
        return Backend.create(
                        name,
                        name,
                        "http://198.18.0." + (name.length() + 10) + ":11434",
                        BackendType.OLLAMA,
                        BackendSource.MDNS,
                        50,
                        Instant.EPOCH)
                .withMdns(new MdnsInfo(name + "._ollama._tcp.local.", null, null, List.of(), txt, null, null))
                .withModels(List.of(models));
    }

    private static ModelInfo model(String id, Long size, Boolean loaded) {
        return new ModelInfo(id, null, loaded, List.of(), size);
    }

    @Test
    void listsTheBoxesWithEnoughFreeVramMostFreeFirst() {
        List<Backend> boxes = List.of(
                box("small", 8192L, 4096L), // 4 GiB free
                box("big", 24576L, 4096L), // 20 GiB free
                box("mid", 16384L, 6144L, model("llama3:70b", 40 * GIB, false), model("qwen2:7b", 5 * GIB, false)));
        assertThat(RoomForModel.sizeOf("qwen2:7b", boxes)).isEqualTo(5 * GIB);
        assertThat(RoomForModel.fits("qwen2:7b", 5 * GIB, boxes))
                .containsExactly(new RoomForModel.Fit("big", 20480), new RoomForModel.Fit("mid", 10240));
        assertThat(RoomForModel.describe("qwen2:7b", boxes))
                .isEqualTo("big (20.0 GiB free), mid (10.0 GiB free) · needs 5.0 GiB");
        assertThat(RoomForModel.describe("llama3:70b", boxes)).isEqualTo("none (needs 40.0 GiB)");
    }

    @Test
    void aModelOfUnknownSizeOrABoxOfUnknownVramClaimsNothing() {
        List<Backend> boxes = List.of(box("nosize", 24576L, null), box("m", 24576L, 0L, model("x", null, false)));
        assertThat(RoomForModel.describe("x", boxes)).isEqualTo("—");
        assertThat(RoomForModel.fits("x", GIB, boxes))
                .extracting(RoomForModel.Fit::backend)
                .containsExactly("m");
        assertThat(RoomForModel.freeMb(boxes.get(0))).isNull();
    }

    @Test
    void aBoxWhereItIsLoadedAlreadyIsNotListedAndTheLargestReportedSizeCounts() {
        List<Backend> boxes = List.of(
                box("a", 24576L, 20000L, model("m", 3 * GIB, true)), box("b", 24576L, 0L, model("m", 4 * GIB, false)));
        assertThat(RoomForModel.sizeOf("m", boxes)).isEqualTo(4 * GIB);
        assertThat(RoomForModel.fits("m", 4 * GIB, boxes))
                .extracting(RoomForModel.Fit::backend)
                .containsExactly("b");
    }

    @Test
    void ollamaTagsGiveTheSizeAndApiPsKeepsIt() throws Exception {
        String tags = """
                {"models":[{"name":"llama3:8b","size":4661224676},{"name":"odd","size":"big"},{"name":"neg","size":-1}]}""";
        var parsed = ModelListParser.ollamaTags(tags.getBytes(StandardCharsets.UTF_8), 100);
        assertThat(parsed.models()).extracting(ModelInfo::sizeBytes).containsExactly(4661224676L, null, null);
        var marked = ModelListParser.markLoaded(parsed.models(), Map.of("llama3:8b", 8192));
        assertThat(marked.get(0).sizeBytes()).isEqualTo(4661224676L);
        assertThat(marked.get(0).loaded()).isTrue();
    }
}
