package io.nexusmonitor.gpu;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nexusmonitor.registry.GpuReading;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code rocm-smi --showmeminfo vram --showuse --showtemp --showproductname --json}: an object
 * with one member per GPU ({@code "card0": {...}}) whose values are all strings, e.g.
 * {@code "VRAM Total Memory (B)"}, {@code "VRAM Total Used Memory (B)"}, {@code "GPU use (%)"},
 * {@code "Temperature (Sensor edge) (C)"}, {@code "Card series"} (spelled {@code "Card Series"} by
 * newer versions; keys are matched without regard to case). Other members ({@code "system"}) are skipped.
 */
public final class RocmSmiParser {
    public static final List<String> COMMAND =
            List.of("rocm-smi", "--showmeminfo", "vram", "--showuse", "--showtemp", "--showproductname", "--json");

    private static final ObjectMapper JSON = new ObjectMapper();

    private RocmSmiParser() {}

    /** The GPUs, empty when the output is not rocm-smi's JSON. */
    public static List<GpuReading> parse(String output) {
        JsonNode root;
        try {
            root = JSON.readTree(output);
        } catch (JsonProcessingException e) {
            return List.of();
        }
        List<GpuReading> out = new ArrayList<>();
        if (root == null || !root.isObject()) {
            return out;
        }
        for (Map.Entry<String, JsonNode> card : root.properties()) {
            String key = card.getKey().toLowerCase(Locale.ROOT);
            if (!key.startsWith("card") || !card.getValue().isObject()) {
                continue;
            }
            Long index = GpuFields.number(key.substring(4));
            if (index == null || index > Integer.MAX_VALUE) {
                continue;
            }
            JsonNode c = card.getValue();
            String name = first(c, "card series", "card model", "card sku");
            out.add(new GpuReading(
                    index.intValue(),
                    name == null ? card.getKey() : name,
                    GpuFields.bytesToMib(GpuFields.number(first(c, "vram total memory (b)"))),
                    GpuFields.bytesToMib(GpuFields.number(first(c, "vram total used memory (b)"))),
                    GpuFields.percentOrDegrees(first(c, "gpu use (%)")),
                    GpuFields.percentOrDegrees(
                            first(c, "temperature (sensor edge) (c)", "temperature (sensor junction) (c)"))));
        }
        return out;
    }

    /** The first of these keys (lower case) present with a value that is not blank or a placeholder. */
    private static @Nullable String first(JsonNode card, String... keys) {
        for (String want : keys) {
            for (Map.Entry<String, JsonNode> f : card.properties()) {
                if (f.getKey().strip().toLowerCase(Locale.ROOT).equals(want)
                        && f.getValue().isValueNode()
                        && !GpuFields.placeholder(f.getValue().asText())) {
                    return f.getValue().asText();
                }
            }
        }
        return null;
    }
}
