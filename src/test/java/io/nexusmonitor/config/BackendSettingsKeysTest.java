package io.nexusmonitor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nexusmonitor.registry.BackendSettings.CapacitySource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code [[backends]]} max_concurrent, weight, api_key, api_key_env and forward_client_auth (issue 12 items 2 and 6). */
class BackendSettingsKeysTest {
    private static final Map<String, String> ENV = Map.of("GPU_KEY", "sk-from-env", "EMPTY_KEY", "  ");

    private static NexusConfig.StaticBackend one(String keys) throws ConfigException {
        return ConfigLoader.parse(
                        "[[backends]]\nurl = \"http://127.0.0.1:8000\"\n" + keys + "\n", ConfigFixtures.FILE, ENV::get)
                .config()
                .backends()
                .get(0);
    }

    private static List<String> problems(String keys) {
        try {
            one(keys);
        } catch (ConfigException e) {
            return e.problems().stream().map(Object::toString).toList();
        }
        throw new AssertionError("no problem reported for " + keys);
    }

    @Test
    void defaultsAreNoCapacityWeightOneAndNoKey() throws Exception {
        NexusConfig.StaticBackend b = one("");
        assertThat(b.maxConcurrent()).isNull();
        assertThat(b.weight()).isEqualTo(1);
        assertThat(b.settings().credential()).isNull();
    }

    @Test
    void maxConcurrentIsACapacityFromTheConfigAndWeightIsKept() throws Exception {
        NexusConfig.StaticBackend b = one("max_concurrent = 4\nweight = 3");
        assertThat(b.maxConcurrent()).isEqualTo(4);
        assertThat(b.settings().capacitySource()).isEqualTo(CapacitySource.CONFIG);
        assertThat(b.weight()).isEqualTo(3);
    }

    @Test
    void aKeyFromTheFileOrTheEnvironmentIsKeptAndNeverPrinted() throws Exception {
        NexusConfig.StaticBackend direct = one("api_key = \"sk-direct\"");
        assertThat(direct.settings().credential().key()).isEqualTo("sk-direct");
        assertThat(direct.settings().credential().forwardClientAuth()).isFalse();
        NexusConfig.StaticBackend fromEnv = one("api_key_env = \"GPU_KEY\"\nforward_client_auth = true");
        assertThat(fromEnv.settings().credential().key()).isEqualTo("sk-from-env");
        assertThat(fromEnv.settings().credential().env()).isEqualTo("GPU_KEY");
        assertThat(fromEnv.settings().credential().forwardClientAuth()).isTrue();
        assertThat(fromEnv.toString()).doesNotContain("sk-from-env");
        assertThat(direct.toString()).doesNotContain("sk-direct");
    }

    @Test
    void forwardClientAuthAloneNeedsNoKey() throws Exception {
        NexusConfig.StaticBackend b = one("forward_client_auth = true");
        assertThat(b.settings().forwardsClientAuth()).isTrue();
        assertThat(b.settings().hasKey()).isFalse();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(
            delimiter = ';',
            value = {
                "max_concurrent = 0; nexus.toml:3:1: backends[0].max_concurrent: expected an integer from 1 to 100000, found 0",
                "max_concurrent = \"4\"; nexus.toml:3:1: backends[0].max_concurrent: expected an integer from 1 to 100000, found a string (\"4\")",
                "weight = 0; nexus.toml:3:1: backends[0].weight: expected an integer from 1 to 1000000, found 0",
                "api_key_env = \"NOT_SET_ANYWHERE\"; nexus.toml:3:1: backends[0].api_key_env: the environment variable NOT_SET_ANYWHERE is not set (set it where nexus-monitor runs, or use api_key)",
                "api_key_env = \"EMPTY_KEY\"; nexus.toml:3:1: backends[0].api_key_env: the environment variable EMPTY_KEY is empty (set it where nexus-monitor runs, or use api_key)",
                "api_key_env = \"1-bad\"; nexus.toml:3:1: backends[0].api_key_env: expected the name of an environment variable (letters, digits, _), found \"1-bad\"",
                "api_key = \"sk-a\"|api_key_env = \"GPU_KEY\"; nexus.toml:4:1: backends[0].api_key_env: set either api_key or api_key_env, not both",
                "api_key = \"\"; nexus.toml:3:1: backends[0].api_key: the API key is empty",
                "forward_client_auth = 1; nexus.toml:3:1: backends[0].forward_client_auth: expected true or false, found an integer (1)",
            })
    void badValuesAreErrorsWithKeyPathAndLine(String keys, String expected) {
        assertThat(problems(keys.replace('|', '\n'))).containsExactly(expected);
    }

    @Test
    void aKeyOfTheWrongTypeOrWithALineBreakIsRefusedWithoutRepeatingIt() {
        assertThat(problems("api_key = 123456789"))
                .containsExactly("nexus.toml:3:1: backends[0].api_key: expected a string (the key, in quotes)");
        List<String> p = problems("api_key = \"sk-se\\ncret\"");
        assertThat(p)
                .singleElement()
                .asString()
                .contains("cannot be sent in a header")
                .doesNotContain("sk-se");
    }

    @Test
    void theNewKeysAreKnown() {
        assertThat(ConfigLoader.knownKeys())
                .contains(
                        "backends[].max_concurrent",
                        "backends[].weight",
                        "backends[].api_key",
                        "backends[].api_key_env",
                        "backends[].forward_client_auth");
    }

    @Test
    void aMissingVariableFailsTheWholeFile() {
        assertThatThrownBy(() -> one("api_key_env = \"NOT_SET_ANYWHERE\"")).isInstanceOf(ConfigException.class);
    }
}
