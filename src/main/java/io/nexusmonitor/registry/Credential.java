package io.nexusmonitor.registry;

import org.jspecify.annotations.Nullable;

/**
 * The key a backend needs ({@code vllm --api-key}, {@code llama-server --api-key}, LM Studio,
 * hosted OpenAI-compatible servers), sent as {@code Authorization: Bearer <key>}. Never printed:
 * {@link #toString()} is redacted, and JSON, logs, SSE and {@code /metrics} show only
 * {@code "api_key": "set"}.
 *
 * <p>With {@code forwardClientAuth}, a proxied request that carries the client's own
 * {@code Authorization} sends that one instead of the key (a request without one still gets the
 * key); probes always use the key. A credential may then have no key at all.
 *
 * @param key               the secret itself; null only when {@code forwardClientAuth} is set
 * @param env               the environment variable it was read from, or null when given directly
 * @param forwardClientAuth true: the client's own {@code Authorization} goes to this backend instead
 */
public record Credential(@Nullable String key, @Nullable String env, boolean forwardClientAuth) {
    /** Longest key accepted (a header line must stay small). */
    public static final int MAX_KEY_LENGTH = 4096;

    public Credential {
        if (key == null && !forwardClientAuth) {
            throw new NullPointerException("key");
        }
        if (key != null) {
            String why = problem(key);
            if (why != null) {
                throw new IllegalArgumentException(why);
            }
        }
    }

    /** A key sent to this backend as {@code Authorization: Bearer <key>}. */
    public static Credential of(String key) {
        return new Credential(key, null, false);
    }

    /**
     * What is wrong with a key as a header value, or null when it is usable: empty, too long, or
     * holding a character that cannot go into a header (control characters, line breaks, non-ASCII).
     * The sentence never repeats the key.
     */
    public static @Nullable String problem(String key) {
        if (key.isBlank()) {
            return "the API key is empty";
        }
        if (key.length() > MAX_KEY_LENGTH) {
            return "the API key is " + key.length() + " characters long; at most " + MAX_KEY_LENGTH + " are accepted";
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return "the API key holds a character that cannot be sent in a header (a space, line break, control "
                        + "or non-ASCII character, at position " + (i + 1) + ")";
            }
        }
        return null;
    }

    /** The {@code Authorization} value for this key, null when there is none. */
    public @Nullable String authorization() {
        return key == null ? null : "Bearer " + key;
    }

    @Override
    public String toString() {
        return "Credential[key=(redacted)" + (env == null ? "" : ", env=" + env) + ", forwardClientAuth="
                + forwardClientAuth + "]";
    }
}
