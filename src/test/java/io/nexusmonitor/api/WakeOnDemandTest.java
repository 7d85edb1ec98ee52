package io.nexusmonitor.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.nexusmonitor.config.ConfigLoader;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.testing.SimulatedLlmBox;
import io.nexusmonitor.wake.MagicPacket;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pinned box that sleeps: it is asleep (not unhealthy) while it does not answer, a chat request for
 * its model sends the magic packet and waits, and the box, which starts answering a few seconds after
 * the packet reaches a loopback UDP listener (the packet goes only to 127.0.0.1), serves it.
 */
class WakeOnDemandTest {
    private static final String MAC = "aa:bb:cc:dd:ee:ff";
    private static final String CHAT =
            "{\"model\":\"llama3:8b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @TempDir
    Path state;

    private DatagramSocket nic;
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger packets = new AtomicInteger();
    private final AtomicReference<SimulatedLlmBox> box = new AtomicReference<>();
    private Thread listener;
    private int boxPort;

    @BeforeEach
    void setUp() throws Exception {
        nic = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            boxPort = s.getLocalPort(); // free now; the box starts on it once woken
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        nic.close();
        if (listener != null) {
            listener.join(5000);
        }
        later.shutdownNow();
        SimulatedLlmBox b = box.get();
        if (b != null) {
            b.close();
        }
    }

    /** The box's NIC: counts magic packets for MAC and, if asked, boots the box that long after the first. */
    private void listen(Duration bootTime) {
        listener = new Thread(
                () -> {
                    byte[] buf = new byte[512];
                    while (!nic.isClosed()) {
                        try {
                            DatagramPacket p = new DatagramPacket(buf, buf.length);
                            nic.receive(p);
                            if (Arrays.equals(Arrays.copyOf(p.getData(), p.getLength()), MagicPacket.of(MAC))
                                    && packets.incrementAndGet() == 1
                                    && bootTime != null) {
                                var unused = later.schedule(
                                        () -> box.set(SimulatedLlmBox.builder("gpu-box")
                                                .port(boxPort)
                                                .models("llama3:8b")
                                                .resident("llama3:8b")
                                                .start()),
                                        bootTime.toMillis(),
                                        TimeUnit.MILLISECONDS);
                            }
                        } catch (SocketTimeoutException e) {
                            // keep listening
                        } catch (java.io.IOException e) {
                            return; // closed
                        }
                    }
                },
                "test-nic");
        listener.setDaemon(true);
        listener.start();
    }

    private NexusConfig config(int wakeTimeout, boolean withMac) throws Exception {
        return ConfigLoader.parse(
                        """
                [server]
                port = 0
                [discovery]
                enabled = false
                [health_check]
                interval_seconds = 1
                timeout_seconds = 1
                failure_threshold = 1
                recovery_threshold = 1
                [[backends]]
                name = "gpu-box"
                url = "http://127.0.0.1:%d"
                type = "ollama"
                %s
                wake_on_lan = true
                wake_broadcast = "127.0.0.1:%d"
                wake_timeout_seconds = %d
                """.formatted(boxPort, withMac ? "mac = \"" + MAC + "\"" : "", nic.getLocalPort(), wakeTimeout),
                        state.resolve("nexus.toml"))
                .config();
    }

    /** The box as it was before it slept: it lists the model (a pin remembers its models). */
    private static Backend asleepWithModel(TestGateway gw) {
        Backend b = gw.registry().all().get(0);
        gw.registry()
                .update(
                        b.id(),
                        "test",
                        x -> x.withModels(java.util.List.of(io.nexusmonitor.registry.ModelInfo.of("llama3:8b"))));
        await().atMost(Duration.ofSeconds(20)).until(() -> gw.get(b.id()).status() == BackendStatus.ASLEEP);
        return gw.get(b.id());
    }

    @Test
    void aChatRequestWakesTheBoxWaitsAndGetsItsAnswer() throws Exception {
        listen(Duration.ofSeconds(2));
        try (TestGateway gw = new TestGateway(state, config(60, true))) {
            Backend b = asleepWithModel(gw);
            assertThat(Http.json(Http.get(gw.base + "/api/backends"))
                            .path("backends")
                            .get(0)
                            .path("status")
                            .asText())
                    .isEqualTo("asleep");
            assertThat(gw.engine.registry().countByStatus().getOrDefault(BackendStatus.UNHEALTHY, 0))
                    .isZero();

            HttpResponse<String> r =
                    Http.send("POST", gw.base + "/v1/chat/completions", CHAT, "Content-Type", "application/json");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(packets.get()).isGreaterThanOrEqualTo(1);
            assertThat(box.get().served()).isEqualTo(1);
            assertThat(gw.get(b.id()).status()).isEqualTo(BackendStatus.HEALTHY);
        }
    }

