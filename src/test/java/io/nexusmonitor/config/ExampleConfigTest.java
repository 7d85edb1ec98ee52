package io.nexusmonitor.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

/** nexus.example.toml (repo root) stays loadable and documents every key the loader reads. */
class ExampleConfigTest {
    private static final Path EXAMPLE = Path.of("nexus.example.toml");
    /** {@code # api_token = "change-me"}: a key shown commented out, as a suggestion. */
    private static final Pattern COMMENTED_KEY =
            Pattern.compile("(?m)^# ?((\"[^\"]+\"|[A-Za-z0-9_-]+) *= *([\"\\[{0-9-]|true|false).*)$");

    @Test
    void loadsWithoutErrorsOrWarnings() throws Exception {
        LoadedConfig lc = ConfigLoader.load(EXAMPLE);
        assertThat(lc.warnings()).isEmpty();
        assertThat(lc.config().backends()).singleElement().satisfies(b -> {
            assertThat(b.name()).isEqualTo("local-ollama");
            assertThat(b.location()).isEqualTo("nexus.example.toml:" + lineOf("[[backends]]"));
        });
    }

    @Test
    void commentedOutSuggestionsAreValidToo() throws Exception {
        // the example's api_key_env names a variable this machine need not have
        LoadedConfig lc = ConfigLoader.parse(uncommented(), EXAMPLE, name -> "test-key");
        assertThat(lc.warnings()).isEmpty();
        assertThat(lc.config().server().apiToken()).isNotNull();
        assertThat(lc.config().routing().aliases()).isNotEmpty();
        assertThat(lc.config().routing().fallbacks()).isNotEmpty();
    }

    @Test
    void documentsEveryKeyTheLoaderReads() throws Exception {
        Set<String> documented = new TreeSet<>();
        collect(Toml.parse(uncommented()), "", documented);
        assertThat(documented).containsAll(ConfigLoader.knownKeys());
    }

    @Test
    void theShippedExampleIsTheRootFile() throws IOException {
        assertThat(ExampleConfig.text()).isEqualTo(Files.readString(EXAMPLE));
    }

    private static String uncommented() throws IOException {
        // a commented-out [[backends]] header starts a suggested second entry
        String text = Files.readString(EXAMPLE).replaceAll("(?m)^# ?(\\[\\[backends]])$", "$1");
        text = text.replaceAll("(?m)^# ?(\\[federation])$", "$1"); // the whole section is commented out
        return COMMENTED_KEY.matcher(text).replaceAll("$1");
    }

    private static int lineOf(String text) throws IOException {
        return Files.readAllLines(EXAMPLE).indexOf(text) + 1;
    }

    /** Every key path of the document, array indexes erased: {@code backends[].url}. */
    private static void collect(TomlTable table, String prefix, Set<String> out) {
        for (Map.Entry<String, Object> e : table.entrySet()) {
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            out.add(path);
            if (e.getValue() instanceof TomlTable t) {
                collect(t, path, out);
            } else if (e.getValue() instanceof TomlArray a) {
                for (int i = 0; i < a.size(); i++) {
                    if (a.get(i) instanceof TomlTable t) {
                        collect(t, path + "[]", out);
                    }
                }
            }
        }
    }
}
