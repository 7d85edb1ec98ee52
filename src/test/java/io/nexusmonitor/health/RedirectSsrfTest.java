package io.nexusmonitor.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nexusmonitor.app.EngineOptions;
import io.nexusmonitor.app.NexusEngine;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.testing.FakeBackend;
import io.nexusmonitor.testing.FakeBackend.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11 item 5: a backend cannot make the health checker read another server (an internal
 * service on this machine) by redirecting to it, and {@code last_error} leaks neither the other
 * server's data nor the engine's own side of the connection. Everything on 127.0.0.1.
 */
class RedirectSsrfTest {
    @TempDir
    Path stateDir;

    private NexusEngine engine;
    private FakeBackend internal;
    private FakeBackend attacker;

    @BeforeEach
    void start() {
        internal = FakeBackend.openai().models("secret-internal-data");
        internal.on("GET", "/api/tags", Reply.json(200, "{\"models\":[{\"name\":\"secret-internal-data\"}]}"));
        attacker = FakeBackend.openai();
        NexusConfig c = NexusConfig.defaults();
        engine = new NexusEngine(
                c.withDiscovery(c.discovery().withEnabled(false))
                        .withHealthCheck(new NexusConfig.HealthCheck(true, 3600, 2, 1, 1)),
                new EngineOptions(stateDir, false));
        engine.start();
    }

    @AfterEach
    void stop() {
        engine.close();
        internal.close();
        attacker.close();
    }

    private Backend checked(String id) {
        return await().atMost(Duration.ofSeconds(10))
                .until(() -> engine.registry().get(id).orElseThrow(), b -> b.lastHealthCheck() != null);
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void redirectToAnotherServerIsAFailureAndNeverReadBack(int status) {
        attacker.on("GET", "/v1/models", Reply.redirect(status, internal.url() + "/v1/models"));
        attacker.on("GET", "/api/tags", Reply.redirect(status, internal.url() + "/api/tags"));
        Backend openai = engine.addManual(attacker.url() + "/v1", "attacker", BackendType.OPENAI, null);
        Backend ollama = engine.addManual(attacker.url(), "attacker-ollama", BackendType.OLLAMA, null);

        for (Backend b : List.of(checked(openai.id()), checked(ollama.id()))) {
            assertThat(b.status()).isEqualTo(BackendStatus.UNHEALTHY);
            assertThat(b.models()).isEmpty();
            assertThat(b.lastError())
                    .endsWith(": redirected to another address (not followed)")
                    .doesNotContain("secret")
                    .doesNotContain(Integer.toString(internal.port()));
        }
        assertThat(internal.requests()).isEmpty();
        assertThat(engine.registry().modelIds()).doesNotContain("secret-internal-data");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"close", "garbage", "short"})
    void transportFailuresNameNeitherObjectsNorTheEnginesOwnPort(String mode) throws Exception {
        Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Thread t = new Thread(() -> serveBadly(server, mode, clientPorts), "bad-backend");
            t.setDaemon(true);
            t.start();
            Backend b = checked(
                    engine.addManual("http://127.0.0.1:" + server.getLocalPort(), "bad", BackendType.OPENAI, null)
                            .id());

            assertThat(b.status()).isEqualTo(BackendStatus.UNHEALTHY);
            assertThat(clientPorts).isNotEmpty();
            for (int port : clientPorts) {
                assertThat(b.lastError()).doesNotContain(Integer.toString(port));
            }
            assertThat(b.lastError()).doesNotContain("@", "{", "Http", "Exception", "java.", "org.eclipse");
            assertThat(b.lastError()).matches("[a-z].*");
        }
    }

    private static void serveBadly(ServerSocket server, String mode, Set<Integer> clientPorts) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                clientPorts.add(s.getPort());
                InputStream in = s.getInputStream();
                in.read(new byte[4096]);
                OutputStream out = s.getOutputStream();
                switch (mode) {
                    case "garbage" ->
                        out.write("\u0000\u0001 not http at all\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    case "short" ->
                        out.write(
                                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"da"
                                        .getBytes(StandardCharsets.US_ASCII));
                    default -> {}
                }
                out.flush();
            } catch (IOException e) {
                return;
            }
        }
    }
}
