package io.nexusmonitor.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

/** Loads TOML text as if from {@code nexus.toml}, for the config tests. */
final class ConfigFixtures {
    static final Path FILE = Path.of("nexus.toml");

    private ConfigFixtures() {}

    static LoadedConfig load(String toml) {
        try {
            return ConfigLoader.parse(toml, FILE);
        } catch (ConfigException e) {
            throw new AssertionError("expected no problems, got " + e.problems(), e);
        }
    }

    static List<ConfigProblem> problems(String toml) {
        Throwable[] caught = new Throwable[1];
        assertThatThrownBy(() -> ConfigLoader.parse(toml, FILE))
                .isInstanceOfSatisfying(ConfigException.class, e -> caught[0] = e);
        return ((ConfigException) caught[0]).problems();
    }

    /** The only problem of a file that should have exactly one. */
    static ConfigProblem onlyProblem(String toml) {
        List<ConfigProblem> ps = problems(toml);
        if (ps.size() != 1) {
            throw new AssertionError("expected exactly one problem, got " + ps);
        }
        return ps.get(0);
    }
}
