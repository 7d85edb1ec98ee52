package io.nexusmonitor.config;

import static io.nexusmonitor.config.ConfigFixtures.load;
import static io.nexusmonitor.config.ConfigFixtures.onlyProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FederationConfigTest {
    private static final String HEAD = "[federation]\netcd_endpoints = [\"http://127.0.0.1:2379\"]\n";

    @Test
    void withoutTheSectionNothingIsShared() {
        assertThat(load("").config().federation()).isNull();
    }

    @Test
    void defaultsAreThoseOfTheReadme() {
        NexusConfig.Federation f = load(HEAD).config().federation();
        assertThat(f).isNotNull();
        assertThat(f.prefix()).isEqualTo("/nexus-monitor/");
        assertThat(f.site()).isEqualTo(FederationReader.defaultSite()).matches("[A-Za-z0-9][A-Za-z0-9._-]*");
        assertThat(f.publish() && f.importRemote() && f.routeRemote() && f.checkRemote())
                .isTrue();
        assertThat(f.username()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            [federation]                                                | federation.etcd_endpoints | 1 | 1 | expected the etcd endpoints
            [federation]\\netcd_endpoints = []                          | federation.etcd_endpoints | 2 | 1 | expected at least one endpoint
            [federation]\\netcd_endpoints = ["ftp://x:1"]               | federation.etcd_endpoints[0] | 2 | 19 | expected an etcd client endpoint
            [federation]\\netcd_endpoints = ["http://x:2379/v3"]        | federation.etcd_endpoints[0] | 2 | 19 | found "http://x:2379/v3"
            [federation]\\netcd_endpoints = ["x:1"]\\nsite = "a/b"      | federation.site | 3 | 1 | no '/'
            [federation]\\netcd_endpoints = ["x:1"]\\nprefix = "nexus"  | federation.prefix | 3 | 1 | starts and ends with '/'
            [federation]\\netcd_endpoints = ["x:1"]\\nusername = "u"    | federation.username | 3 | 1 | needs password_env
            [federation]\\netcd_endpoints = ["x:1"]\\ncert_file = "/c"  | federation.cert_file | 3 | 1 | set cert_file and key_file together
            [federation]\\netcd_endpoints = ["x:1"]\\npublish = "yes"   | federation.publish | 3 | 1 | expected true or false
            """)
    void refusesWithKeyAndPosition(String toml, String key, int line, int column, String message) {
        ConfigProblem p = onlyProblem(toml.replace("\\n", "\n"));
        assertThat(p.keyPath()).isEqualTo(key);
        assertThat(p.line()).isEqualTo(line);
        assertThat(p.column()).isEqualTo(column);
        assertThat(p.message()).contains(message);
    }

    @Test
    void aPasswordComesFromTheEnvironmentAndANameThatIsNotSetIsAnError() throws Exception {
        String toml = HEAD + "username = \"nexus\"\npassword_env = \"ETCD_PW\"\n";
        NexusConfig.Federation f = ConfigLoader.parse(toml, ConfigFixtures.FILE, Map.of("ETCD_PW", "s3cret")::get)
                .config()
                .federation();
        assertThat(f.password()).isEqualTo("s3cret");
        assertThat(f.toString()).doesNotContain("s3cret");
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                ConfigException.class, () -> ConfigLoader.parse(toml, ConfigFixtures.FILE, name -> null));
        assertThat(e.problems().get(0).keyPath()).isEqualTo("federation.password_env");
        assertThat(e.problems().get(0).message()).contains("ETCD_PW is not set");
    }
}
