package io.nexusmonitor.app;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How the engine runs, beyond the config file: what the command line switched on or off.
 *
 * @param stateDir where pins and window state live
 * @param api      false with {@code --no-api}
 */
public record EngineOptions(Path stateDir, boolean api) {
    public EngineOptions {
        Objects.requireNonNull(stateDir, "stateDir");
    }
}
