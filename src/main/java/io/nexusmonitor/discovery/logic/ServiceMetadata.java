package io.nexusmonitor.discovery.logic;

import io.nexusmonitor.registry.BackendType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What an announcement says about its server, from TXT and the service type.
 *
 * @param apiPath    {@code ""} or a path such as {@code /v1}: no trailing slash
 * @param version    the server's version, null when not announced
 * @param modelHints model ids from TXT {@code models}, before the first health check knows better
 * @param txt        every TXT key and value, the ones above included
 * @param maxConcurrent TXT {@code max_concurrent}: the server's parallel slots, null when not announced or unusable
 */
public record ServiceMetadata(
        BackendType type,
        String apiPath,
        @Nullable String version,
        List<String> modelHints,
        Map<String, String> txt,
        @Nullable Integer maxConcurrent) {
    public ServiceMetadata {
        modelHints = List.copyOf(modelHints);
        txt = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(txt));
    }

    /** Without {@code max_concurrent}. */
    public ServiceMetadata(
            BackendType type,
            String apiPath,
            @Nullable String version,
            List<String> modelHints,
            Map<String, String> txt) {
        this(type, apiPath, version, modelHints, txt, null);
    }
}
