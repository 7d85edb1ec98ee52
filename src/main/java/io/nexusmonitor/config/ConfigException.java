package io.nexusmonitor.config;

import java.util.List;

/** A config file that cannot be used, with every problem found in it. */
public final class ConfigException extends Exception {
    private final List<ConfigProblem> problems;
    private final List<ConfigProblem> warnings;

    public ConfigException(List<ConfigProblem> problems) {
        this(problems, List.of());
    }

    /** @param warnings what would only have been warned about (unknown keys), shown alongside */
    public ConfigException(List<ConfigProblem> problems, List<ConfigProblem> warnings) {
        super(problems.size() + " problem(s) in config: " + problems);
        this.problems = List.copyOf(problems);
        this.warnings = List.copyOf(warnings);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    public List<ConfigProblem> warnings() {
        return warnings;
    }
}