    @Test
    void requestsForAnAsleepBoxWaitInTheQueueAndAreDispatchedOnceItAnswers() throws Exception {
        listen(Duration.ofSeconds(2));
        try (TestGateway gw = new TestGateway(state, config(60, true))) {
            asleepWithModel(gw);
            var first = CompletableFuture.supplyAsync(() ->
                    Http.send("POST", gw.base + "/v1/chat/completions", CHAT, "Content-Type", "application/json"));
            var second = CompletableFuture.supplyAsync(() ->
                    Http.send("POST", gw.base + "/v1/chat/completions", CHAT, "Content-Type", "application/json"));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                JsonNode q = Http.json(Http.get(gw.base + "/api/queue"));
                assertThat(q.path("waiting").asInt()).isEqualTo(2);
                JsonNode m = q.path("models").get(0);
                assertThat(m.path("model").asText()).isEqualTo("llama3:8b");
                assertThat(m.path("depth").asInt()).isEqualTo(2);
                assertThat(m.path("waking").asInt()).isEqualTo(2);
            });
            assertThat(Http.get(gw.base + "/metrics").body()).contains("nexus_queue_depth{model=\"llama3:8b\"} 2");

            assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(second.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(box.get().served()).isEqualTo(2);
            JsonNode m =
                    Http.json(Http.get(gw.base + "/api/queue")).path("models").get(0);
            assertThat(m.path("depth").asInt()).isZero();
            assertThat(m.path("waking").asInt()).isZero();
            assertThat(m.path("dispatched").asInt()).isEqualTo(2);
        }
    }

    @Test
    void aBoxThatDoesNotWakeInTimeGets503BackendAsleep() throws Exception {
        listen(null);
        try (TestGateway gw = new TestGateway(state, config(2, true))) {
            asleepWithModel(gw);
            HttpResponse<String> r =
                    Http.send("POST", gw.base + "/v1/chat/completions", CHAT, "Content-Type", "application/json");
            assertThat(r.statusCode()).isEqualTo(503);
            JsonNode e = Http.json(r).path("error");
            assertThat(e.path("code").asText()).isEqualTo("backend_asleep");
            assertThat(e.path("message").asText()).contains("gpu-box").contains("did not answer within 2 s");
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
            await().atMost(Duration.ofSeconds(5)).until(() -> packets.get() >= 1);
            JsonNode m =
                    Http.json(Http.get(gw.base + "/api/queue")).path("models").get(0);
            assertThat(m.path("asleep").asInt()).isEqualTo(1);
            assertThat(m.path("depth").asInt()).isZero();
            assertThat(Http.get(gw.base + "/metrics").body())
                    .contains("nexus_queue_refused_total{reason=\"asleep\"} 1");
        }
    }

    @Test
    void wakeEndpointSendsThePacketAndNeedsTheToken() throws Exception {
        listen(null);
        try (TestGateway gw = new TestGateway(state, config(2, true))) {
            Backend b = gw.registry().all().get(0);
            assertThat(Http.send(
                                    "POST",
                                    gw.base + "/api/backends/" + b.id() + "/wake",
                                    "",
                                    "Content-Type",
                                    "application/json")
                            .statusCode())
                    .isEqualTo(401);
            HttpResponse<String> r =
                    Http.send("POST", gw.base + "/api/backends/" + b.id() + "/wake", "", gw.jsonAuth());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(5)).until(() -> packets.get() >= 1);
        }
    }

    @Test
    void withoutAMacTheBoxIsUnhealthyAndCannotBeWoken() throws Exception {
        try (TestGateway gw = new TestGateway(state, config(2, false))) {
            Backend b = gw.registry().all().get(0);
            await().atMost(Duration.ofSeconds(20)).until(() -> gw.get(b.id()).status() == BackendStatus.UNHEALTHY);
            HttpResponse<String> r =
                    Http.send("POST", gw.base + "/api/backends/" + b.id() + "/wake", "", gw.jsonAuth());
            assertThat(r.statusCode()).isEqualTo(409);
            assertThat(Http.json(r).path("error").path("message").asText()).contains("no MAC address");
        }
    }
}
