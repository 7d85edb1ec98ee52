package io.nexusmonitor.config;

import java.util.List;

/** A usable config and the warnings (unknown keys, ...) found while reading it. */
public record LoadedConfig(NexusConfig config, List<ConfigProblem> warnings) {
    public LoadedConfig {
        warnings = List.copyOf(warnings);
    }
}
