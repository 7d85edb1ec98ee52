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
 */
public record ModelInfo(
        String id,
        @Nullable Integer contextLength,
        @Nullable Boolean loaded,
        List<String> capabilities) {
    public ModelInfo {
        Objects.requireNonNull(id, "id");
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
    }

    public static ModelInfo of(String id) {
        return new ModelInfo(id, null, null, List.of());
    }
}
