package io.nexusmonitor.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.config.NexusConfig;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The front door's caps: the global budget for buffered request bodies, the short read timeout
 * (distinct from the long answer timeout), the connection limit, the 64 KB cap on an add, and
 * Jetty's own errors answered with sentences.
 */
class RequestCapsTest {
    private static final int CHUNK = 200 * 1024;

    @TempDir
    Path stateDir;

    private TestGateway gw;
    private final List<RawHttp> open = new ArrayList<>();

    @AfterEach
    void stop() {
        open.forEach(RawHttp::close);
        if (gw != null) {
            gw.close();
        }
    }

    private void start(UnaryOperator<ApiSettings.Door> door) {
        gw = new TestGateway(stateDir, NexusConfig.Routing.defaults(), s -> s.withDoor(door.apply(s.door())));
    }

    private int port() {
        return gw.api.port();
    }

    private static void assertSentence(String message) {
        assertThat(message)
                .isNotBlank()
                .doesNotContain("java.", "Exception", "org.eclipse", "Max size", "/tmp", "\tat ");
    }

    /** Opens an upload to the gateway that sends one 200 KB chunk and never finishes. */
    private RawHttp unfinishedUpload() {
        RawHttp h = new RawHttp(port());
        open.add(h);
        h.send("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" + port()
                + "\r\nContent-Type: application/json\r\n" + "Transfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(CHUNK) + "\r\n");
        byte[] body = new byte[CHUNK];
        Arrays.fill(body, (byte) ' ');
        h.send(body);
        h.send("\r\n");
        return h;
    }

    @Test
    void anAddBodyOver64KbIs413WithASentenceAndAddsNothing() {
        start(d -> d);
        String big = "{\"url\":\"http://127.0.0.1:9000\",\"name\":\"" + "x".repeat(70 * 1024) + "\"}";

        HttpResponse<String> declared = Http.send("POST", gw.base + "/api/backends", big, gw.jsonAuth());
        HttpResponse<String> chunked = Http.send(HttpRequest.newBuilder(URI.create(gw.base + "/api/backends"))
                .headers(gw.jsonAuth())
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))));

        for (HttpResponse<String> r : List.of(declared, chunked)) {
            assertThat(r.statusCode()).isEqualTo(413);
            assertThat(Http.json(r).path("error").path("code").asText()).isEqualTo("request_too_large");
            String message = Http.json(r).path("error").path("message").asText();
            assertThat(message).contains("64 KB");
            assertSentence(message);
        }
        assertThat(gw.registry().size()).isZero();
    }

    @Test
    void unfinishedUploadsBeyondTheBudgetAre503AndHealthStillAnswers() {
        start(d -> d.withMaxBufferedBytes(1024 * 1024).withReadTimeout(Duration.ofSeconds(60)));

        for (int i = 1; i <= 5; i++) {
            unfinishedUpload();
            long expected = (long) i * CHUNK;
            Awaitility.await().until(() -> gw.api.bufferedRequestBytes() == expected);
        }
        RawHttp.Answer refused = unfinishedUpload().answer();

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.code()).isEqualTo("server_busy");
        assertThat(refused.headers()).containsEntry("retry-after", "1");
        assertSentence(refused.message());
        assertThat(gw.api.bufferedRequestBytes()).isLessThanOrEqualTo(1024 * 1024);
        assertThat(Http.get(gw.base + "/health").statusCode()).isEqualTo(200);

        RawHttp.Answer declared = RawHttp.exchange(
                port(),
                "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" + port()
                        + "\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n");
        assertThat(declared.status()).isEqualTo(503);
        assertThat(declared.headers()).containsEntry("retry-after", "1");

        open.forEach(RawHttp::close);
        Awaitility.await().until(() -> gw.api.bufferedRequestBytes() == 0);
        String fits = "{\"model\":\"none\",\"pad\":\"" + " ".repeat(900 * 1024) + "\"}";
        assertThat(Http.send("POST", gw.base + "/v1/chat/completions", fits, "Content-Type", "application/json")
                        .statusCode())
                .isEqualTo(404); // the budget is back: read in full, and no such model
    }

    @Test
    void aStalledBodyIsCutWith408AndChangesNothing() {
        start(d -> d.withReadTimeout(Duration.ofSeconds(1)));
        RawHttp add = new RawHttp(port());
        open.add(add);
        add.send("POST /api/backends HTTP/1.1\r\nHost: 127.0.0.1:" + port() + "\r\nAuthorization: Bearer " + gw.token()
                + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"url\":");
        RawHttp chat = new RawHttp(port());
        open.add(chat);
        chat.send("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" + port()
                + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"model\":");

        for (RawHttp.Answer a : List.of(add.answer(), chat.answer())) {
            assertThat(a.status()).isEqualTo(408);
            assertThat(a.code()).isEqualTo("request_timeout");
            assertThat(a.message()).contains("read_timeout_seconds");
        }
        assertThat(gw.registry().size()).isZero();
        Awaitility.await().until(() -> gw.api.bufferedRequestBytes() == 0);
    }

    @Test
    void aStreamedAnswerMayPauseLongerThanTheReadTimeout() throws Exception {
        start(d -> d.withReadTimeout(Duration.ofSeconds(1)));
        CompletableFuture<FakeUpstream.Stream> handed = new CompletableFuture<>();
        try (FakeUpstream up = new FakeUpstream().answer(FakeUpstream.stream(handed))) {
            gw.healthy("gpu-a", up.url(), 1, "llama3");
            CompletableFuture<HttpResponse<String>> answer = java.net.http.HttpClient.newHttpClient()
                    .sendAsync(
                            HttpRequest.newBuilder(URI.create(gw.base + "/v1/chat/completions"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"llama3\",\"stream\":true}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            FakeUpstream.Stream stream = handed.get(10, TimeUnit.SECONDS);
            // a model loading: nothing for longer than the read timeout
            Awaitility.await()
                    .pollDelay(Duration.ofMillis(2500))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> true);
            stream.send("data: {\"ok\":true}\n\n");
            stream.end();

            HttpResponse<String> r = answer.get(10, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("data: {\"ok\":true}");
        }
    }

    @Test
    void beyondTheConnectionLimitNewConnectionsWaitUntilOneCloses() {
        start(d -> d.withMaxConnections(2));
        RawHttp first = new RawHttp(port());
        RawHttp second = new RawHttp(port());
        open.add(first);
        open.add(second);
        // both accepted and kept alive: each answers a request and stays open
        for (RawHttp h : List.of(first, second)) {
            h.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            h.awaitFirstByte();
        }

        RawHttp third = new RawHttp(port());
        open.add(third);
        third.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(third.silentFor(1000)).isTrue();

        first.close();
        RawHttp.Answer a = third.answer();
        assertThat(a.status()).isEqualTo(200);
    }

    @Test
    void jettysOwnErrorsAnswerWithASentenceInOpenAisShape() {
        start(d -> d);
        RawHttp.Answer tooLarge = RawHttp.exchange(
                port(), "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(64 * 1024) + "\r\n\r\n");
        RawHttp.Answer badFraming = RawHttp.exchange(
                port(),
                "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n");

        for (RawHttp.Answer a : List.of(tooLarge, badFraming)) {
            assertThat(a.status()).isBetween(400, 499);
            assertThat(a.headers().get("content-type")).startsWith("application/json");
            assertSentence(a.message());
            assertThat(a.json().path("error").path("type").asText()).isEqualTo("invalid_request_error");
        }
    }
}
