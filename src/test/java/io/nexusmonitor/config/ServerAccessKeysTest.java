package io.nexusmonitor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code [server] allowed_hosts / allowed_origins}: bad entries are errors with their index; good ones normalised. */
class ServerAccessKeysTest {

    @ParameterizedTest
    @ValueSource(strings = {"http://nexus.lan", "nexus.lan/x", "nexus lan", "nexus.lan:99999", "[::1", ""})
    void aBadAllowedHostIsAnErrorNamingTheEntry(String entry) {
        assertThatThrownBy(() -> ConfigLoader.parse("[server]\nallowed_hosts = [\"" + entry + "\"]\n", null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.allowed_hosts[0]")
                .hasMessageContaining("Host header");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost:3000", "ftp://x", "http://x/path", "null", "http://user@x"})
    void aBadAllowedOriginIsAnErrorNamingTheEntry(String entry) {
        assertThatThrownBy(() -> ConfigLoader.parse("[server]\nallowed_origins = [\"" + entry + "\"]\n", null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.allowed_origins[0]")
                .hasMessageContaining("scheme://host");
    }

    @ParameterizedTest
    @CsvSource({
        "http://LOCALHOST:80, http://localhost",
        "https://ui.lan:443, https://ui.lan",
        "http://[::1]:3000, http://[::1]:3000",
        "https://ui.lan:80, https://ui.lan:80"
    })
    void originsAreComparedInOneNormalForm(String written, String normal) {
        assertThat(HostNames.origin(written)).hasValue(normal);
    }
}
