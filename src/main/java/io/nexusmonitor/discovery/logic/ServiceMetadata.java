package io.nexusmonitor.discovery.logic;

import io.nexusmonitor.registry.BackendType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an announcement says about its server, from TXT and the service type.
 *
 * @param apiPath    {@code ""} or a path such as {@code /v1}: no trailing slash
 * @param version    the server's version, null when not announced
 * @param modelHints model ids from TXT {@code models}, before the first health check knows better
 * @param txt        every TXT key and value, the four above included
 */
public record ServiceMetadata(BackendType type, String apiPath, String version, List<String> modelHints,
                              Map<String, String> txt) {
    public ServiceMetadata {
        modelHints = List.copyOf(modelHints);
        txt = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(txt));
    }
}
