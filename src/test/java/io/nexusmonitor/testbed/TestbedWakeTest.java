package io.nexusmonitor.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wake-on-LAN across the private virtual LAN of {@code ../shared/testbed/lan.sh} (network
 * namespaces, a {@link TestbedLan} of its own; the magic packet goes to the testbed broadcast 198.18.0.255 and
 * never leaves the namespaces): h2 runs a {@link SleepyBox} whose "NIC" listens on UDP port 9,
 * h1 runs {@code nexus-monitor --no-gui} with the box pinned and wakeable. The box goes to sleep,
 * turns {@code asleep}; a chat request through the monitor sends the packet, the listener in h2
 * receives it, the box starts answering and the request gets its answer. Needs root and
 * iproute2; skipped with a message otherwise; always takes its LAN down again.
 */
class TestbedWakeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String MAC = "aa:bb:cc:00:17:02";

    @TempDir
    Path dir;

    private @Nullable TestbedLan lan;

    @BeforeEach
    void lanUp() throws Exception {
        lan = TestbedLan.up(2, "w", dir, "wake-");
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
    void aChatRequestInH1WakesTheBoxInH2ThroughTheTestbedBroadcast() throws Exception {
        Files.writeString(dir.resolve("nexus.toml"), """
                [discovery]
                enabled = false

                [health_check]
                interval_seconds = 1
                timeout_seconds = 1
                failure_threshold = 1
                recovery_threshold = 1

                [[backends]]
                name = "sleepy"
                url = "http://198.18.0.2:11434"
                type = "ollama"
                mac = "%s"
                wake_on_lan = true
                wake_broadcast = "198.18.0.255"
                wake_timeout_seconds = 60
                """.formatted(MAC));
        Process box =
                lan().start("h2", "box", TestbedLan.java("io.nexusmonitor.testbed.SleepyBox", "11434", MAC, "2000"));
        lan().monitor("h1", "monitor", dir.resolve("nexus.toml"), dir.resolve("state"));
        await("the box is healthy and lists its model")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> status().equals("healthy"));

        box.getOutputStream().write("sleep\n".getBytes(StandardCharsets.UTF_8));
        box.getOutputStream().flush();
        await("the box is asleep, not unhealthy")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(300))
                .until(() -> status().equals("asleep"));

        String answer = lan().exec(
                        "h1",
                        "curl",
                        "-s",
                        "-m",
                        "60",
                        "-X",
                        "POST",
                        "-H",
                        "Content-Type: application/json",
                        "-d",
                        "{\"model\":\"llama3:8b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                        "http://127.0.0.1:8000/v1/chat/completions");
        assertThat(answer).contains("good morning");
        assertThat(status()).isEqualTo("healthy");
        assertThat(Files.readString(dir.resolve("box.log"))).contains("magic packet from 198.18.0.1 to port 9");
    }

    private String status() throws IOException, InterruptedException {
        String body = lan().exec("h1", "curl", "-s", "-m", "2", "http://127.0.0.1:8000/api/backends");
        if (body.isBlank()) {
            return "";
        }
        JsonNode b = JSON.readTree(body).path("backends").path(0);
        return b.path("models").size() > 0 ? b.path("status").asText() : "";
    }

    /** Runs a command in h1 and returns what it printed. */
}
