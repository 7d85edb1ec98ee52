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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wake-on-LAN across the private virtual LAN of {@code ../shared/testbed/lan.sh} (network
 * namespaces, LAN_PREFIX=nxwake; the magic packet goes to the testbed broadcast 198.18.0.255 and
 * never leaves the namespaces): h2 runs a {@link SleepyBox} whose "NIC" listens on UDP port 9,
 * h1 runs {@code nexus-monitor --no-gui} with the box pinned and wakeable. The box goes to sleep,
 * turns {@code asleep}; a chat request through the monitor sends the packet, the listener in h2
 * receives it, the box starts answering and the request gets its answer. Needs root and
 * iproute2; skipped with a message otherwise; always takes its LAN down again.
 */
class TestbedWakeTest {
    private static final Path LAN =
            Path.of("../shared/testbed/lan.sh").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String MAC = "aa:bb:cc:00:17:02";

    @TempDir
    Path dir;

    private final String prefix = "nxwake";
    private final List<Process> processes = new ArrayList<>();
    private boolean up;

    @BeforeEach
    void lanUp() throws Exception {
        assumeTrue(Files.isExecutable(LAN), "testbed skipped: " + LAN + " not found");
        assumeTrue("root".equals(System.getProperty("user.name")), "testbed skipped: needs root (ip netns)");
        assumeTrue(run("ip", "-V") == 0, "testbed skipped: needs iproute2 (ip)");
        up = true;
        run(LAN.toString(), "down"); // a run of this test that was killed may have left nxwake-* behind
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
        Path logs = Path.of("target", "testbed-logs");
        Files.createDirectories(logs);
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(x -> x.toString().endsWith(".log")).toList()) {
                Files.copy(
                        f, logs.resolve("wake-" + f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
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
        Process box = start("h2", "box", java("io.nexusmonitor.testbed.SleepyBox", "11434", MAC, "2000"));
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

        String answer = h1(
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
        String body = h1("curl", "-s", "-m", "2", "http://127.0.0.1:8000/api/backends");
        if (body.isBlank()) {
            return "";
        }
        JsonNode b = JSON.readTree(body).path("backends").path(0);
        return b.path("models").size() > 0 ? b.path("status").asText() : "";
    }

    /** Runs a command in h1 and returns what it printed. */
    private String h1(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(LAN.toString(), "exec", "h1"));
        cmd.addAll(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("LAN_PREFIX", prefix);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
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
