package io.nexusmonitor.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nexusmonitor.registry.Backend;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SSE answers pass through chunk by chunk, and a client that leaves stops the upstream request. */
class GatewayStreamingTest {
    private static final String STREAM_REQ = "{\"model\":\"llama3\",\"stream\":true,\"messages\":[]}";
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @TempDir
    Path stateDir;

    private TestGateway gw;
    private FakeUpstream up;
    private final CompletableFuture<FakeUpstream.Stream> handed = new CompletableFuture<>();
    private Backend backend;

    @BeforeEach
    void start() {
        up = new FakeUpstream().answer(FakeUpstream.stream(handed));
        gw = new TestGateway(stateDir);
        backend = gw.healthy("streamer", up.url(), 1, "llama3");
    }

    @AfterEach
    void stop() throws Exception {
        gw.close();
        up.close();
    }

    @Test
    void eachChunkReachesTheClientBeforeTheNextIsSent() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpRequest req = HttpRequest.newBuilder(URI.create(gw.base + "/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(STREAM_REQ))
                .build();
        CompletableFuture<HttpResponse<Stream<String>>> response =
                HttpClient.newHttpClient().sendAsync(req, HttpResponse.BodyHandlers.ofLines());
        FakeUpstream.Stream s = handed.get(10, TimeUnit.SECONDS);

        s.send("data: {\"n\":1}\n\n");
        HttpResponse<Stream<String>> r = response.get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> reading =
                CompletableFuture.runAsync(() -> r.body().forEach(lines::add));
        await().atMost(PATIENCE).until(() -> lines.contains("data: {\"n\":1}"));
        assertThat(lines).doesNotContain("data: {\"n\":2}");

        s.send("data: {\"n\":2}\n\n");
        await().atMost(PATIENCE).until(() -> lines.contains("data: {\"n\":2}"));

        s.send("data: [DONE]\n\n");
        s.end();
        reading.get(10, TimeUnit.SECONDS);

        assertThat(lines).containsExactly("data: {\"n\":1}", "", "data: {\"n\":2}", "", "data: [DONE]", "");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/event-stream");
        assertThat(r.headers().firstValue("x-nexus-backend")).hasValue("streamer");
        assertThat(up.next().accept()).isEqualTo("text/event-stream");
        await().atMost(PATIENCE)
                .untilAsserted(
                        () -> assertThat(gw.get(backend.id()).pendingRequests()).isZero());
    }

    @Test
    void pendingCounterIsUpWhileStreamingAndDownAfter() throws Exception {
        CompletableFuture<HttpResponse<String>> response = HttpClient.newHttpClient()
                .sendAsync(
                        HttpRequest.newBuilder(URI.create(gw.base + "/v1/chat/completions"))
                                .POST(HttpRequest.BodyPublishers.ofString(STREAM_REQ))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        FakeUpstream.Stream s = handed.get(10, TimeUnit.SECONDS);

        assertThat(gw.get(backend.id()).pendingRequests()).isEqualTo(1);
        s.send("data: x\n\n");
        s.end();

        assertThat(response.get(10, TimeUnit.SECONDS).body()).isEqualTo("data: x\n\n");
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(gw.get(backend.id()).pendingRequests()).isZero();
            assertThat(gw.get(backend.id()).totalRequests()).isEqualTo(1);
        });
    }

    @Test
    void clientDisconnectCancelsTheUpstreamRequest() throws Exception {
        URI base = URI.create(gw.base);
        try (Socket socket = new Socket("127.0.0.1", base.getPort())) {
            byte[] body = STREAM_REQ.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            FakeUpstream.Stream s = handed.get(10, TimeUnit.SECONDS);
            s.send("data: first\n\n");
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.contains("data: first")) {
                // skip status line, headers and chunk sizes until the first event arrives
            }
            assertThat(line).contains("data: first");
        }

        FakeUpstream.Stream s = handed.get();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(s::peerGone);
        await().atMost(PATIENCE)
                .untilAsserted(
                        () -> assertThat(gw.get(backend.id()).pendingRequests()).isZero());
        await().atMost(PATIENCE)
                .untilAsserted(
                        () -> assertThat(Http.get(gw.base + "/metrics").body())
                                .contains(
                                        "nexus_requests_total{backend=\"streamer\",model=\"llama3\",status=\"client_closed\"} 1.0"));
    }
}
