package io.nexusmonitor.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.registry.GpuReading;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GpuParsersTest {

    static String resource(String name) throws IOException {
        try (InputStream in = Objects.requireNonNull(GpuParsersTest.class.getResourceAsStream("/gpu/" + name), name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsEveryGpuOfNvidiaSmi() throws IOException {
        List<GpuReading> gpus = NvidiaSmiParser.parse(resource("nvidia-smi-two-gpus.csv"));
        assertThat(gpus)
                .containsExactly(
                        new GpuReading(0, "NVIDIA GeForce RTX 4090", 24564L, 18432L, 97, 71),
                        new GpuReading(1, "NVIDIA GeForce RTX 3090", 24576L, 2L, 0, 38));
    }

    @Test
    void migPlaceholdersAreUnknownNotZero() throws IOException {
        List<GpuReading> gpus = NvidiaSmiParser.parse(resource("nvidia-smi-mig.csv"));
        assertThat(gpus)
                .containsExactly(
                        new GpuReading(0, "NVIDIA A100-SXM4-40GB", 40960L, null, null, 34),
                        new GpuReading(1, "NVIDIA A100-SXM4-40GB", 40960L, 3512L, null, null));
    }

    @Test
    void nvidiaSmiErrorTextIsNoGpu() throws IOException {
        assertThat(NvidiaSmiParser.parse(resource("nvidia-smi-garbage.txt"))).isEmpty();
        assertThat(NvidiaSmiParser.parse("")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "0, Tesla T4, 15360, 0, 0, 30|0|Tesla T4|15360",
                "x, Tesla T4, 15360, 0, 0, 30|-1||",
                "0, Tesla T4, 15360|-1||",
                "3, Tesla, PCIe, 15360, 5, 1, 30|3|Tesla, PCIe|15360"
            })
    void nvidiaSmiLines(String line, int index, String name, Long total) {
        List<GpuReading> gpus = NvidiaSmiParser.parse(line);
        if (index < 0) {
            assertThat(gpus).isEmpty();
        } else {
            assertThat(gpus).singleElement().satisfies(g -> {
                assertThat(g.index()).isEqualTo(index);
                assertThat(g.name()).isEqualTo(name);
                assertThat(g.vramTotalMb()).isEqualTo(total);
            });
        }
    }

    @Test
    void readsEveryCardOfRocmSmiInEitherKeySpelling() throws IOException {
        List<GpuReading> gpus = RocmSmiParser.parse(resource("rocm-smi-two-gpus.json"));
        assertThat(gpus)
                .containsExactly(
                        new GpuReading(0, "Radeon RX 7900 XTX", 24560L, 6049L, 23, 42),
                        new GpuReading(1, "Navi 21 [Radeon RX 6800/6800 XT / 6900 XT]", 16368L, 15L, 0, 61));
    }

    @Test
    void rocmSmiMissingFieldsAreUnknown() throws IOException {
        assertThat(RocmSmiParser.parse(resource("rocm-smi-missing-fields.json")))
                .containsExactly(new GpuReading(0, "0x1586", null, null, null, null));
        assertThat(RocmSmiParser.parse("ERROR: No AMD GPUs")).isEmpty();
        assertThat(RocmSmiParser.parse("[1,2]")).isEmpty();
    }

    @Test
    void readsAmdgpuVramFromSysfsAndSkipsConnectorsAndIgpus(@TempDir Path drm) throws IOException {
        Path c1 = Files.createDirectories(drm.resolve("card1/device"));
        Files.writeString(c1.resolve("mem_info_vram_total"), "25753026560\n");
        Files.writeString(c1.resolve("mem_info_vram_used"), "1073741824\n");
        Files.writeString(c1.resolve("gpu_busy_percent"), "7\n");
        Path c0 = Files.createDirectories(drm.resolve("card0/device"));
        Files.writeString(c0.resolve("mem_info_vram_total"), "8589934592\n");
        Files.writeString(c0.resolve("product_name"), "AMD Radeon RX 6600\n");
        Files.createDirectories(drm.resolve("card0-DP-1"));
        Files.createDirectories(drm.resolve("card2/device")); // an Intel iGPU: no mem_info_vram_*
        assertThat(SysfsVram.read(drm))
                .containsExactly(
                        new GpuReading(0, "AMD Radeon RX 6600", 8192L, null, null, null),
                        new GpuReading(1, "card1", 24560L, 1024L, 7, null));
        assertThat(SysfsVram.read(drm.resolve("absent"))).isEmpty();
    }
}
