package io.nexusmonitor.registry;

import java.util.Objects;

/**
 * The key a backend needs ({@code vllm --api-key}, {@code llama-server --api-key}, LM Studio,
 * hosted OpenAI-compatible servers), sent as {@code Authorization: Bearer <key>}. Never printed:
 * {@link #toString()} is redacted, and JSON, logs, SSE and {@code /metrics} show only
 * {@code "api_key": "set"}.
 *
 * @param key               the secret itself
 * @param env               the environment variable it was read from, or null when given directly
 * @param forwardClientAuth true: the client's own {@code Authorization} goes to this backend instead
 */
public record Credential(String key, String env, boolean forwardClientAuth) {
    public Credential {
        Objects.requireNonNull(key, "key");
    }

    @Override
    public String toString() {
        return "Credential[key=(redacted)" + (env == null ? "" : ", env=" + env) + ", forwardClientAuth="
                + forwardClientAuth + "]";
    }
}
