package io.nexusmonitor.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hosts on the private virtual LAN of {@code ../shared/testbed/lan.sh} (network namespaces;
 * no packet reaches the machine's own interfaces): h2 runs a small Ollama and
 * {@code nexus-monitor announce}, h1 runs {@code nexus-monitor --no-gui} and must list it, show
 * it {@code unknown} with a countdown after the announcer stops, then drop it. Needs root and
 * iproute2; skipped with a message otherwise. Its {@link TestbedLan} has a prefix of its own, so a testbed someone has
 * up by hand is left alone, and always takes its LAN down again.
 */
class TestbedDiscoveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private @Nullable TestbedLan lan;

    @BeforeEach
    void lanUp() throws Exception {
        lan = TestbedLan.up(2, "d", dir, "");
    }

    private TestbedLan lan() {
        return java.util.Objects.requireNonNull(lan, "the LAN is up in every test");
    }

    @AfterEach
    void lanDown() throws Exception {
        if (lan != null) {
            lan.close();
        }
    }

    @Test
    void serviceAnnouncedOnOneHostIsDiscoveredOnAnotherAndDroppedAfterItsGoodbye() throws Exception {
        Files.writeString(dir.resolve("nexus.toml"), """
                [discovery]
                grace_period_seconds = 4
                interfaces = ["eth0"]

                [health_check]
                interval_seconds = 2

                [[backends]]
                name = "static-twin"
                url = "http://198.18.0.2:11435"
                type = "ollama"
                """);
        lan().start("h2", "ollama", TestbedLan.java("io.nexusmonitor.testbed.TinyOllama", "11434", "11435"));
        Process announcer = lan().start(
                        "h2",
                        "announce",
                        TestbedLan.java(
                                "io.nexusmonitor.cli.Main",
                                "announce",
                                "--type",
                                "ollama",
                                "--port",
                                "11434",
                                "--name",
                                "Testbed Box",
                                "--txt",
                                "version=0.5.1",
                                "--interface",
                                "eth0",
                                "--check-interval",
                                "1"));
        lan().start(
                        "h2",
                        "announce-twin",
                        TestbedLan.java(
                                "io.nexusmonitor.cli.Main",
                                "announce",
                                "--type",
                                "ollama",
                                "--port",
                                "11435",
                                "--name",
                                "Twin",
                                "--interface",
                                "eth0",
                                "--check-interval",
                                "1"));
        lan().monitor("h1", "monitor", dir.resolve("nexus.toml"), dir.resolve("state"));

        JsonNode box = await("Testbed Box listed")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> backend("http://198.18.0.2:11434"), Optional::isPresent)
                .get();
        assertThat(box.path("type").asText()).isEqualTo("ollama");
        assertThat(box.path("name").asText()).isEqualTo("Testbed Box");
        assertThat(box.path("source").asText()).isEqualTo("mdns");
        assertThat(box.path("mdns").path("txt").path("version").asText()).isEqualTo("0.5.1");
        assertThat(box.path("mdns").path("instance").asText()).isEqualTo("Testbed Box._ollama._tcp.local.");

        JsonNode twin = await("static twin gets its mDNS data")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> backend("http://198.18.0.2:11435"),
                        b -> b.isPresent() && !b.get().path("mdns").isNull())
                .get();
        assertThat(twin.path("source").asText()).isEqualTo("static");
        assertThat(twin.path("name").asText()).isEqualTo("static-twin");
        assertThat(backends())
                .filteredOn(b -> b.path("url").asText().endsWith(":11435"))
                .hasSize(1);

        announcer.destroy(); // SIGTERM: the announcer says goodbye

        JsonNode leaving = await("Testbed Box unknown with a countdown")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> backend("http://198.18.0.2:11434"),
                        b -> b.isPresent() && !b.get().path("grace").isNull())
                .get();
        assertThat(leaving.path("status").asText()).isEqualTo("unknown");
        assertThat(leaving.path("grace").path("seconds_left").asInt()).isBetween(1, 4);
        await("Testbed Box removed")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> backend("http://198.18.0.2:11434").isEmpty());
        assertThat(backend("http://198.18.0.2:11435")).isPresent();
    }

    private List<JsonNode> backends() throws IOException, InterruptedException {
        String body = lan().exec("h1", "curl", "-s", "-m", "2", "http://127.0.0.1:8000/api/backends");
        List<JsonNode> out = new ArrayList<>();
        if (body.isBlank()) {
            return out;
        }
        JSON.readTree(body).path("backends").forEach(out::add);
        return out;
    }

    private Optional<JsonNode> backend(String url) throws IOException, InterruptedException {
        return backends().stream()
                .filter(b -> b.path("url").asText().equals(url))
                .findFirst();
    }
}
