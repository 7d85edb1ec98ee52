package io.nexusmonitor.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.gpu.GpuSummary;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.GpuReport;
import io.nexusmonitor.registry.HistoryEntry;
import io.nexusmonitor.registry.MdnsInfo;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.testing.FakeBackend;
import io.nexusmonitor.testing.FakeBackend.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The announcer's status endpoint (TXT {@code status_port}) is polled after each check: its figures
 * replace the TXT summary; a bad answer is a history line and the report's reason, never a failure.
 */
class GpuStatusPollTest {
    private static final NexusConfig.HealthCheck SETTINGS = new NexusConfig.HealthCheck(true, 3600, 1, 1, 1);
    private static final String STATUS = """
            {"gpus":[{"index":0,"name":"RTX 4090","vram_total_mb":24564,"vram_used_mb":20000,
            "utilization_percent":91,"temperature_c":70},
            {"index":1,"name":"RTX 4090","vram_total_mb":24564,"vram_used_mb":1000}],
            "read_at":"2026-12-01T10:00:00Z"}""";

    private final Registry registry = new Registry();
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    private final FakeBackend box = FakeBackend.ollama().models("llama3:8b");
    private HealthChecker checker;

    @AfterEach
    void tearDown() throws Exception {
        checker.close();
        box.close();
        scheduler.shutdownNow();
    }

    /** An announced backend whose TXT says VRAM is nearly free and where its status endpoint is. */
    private Backend announced(String statusPort) {
        Backend b = registry.add(
                Backend.create("", "gpu-box", box.url(), BackendType.OLLAMA, BackendSource.MDNS, 50, Instant.now())
                        .withMdns(new MdnsInfo(
                                "gpu-box._ollama._tcp.local.",
                                "_ollama._tcp.local.",
                                "gpu-box.local.",
                                List.of("127.0.0.1"),
                                Map.of(
                                        "gpu",
                                        "RTX 4090",
                                        "gpus",
                                        "2",
                                        "vram_mb",
                                        "49128",
                                        "vram_used_mb",
                                        "0",
                                        "status_port",
                                        statusPort),
                                Instant.now(),
                                Instant.now())),
                "added by test");
        checker = new HealthChecker(registry, SETTINGS, scheduler);
        checker.start();
        return b;
    }

    private Backend check(String id) throws Exception {
        return checker.checkNow(id).get(10, TimeUnit.SECONDS).orElseThrow();
    }

    private GpuReport awaitReport(String id) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> registry.get(id).orElseThrow().gpuReport() != null);
        return registry.get(id).orElseThrow().gpuReport();
    }

    @Test
    void theStatusEndpointsFiguresReplaceTheTxtSummary() throws Exception {
        box.on("GET", "/status", Reply.json(200, STATUS));
        Backend b = announced(Integer.toString(box.port()));
        check(b.id());
        GpuReport r = awaitReport(b.id());
        assertThat(r.ok()).isTrue();
        assertThat(r.gpus()).hasSize(2);
        assertThat(r.gpus().get(0).utilPercent()).isEqualTo(91);
        assertThat(r.readAt()).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
        GpuSummary shown = GpuSummary.of(registry.get(b.id()).orElseThrow());
        assertThat(shown.usedMb()).isEqualTo(21000); // fresh, not the TXT's 0
        assertThat(shown.vramMb()).isEqualTo(49128);
        assertThat(box.hits("/status"))
                .as("one poll per check: at start and checkNow")
                .isBetween(1, 2);
    }

    @Test
    void aBadAnswerIsAHistoryLineNotAFailure() throws Exception {
        box.on("GET", "/status", Reply.of(200, "text/html", "<html>not json</html>"));
        Backend b = announced(Integer.toString(box.port()));
        check(b.id());
        GpuReport r = awaitReport(b.id());
        assertThat(r.ok()).isFalse();
        assertThat(r.problem()).isEqualTo("the status endpoint's answer is not JSON");
        Backend now = registry.get(b.id()).orElseThrow();
        assertThat(now.status()).isEqualTo(BackendStatus.HEALTHY);
        assertThat(now.history().stream().map(HistoryEntry::cause))
                .containsOnlyOnce("GPU status not read: the status endpoint's answer is not JSON");
        // the TXT summary stands meanwhile
        assertThat(GpuSummary.of(now).usedMb()).isZero();

        check(b.id()); // the same reason again: no second line
        await().atMost(Duration.ofSeconds(10))
                .until(() -> registry.get(b.id())
                                .orElseThrow()
                                .gpuReport()
                                .polledAt()
                                .isAfter(r.polledAt())
                        || box.hits("/status") >= 2);
        assertThat(registry.get(b.id()).orElseThrow().history().stream().map(HistoryEntry::cause))
                .containsOnlyOnce("GPU status not read: the status endpoint's answer is not JSON");

        box.on("GET", "/status", Reply.json(200, STATUS));
        check(b.id());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> registry.get(b.id()).orElseThrow().gpuReport().ok());
        assertThat(registry.get(b.id()).orElseThrow().history().stream().map(HistoryEntry::cause))
                .contains("GPU status read again");
    }

    @Test
    void anEndpointThatIsNotThereIsAReasonNotAFailure() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Backend b = announced(Integer.toString(closed));
        assertThat(check(b.id()).status()).isEqualTo(BackendStatus.HEALTHY);
        GpuReport r = awaitReport(b.id());
        assertThat(r.ok()).isFalse();
        assertThat(r.problem()).contains("127.0.0.1:" + closed).doesNotContain("Exception");
        assertThat(registry.get(b.id()).orElseThrow().status()).isEqualTo(BackendStatus.HEALTHY);
    }

    @Test
    void aBackendWithoutStatusPortIsNotPolled() throws Exception {
        Backend b = announced("not-a-port");
        check(b.id());
        check(b.id());
        assertThat(box.hits("/status")).isZero();
        assertThat(registry.get(b.id()).orElseThrow().gpuReport()).isNull();
    }
}
