package io.nexusmonitor.gpu;

import io.nexusmonitor.registry.GpuReading;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads the amdgpu driver's {@code /sys/class/drm/cardN/device/mem_info_vram_total} and
 * {@code mem_info_vram_used} (bytes, one number each) when neither tool is installed. A card without
 * {@code mem_info_vram_total} (an Intel iGPU, a connector like {@code card0-DP-1}) is skipped. The
 * name is {@code device/product_name} when the driver offers it, else {@code cardN}.
 */
public final class SysfsVram {
    public static final Path DRM = Path.of("/sys/class/drm");
    private static final Pattern CARD = Pattern.compile("card(\\d{1,4})");
    /** sysfs values are a line of digits. */
    private static final int MAX_FILE = 256;

    private SysfsVram() {}

    /** The cards under {@code drm} (normally {@link #DRM}) ordered by number; empty when there are none. */
    public static List<GpuReading> read(Path drm) {
        List<GpuReading> out = new ArrayList<>();
        if (!Files.isDirectory(drm)) {
            return out;
        }
        try (DirectoryStream<Path> cards = Files.newDirectoryStream(drm, "card*")) {
            for (Path card : cards) {
                Matcher m = CARD.matcher(card.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                Path dev = card.resolve("device");
                Long total = GpuFields.number(small(dev.resolve("mem_info_vram_total")));
                if (total == null) {
                    continue;
                }
                String product = small(dev.resolve("product_name"));
                String name = product == null || product.isBlank() ? "card" + m.group(1) : product;
                out.add(new GpuReading(
                        Integer.parseInt(m.group(1)),
                        name,
                        GpuFields.bytesToMib(total),
                        GpuFields.bytesToMib(GpuFields.number(small(dev.resolve("mem_info_vram_used")))),
                        GpuFields.percentOrDegrees(small(dev.resolve("gpu_busy_percent"))),
                        null));
            }
        } catch (IOException e) {
            return out;
        }
        out.sort((a, b) -> Integer.compare(a.index(), b.index()));
        return out;
    }

    private static @Nullable String small(Path p) {
        try {
            if (!Files.isRegularFile(p)) {
                return null;
            }
            // sysfs reports every attribute as 4096 bytes long: read at most MAX_FILE, whatever it says
            try (InputStream in = Files.newInputStream(p)) {
                return new String(in.readNBytes(MAX_FILE), StandardCharsets.US_ASCII).strip();
            }
        } catch (IOException e) {
            return null;
        }
    }
}
