package io.nexusmonitor.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.Registry;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A backend's connection is kept from one check to the next, and a kept connection that the
 * server closes just as a probe goes out costs a retry, not a failed check. A plain socket server
 * on 127.0.0.1 decides per connection and per request whether to answer or hang up, and counts both.
 */
class ProbeConnectionReuseTest {
    private static final byte[] MODELS =
            "{\"object\":\"list\",\"data\":[{\"id\":\"m1\",\"object\":\"model\"}]}".getBytes(StandardCharsets.UTF_8);

    /** Whether to answer request {@code request} (from 1) on connection {@code connection} (from 1). */
    @FunctionalInterface
    interface Policy {
        boolean answers(int connection, int request);
    }

    private final Registry registry = new Registry();
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Policy policy = (c, r) -> true;
    private ServerSocket server;
    private HealthChecker checker;

    @BeforeEach
    void start() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "reuse-test-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        // a long interval: only the checks the tests ask for run
        checker = new HealthChecker(registry, new NexusConfig.HealthCheck(true, 3600, 2, 1, 1), scheduler);
        checker.start();
    }

    @AfterEach
    void stop() throws IOException {
        checker.close();
        scheduler.shutdownNow();
        server.close();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                int connection = connections.incrementAndGet();
                Thread t = new Thread(() -> serve(s, connection), "reuse-test-conn-" + connection);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s, int connection) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            for (int request = 1; readRequest(in); request++) {
                requests.incrementAndGet();
                if (!policy.answers(connection, request)) {
                    return; // hang up without a byte of answer
                }
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + MODELS.length
                                + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(MODELS);
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    /** Reads one request's head; false at the end of the stream. */
    private static boolean readRequest(InputStream in) throws IOException {
        int lineLength = 0;
        boolean any = false;
        for (int c = in.read(); c >= 0; c = in.read()) {
            any = true;
            if (c == '\n') {
                if (lineLength == 0) {
                    return true;
                }
                lineLength = 0;
            } else if (c != '\r') {
                lineLength++;
            }
        }
        if (any) {
            throw new IOException("request cut off");
        }
        return false;
    }

    private Backend addAndWaitForFirstCheck() {
        Backend b = registry.add(
                Backend.create(
                        "",
                        "t",
                        "http://127.0.0.1:" + server.getLocalPort(),
                        BackendType.VLLM,
                        BackendSource.MANUAL,
                        50,
                        Instant.now()),
                "t");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> registry.get(b.id()).orElseThrow().lastHealthCheck() != null);
        return registry.get(b.id()).orElseThrow();
    }

    private Backend check(Backend b) throws Exception {
        return checker.checkNow(b.id()).get(10, TimeUnit.SECONDS).orElseThrow();
    }

    @Test
    void theNextChecksUseTheConnectionOfTheFirst() throws Exception {
        Backend b = addAndWaitForFirstCheck();
        for (int i = 0; i < 3; i++) {
            assertThat(check(b).status()).isEqualTo(BackendStatus.HEALTHY);
        }
        assertThat(requests.get())
                .as("the first check sends its probe twice, then one per check")
                .isEqualTo(5);
        assertThat(connections.get()).isEqualTo(1);
    }

    @Test
    void aKeptConnectionClosedAsTheProbeGoesOutIsRetriedOnANewOne() throws Exception {
        // the first connection carries the first check (two requests), then hangs up on the third
        policy = (c, r) -> c > 1 || r <= 2;
        Backend b = addAndWaitForFirstCheck();
        assertThat(b.status()).isEqualTo(BackendStatus.HEALTHY);

        Backend after = check(b);

        assertThat(after.status()).isEqualTo(BackendStatus.HEALTHY);
        assertThat(after.lastError()).isNull();
        assertThat(after.models()).extracting(m -> m.id()).containsExactly("m1");
        assertThat(connections.get()).isEqualTo(2);
        assertThat(requests.get()).isEqualTo(4);
    }

    @Test
    void aServerThatHangsUpOnANewConnectionFailsTheCheckWithoutARetry() throws Exception {
        policy = (c, r) -> false;
        Backend b = addAndWaitForFirstCheck();
        assertThat(b.status()).isEqualTo(BackendStatus.UNHEALTHY);
        assertThat(b.lastError()).contains("closed");
        assertThat(requests.get()).isEqualTo(1);

        check(b);
        assertThat(requests.get()).isEqualTo(2);
    }

    @Test
    void aKeptConnectionThatClosesTwiceInARowFailsTheCheck() throws Exception {
        // every connection answers the first check's two requests only, then hangs up
        policy = (c, r) -> c == 1 && r <= 2;
        Backend b = addAndWaitForFirstCheck();
        assertThat(b.status()).isEqualTo(BackendStatus.HEALTHY);

        Backend after = check(b);

        assertThat(after.status()).isEqualTo(BackendStatus.UNHEALTHY);
        assertThat(requests.get())
                .as("the probe on the kept connection, one retry on a new one")
                .isEqualTo(4);
        assertThat(connections.get()).isEqualTo(2);
    }
}
