package io.nexusmonitor.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nexusmonitor.registry.GpuReading;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code announce} publishes about GPUs: the TXT summary both ways, the tools run safely, the status endpoint. */
class GpuAnnounceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void summarisesSeveralGpusIntoTxtAndReadsItBack() {
        GpuSummary s = GpuSummary.of(List.of(
                new GpuReading(0, "RTX 4090", 24564L, 18432L, 97, 71),
                new GpuReading(1, "RTX 3090", 24576L, null, 0, 38)));
        assertThat(s).isNotNull();
        assertThat(s.toTxt())
                .containsExactly(
                        Map.entry("gpu", "RTX 4090 +1"),
                        Map.entry("gpus", "2"),
                        Map.entry("vram_mb", "49140"),
                        Map.entry("vram_used_mb", "18432"));
        assertThat(GpuSummary.fromTxt(s.toTxt())).isEqualTo(s);
        assertThat(GpuSummary.of(List.of())).isNull();
    }

    @Test
    void txtStringsStayWithin255Bytes() {
        String long_ = "Ü".repeat(300);
        String v = GpuSummary.fit("gpu", long_);
        assertThat(("gpu=" + v).getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
        assertThat(v).isNotEmpty();
    }

    @Test
    void hostileOrMissingTxtValuesAreIgnored() {
        assertThat(GpuSummary.fromTxt(Map.of("vram_mb", "24564"))).isNull();
        GpuSummary s = GpuSummary.fromTxt(
                Map.of("gpu", "X\u0007Y", "gpus", "-3", "vram_mb", "99999999999999", "vram_used_mb", "12abc"));
        assertThat(s).isEqualTo(new GpuSummary("XY", 1, null, null));
        assertThat(new GpuSummary("a", 1, 100L, 25L).usedFraction()).isEqualTo(0.25);
        assertThat(new GpuSummary("a", 1, 0L, 25L).usedFraction()).isNull();
    }

    @Test
    void missingToolsReportNothing() {
        GpuProbe p = new GpuProbe(
                2000,
                List.of(dir.resolve("no-nvidia-smi").toString()),
                List.of(dir.resolve("no-rocm-smi").toString()),
                dir.resolve("no-drm"));
        assertThat(p.read()).isEmpty();
    }

    @Test
    void readsARecordedToolOutputAndStopsAToolThatHangs() throws IOException {
        Path csv = dir.resolve("out.csv");
        Files.writeString(csv, GpuParsersTest.resource("nvidia-smi-two-gpus.csv"));
        Path json = dir.resolve("out.json");
        Files.writeString(json, GpuParsersTest.resource("rocm-smi-two-gpus.json"));
        GpuProbe both = new GpuProbe(
                5000, List.of("cat", csv.toString()), List.of("cat", json.toString()), dir.resolve("no-drm"));
        assertThat(both.read())
                .extracting(GpuReading::name)
                .containsExactly(
                        "NVIDIA GeForce RTX 4090",
                        "NVIDIA GeForce RTX 3090",
                        "Radeon RX 7900 XTX",
                        "Navi 21 [Radeon RX 6800/6800 XT / 6900 XT]");

        GpuProbe hanging = new GpuProbe(300, List.of("sleep", "30"), List.of("false"), dir.resolve("no-drm"));
        long start = System.nanoTime();
        assertThat(hanging.read()).isEmpty();
        assertThat((System.nanoTime() - start) / 1_000_000)
                .as("stopped, not waited for")
                .isLessThan(20_000);
    }
}
