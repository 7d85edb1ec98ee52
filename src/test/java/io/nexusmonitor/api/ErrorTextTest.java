package io.nexusmonitor.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.BackendType;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Error texts over HTTP name the config file, never the user's directories. */
class ErrorTextTest {
    @TempDir
    Path stateDir;

    @Test
    void aRefusalNamingTheConfigFileShowsItsNameAndLineOnly() {
        String location = "/home/someone/.config/nexus-monitor/nexus.toml:12";
        try (TestGateway gw = new TestGateway(
                stateDir,
                TestConfigs.quiet(new NexusConfig.StaticBackend(
                        "from-config", "http://127.0.0.1:11434", BackendType.OLLAMA, 1, location)))) {
            String id = gw.registry()
                    .findByUrl("http://127.0.0.1:11434")
                    .orElseThrow()
                    .id();

            HttpResponse<String> delete = Http.send("DELETE", gw.base + "/api/backends/" + id, null, gw.auth());
            HttpResponse<String> unpin =
                    Http.send("POST", gw.base + "/api/backends/" + id + "/unpin", null, gw.jsonAuth());

            for (HttpResponse<String> r : java.util.List.of(delete, unpin)) {
                assertThat(r.statusCode()).isEqualTo(409);
                assertThat(Http.json(r).path("error").path("message").asText())
                        .contains("nexus.toml:12")
                        .doesNotContain("/home/someone");
            }
            assertThat(gw.registry().get(id)).isPresent();
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                "defined in /etc/nexus/nexus.toml:3 and pinned; defined in nexus.toml:3 and pinned",
                "file (C:\\Users\\me\\nexus.toml:7); file (nexus.toml:7)",
                "url http://192.168.1.10:11434/v1 exists; url http://192.168.1.10:11434/v1 exists",
                "expected url/name; expected url/name",
            })
    void directoriesGoUrlsStay(String in, String out) {
        assertThat(ErrorText.withoutDirectories(in)).isEqualTo(out);
    }
}
