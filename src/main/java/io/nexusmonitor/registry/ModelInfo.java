package io.nexusmonitor.registry;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One model a backend serves.
 *
 * @param id            the model id clients send ({@code llama3:8b})
 * @param contextLength context window in tokens, or null when the server does not say
 * @param loaded        true when the model is in memory (Ollama {@code /api/ps}), null when unknown
 * @param capabilities  e.g. {@code completion}, {@code embedding}, {@code vision}; empty when unknown
 * @param sizeBytes     the model's size in bytes (Ollama {@code /api/tags} {@code size}, or {@code /api/ps}
 *                      {@code size_vram} once loaded); null when the server does not say
 */
public record ModelInfo(
        String id,
        @Nullable Integer contextLength,
        @Nullable Boolean loaded,
        List<String> capabilities,
        @Nullable Long sizeBytes) {
    public ModelInfo {
        Objects.requireNonNull(id, "id");
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        if (sizeBytes != null && sizeBytes < 0) {
            sizeBytes = null;
        }
    }

    /** Without a known size. */
    public ModelInfo(String id, @Nullable Integer contextLength, @Nullable Boolean loaded, List<String> capabilities) {
        this(id, contextLength, loaded, capabilities, null);
    }

    /** The same model, loaded or not. */
    public ModelInfo withLoaded(@Nullable Boolean v) {
        return new ModelInfo(id, contextLength, v, capabilities, sizeBytes);
    }

    public static ModelInfo of(String id) {
        return new ModelInfo(id, null, null, List.of());
    }
}
