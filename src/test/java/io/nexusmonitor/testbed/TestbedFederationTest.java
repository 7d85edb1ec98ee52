package io.nexusmonitor.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19's "done when", on three hosts of {@code ../shared/testbed/lan.sh} (network namespaces,
 * a {@link TestbedLan} of its own; no packet leaves it): etcd on h1 (198.18.0.1:2379), and on each
 * host hN a small Ollama announced by {@code nexus-monitor announce} on that namespace's own
 * loopback mDNS, and a monitor whose JmDNS is bound to 127.0.0.1, so each monitor finds only its
 * own. Through etcd every monitor lists all three with their sites; a monitor killed with SIGKILL
 * makes its backend count down and leave on the other two. Needs root, iproute2 and etcd; skipped
 * with a message otherwise; the LAN is always taken down again.
 */
class TestbedFederationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private final Map<String, Process> monitors = new HashMap<>();
    private @Nullable TestbedLan lan;

    @BeforeEach
    void lanUp() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/etcd")), "testbed skipped: etcd is not installed");
        lan = TestbedLan.up(3, "f", dir, "federation-");
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
    void threeSegmentsSeeAllBackendsWithTheirSitesAndAKilledMonitorsBackendsLeaveEverywhere() throws Exception {
        lan().start(
                        "h1",
                        "etcd",
                        List.of(
                                "/usr/bin/etcd",
                                "--name",
                                "h1",
                                "--data-dir",
                                dir.resolve("etcd").toString(),
                                "--listen-client-urls",
                                "http://198.18.0.1:2379",
                                "--advertise-client-urls",
                                "http://198.18.0.1:2379",
                                "--listen-peer-urls",
                                "http://127.0.0.1:2380",
                                "--initial-advertise-peer-urls",
                                "http://127.0.0.1:2380",
                                "--initial-cluster",
                                "h1=http://127.0.0.1:2380",
                                "--log-level",
                                "warn"));
        for (int i = 1; i <= 3; i++) {
            String h = "h" + i;
            int port = 11430 + i;
            Files.writeString(dir.resolve(h + ".toml"), """
                    [discovery]
                    grace_period_seconds = 4
                    interfaces = ["127.0.0.1"]
                    allow_loopback = true

                    [health_check]
                    interval_seconds = 2

                    [federation]
                    etcd_endpoints = ["http://198.18.0.1:2379"]
                    site = "%s"
                    """.formatted(h));
            lan().start(
                            h,
                            "ollama-" + h,
                            TestbedLan.java("io.nexusmonitor.testbed.TinyOllama", Integer.toString(port)));
            lan().start(
                            h,
                            "announce-" + h,
                            TestbedLan.java(
                                    "io.nexusmonitor.cli.Main",
                                    "announce",
                                    "--type",
                                    "ollama",
                                    "--port",
                                    Integer.toString(port),
                                    "--name",
                                    "box-" + h,
                                    "--interface",
                                    "lo",
                                    "--check-interval",
                                    "1"));
            monitors.put(h, lan().monitor(h, "monitor-" + h, dir.resolve(h + ".toml"), dir.resolve("state-" + h)));
        }

        for (int i = 1; i <= 3; i++) {
            String h = "h" + i;
            await(h + " lists all three boxes")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> boxes(h).size() == 3);
            for (JsonNode b : boxes(h)) {
                String owner = "h"
                        + (b.path("url").asText().charAt(b.path("url").asText().length() - 1));
                if (owner.equals(h)) {
                    assertThat(b.path("source").asText()).as(h + " own").isEqualTo("mdns");
                    assertThat(b.path("site").isNull()).isTrue();
                } else {
                    assertThat(b.path("source").asText())
                            .as(h + " sees " + owner)
                            .isEqualTo("remote");
                    assertThat(b.path("site").asText()).isEqualTo(owner);
                }
            }
            JsonNode health = get(h, "/health").path("federation");
            assertThat(health.path("text").asText())
                    .isEqualTo("connected to 1 etcd endpoint, 2 other sites, 2 remote backends");
        }

        Process h3 = monitors.get("h3");
        h3.destroyForcibly(); // SIGKILL: no goodbye, the lease runs out
        h3.waitFor(10, TimeUnit.SECONDS);
        for (String h : List.of("h1", "h2")) {
            await(h + " counts h3's box down")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> box(h, 3).map(b -> b.path("grace").isObject()).orElse(false));
        }
        for (String h : List.of("h1", "h2")) {
            await(h + " drops h3's box")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> box(h, 3).isEmpty());
            assertThat(boxes(h)).hasSize(2);
        }
    }

    private java.util.Optional<JsonNode> box(String host, int of) throws IOException, InterruptedException {
        return boxes(host).stream()
                .filter(b -> b.path("url").asText().equals("http://127.0.0.1:" + (11430 + of)))
                .findFirst();
    }

    private List<JsonNode> boxes(String host) throws IOException, InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        get(host, "/api/backends").path("backends").forEach(out::add);
        return out;
    }

    private JsonNode get(String host, String path) throws IOException, InterruptedException {
        String body = lan().exec(host, "curl", "-s", "-m", "2", "http://127.0.0.1:8000" + path);
        return body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    }
}
