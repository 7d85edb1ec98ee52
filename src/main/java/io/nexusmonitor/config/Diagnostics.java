package io.nexusmonitor.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.tomlj.TomlPosition;

/**
 * What one read of a config file found: errors, warnings, and every key path the reader asked
 * for. The asked-for paths are the loader's own schema, so the example file can be checked
 * against exactly what the code reads.
 */
final class Diagnostics {
    private final String file;
    private final List<ConfigProblem> errors = new ArrayList<>();
    private final List<ConfigProblem> syntaxErrors = new ArrayList<>();
    private final List<ConfigProblem> warnings = new ArrayList<>();
    private final Set<String> knownKeys = new LinkedHashSet<>();
    private int firstSyntaxErrorLine = Integer.MAX_VALUE;

    Diagnostics(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    void error(String keyPath, @Nullable TomlPosition at, String message) {
        errors.add(problem(keyPath, at, message));
    }

    void warning(String keyPath, @Nullable TomlPosition at, String message) {
        warnings.add(problem(keyPath, at, message));
    }

    /** A TOML syntax error; what the parser salvaged after it is not to be trusted. */
    void syntaxError(@Nullable TomlPosition at, String message) {
        syntaxErrors.add(problem("", at, "TOML syntax: " + message));
        firstSyntaxErrorLine = Math.min(firstSyntaxErrorLine, at == null ? 1 : at.line());
    }

    /**
     * After a syntax error the parser's recovery yields odd values (a missing value read as an
     * array, the next table swallowed), so only what comes before the first syntax error is
     * reported besides the syntax errors themselves; the rest shows up once they are fixed.
     */
    private List<ConfigProblem> beforeFirstSyntaxError(List<ConfigProblem> problems) {
        return problems.stream()
                .filter(p -> p.line() > 0 && p.line() < firstSyntaxErrorLine)
                .toList();
    }

    /** @param schemaPath the path with array indexes erased: {@code backends[].url} */
    void known(String schemaPath) {
        knownKeys.add(schemaPath);
    }

    List<ConfigProblem> errors() {
        if (syntaxErrors.isEmpty()) {
            return errors;
        }
        List<ConfigProblem> out = new ArrayList<>(syntaxErrors);
        out.addAll(beforeFirstSyntaxError(errors));
        return out;
    }

    List<ConfigProblem> warnings() {
        return syntaxErrors.isEmpty() ? warnings : beforeFirstSyntaxError(warnings);
    }

    Set<String> knownKeys() {
        return knownKeys;
    }

    private ConfigProblem problem(String keyPath, @Nullable TomlPosition at, String message) {

        return new ConfigProblem(file, keyPath, at == null ? 0 : at.line(), at == null ? 0 : at.column(), message);
    }
}
