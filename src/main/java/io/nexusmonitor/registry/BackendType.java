package io.nexusmonitor.registry;

import java.util.Locale;
import java.util.Optional;

/** The kind of server behind a backend; decides its health probe and its default API path. */
public enum BackendType {
    OLLAMA,
    VLLM,
    LLAMACPP,
    EXO,
    LMSTUDIO,
    OPENAI,
    GENERIC;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code ollama}, {@code llama.cpp}, {@code llama-cpp}, {@code LM Studio}, ... leniently. */
    public static Optional<BackendType> parse(String s) {
        if (s == null) {
            return Optional.empty();
        }
        String k = s.trim().toLowerCase(Locale.ROOT).replaceAll("[\\s._-]", "");
        for (BackendType t : values()) {
            if (t.wire().equals(k)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Words accepted by {@link #parse}, for error messages. */
    public static String choices() {
        return "ollama | vllm | llamacpp | exo | lmstudio | openai | generic";
    }
}
