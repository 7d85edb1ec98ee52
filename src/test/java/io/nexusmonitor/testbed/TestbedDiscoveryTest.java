package io.nexusmonitor.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hosts on the private virtual LAN of {@code ../shared/testbed/lan.sh} (network namespaces;
 * no packet reaches the machine's own interfaces): h2 runs a small Ollama and
 * {@code nexus-monitor announce}, h1 runs {@code nexus-monitor --no-gui} and must list it, show
 * it {@code unknown} with a countdown after the announcer stops, then drop it. Needs root and
 * iproute2; skipped with a message otherwise. Uses its own LAN_PREFIX, so a testbed someone has
 * up by hand is left alone, and always takes its LAN down again.
 */
class TestbedDiscoveryTest {
    private static final Path LAN =
            Path.of("../shared/testbed/lan.sh").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final String prefix = "nxt" + ProcessHandle.current().pid();
    private final List<Process> processes = new ArrayList<>();
    private boolean up;

    @BeforeEach
    void lanUp() throws Exception {
        assumeTrue(Files.isExecutable(LAN), "testbed skipped: " + LAN + " not found");
        assumeTrue("root".equals(System.getProperty("user.name")), "testbed skipped: needs root (ip netns)");
        assumeTrue(run("ip", "-V") == 0, "testbed skipped: needs iproute2 (ip)");
        // whatever lan.sh made before failing is taken down again in lanDown()
        up = true;
        int made = run(LAN.toString(), "up", "2");
        assumeTrue(
                made == 0,
                "testbed skipped: lan.sh up exited " + made
                        + " (network namespaces cannot be made here, e.g. inside an unprivileged container)");
    }

    @AfterEach
    void lanDown() throws Exception {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        if (up) {
            run(LAN.toString(), "down");
        }
        // keep the hosts' logs where a failed run can be looked at
        Path logs = Path.of("target", "testbed-logs");
        Files.createDirectories(logs);
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(x -> x.toString().endsWith(".log")).toList()) {
                Files.copy(f, logs.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
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
        start("h2", "ollama", java("io.nexusmonitor.testbed.TinyOllama", "11434", "11435"));
        Process announcer = start(
                "h2",
                "announce",
                java(
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
        start(
                "h2",
                "announce-twin",
                java(
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
        start(
                "h1",
                "monitor",
                java(
                        "io.nexusmonitor.cli.Main",
                        "--no-gui",
                        "-c",
                        dir.resolve("nexus.toml").toString(),
                        "--port",
                        "8000",
                        "--state-dir",
                        dir.resolve("state").toString()));

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
        ProcessBuilder pb = new ProcessBuilder(
                        LAN.toString(), "exec", "h1", "curl", "-s", "-m", "2", "http://127.0.0.1:8000/api/backends")
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("LAN_PREFIX", prefix);
        Process p = pb.start();
        String body = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
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

    private List<String> java(String main, String... args) {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp, main));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private Process start(String host, String label, List<String> command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(LAN.toString(), "exec", host));
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(label + ".log").toFile());
        pb.environment().put("LAN_PREFIX", prefix);
        pb.directory(dir.toFile());
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private int run(String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb =
                new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("LAN_PREFIX", prefix);
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
