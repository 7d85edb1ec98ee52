package io.nexusmonitor.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads a TOML config file into a {@link NexusConfig}; every problem is reported at once. */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    public static LoadedConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem(file.toString(), "", 0, 0, "cannot read file: " + e)));
        }
        return parse(text, file);
    }

    public static LoadedConfig parse(String text, Path file) throws ConfigException {
        throw new ConfigException(List.of(new ConfigProblem(String.valueOf(file), "", 0, 0, "config loading is being built")));
    }
}
