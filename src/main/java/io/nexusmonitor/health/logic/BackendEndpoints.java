package io.nexusmonitor.health.logic;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendType;
import org.jspecify.annotations.Nullable;

/**
 * Where a backend's endpoints live. A backend's URL may or may not already carry its API path
 * ({@code http://gpu:8000} and {@code http://gpu:8000/v1} are both common spellings), so both
 * roots are derived here once: the server root (for {@code /health}, {@code /api/tags}) and the
 * API root (for {@code /models}, {@code /chat/completions}), never doubling {@code /v1}.
 *
 * <p>The health checks and the gateway both take their URLs from here, so a probe and a chat never
 * disagree about where a backend's API is (with {@code api_path=/api} the probe asks
 * {@code /api/models} and a chat goes to {@code /api/chat/completions}).
 *
 * @param serverRoot the URL without the API path, no trailing slash
 * @param apiRoot    the server root plus the API path ({@code /v1} unless mDNS TXT said otherwise)
 * @param openAiRoot where the OpenAI-compatible endpoints are: the API root, except for Ollama, whose
 *                   API path is its native API and whose OpenAI endpoints are under {@code /v1}
 */
public record BackendEndpoints(String serverRoot, String apiRoot, String openAiRoot) {

    /** The TXT key that overrides the default API path (the README's 'Discovery'). */
    public static final String TXT_API_PATH = "api_path";

    public static BackendEndpoints of(Backend backend) {
        String txtPath = backend.mdns() == null ? null : backend.mdns().txt().get(TXT_API_PATH);
        return of(backend.url(), backend.type(), txtPath);
    }

    /**
     * @param apiPath the announced API path, or null for the type's default (empty for Ollama, {@code /v1} otherwise)
     */
    public static BackendEndpoints of(String url, BackendType type, @Nullable String apiPath) {
        String path = normalizePath(apiPath != null ? apiPath : type == BackendType.OLLAMA ? "" : "/v1");
        String base = stripSlashes(url);
        String server = base;
        if (!path.isEmpty() && base.endsWith(path)) {
            server = base.substring(0, base.length() - path.length());
        } else if (base.endsWith("/v1")) {
            // an Ollama or custom-path URL written with /v1: the server root is still above it
            server = base.substring(0, base.length() - 3);
        }
        String openAi = type == BackendType.OLLAMA ? server + "/v1" : server + path;
        return new BackendEndpoints(server, server + path, openAi);
    }

    /**
     * The URL of an OpenAI-compatible endpoint of this backend.
     *
     * @param openAiPath the path as a client sends it to the gateway: {@code /v1/chat/completions}
     */
    public String openAi(String openAiPath) {
        String rest = openAiPath.startsWith("/v1/") ? openAiPath.substring(3) : openAiPath;
        return openAiRoot + rest;
    }

    private static String normalizePath(String p) {
        String s = stripSlashes(p.trim());
        return s.isEmpty() || s.startsWith("/") ? s : "/" + s;
    }

    private static String stripSlashes(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '/') {
            end--;
        }
        return s.substring(0, end);
    }
}
