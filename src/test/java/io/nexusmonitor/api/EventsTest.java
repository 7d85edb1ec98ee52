package io.nexusmonitor.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.ModelInfo;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path stateDir;

    private TestGateway gw;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private Stream<String> stream;

    @AfterEach
    void stop() {
        if (stream != null) {
            stream.close();
        }
        gw.close();
    }

    private void subscribe() throws Exception {
        HttpResponse<Stream<String>> r = HttpClient.newHttpClient()
                .sendAsync(
                        HttpRequest.newBuilder(URI.create(gw.base + "/api/events"))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofLines())
                .get(10, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        stream = r.body();
        CompletableFuture.runAsync(() -> stream.forEach(lines::add));
        await().atMost(PATIENCE).until(() -> lines.contains(": connected"));
    }

    /** The events received so far as (id, kind, backend id), parsed from the SSE lines. */
    private List<String[]> events() {
        List<String[]> out = new ArrayList<>();
        String id = null;
        String kind = null;
        for (String l : lines) {
            if (l.startsWith("id: ")) {
                id = l.substring(4);
            } else if (l.startsWith("event: ")) {
                kind = l.substring(7);
            } else if (l.startsWith("data: ") && "resync".equals(kind)) {
                kind = null; // the full list, not one backend's change
            } else if (l.startsWith("data: ") && kind != null) {
                String data = l.substring(6);
                String backendId = Http.json(new FakeBody(data)).path("id").asText();
                out.add(new String[] {id, kind, backendId});
                id = null;
                kind = null;
            }
        }
        return out;
    }

    @Test
    void aNewClientFirstGetsTheFullListThenOnlyChanges() throws Exception {
        gw = new TestGateway(stateDir);
        Backend before = gw.healthy("gpu-a", "http://127.0.0.1:9001", 1, "llama3");
        subscribe();
        await().atMost(PATIENCE)
                .until(() -> lines.contains("event: resync") && lines.size() > lines.indexOf("event: resync") + 1);
        String data = lines.get(lines.indexOf("event: resync") + 1);
        assertThat(data).startsWith("data: ");
        JsonNode list = Http.json(new FakeBody(data.substring(6))).path("backends");
        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("id").asText()).isEqualTo(before.id());
        assertThat(list.get(0).path("status").asText()).isEqualTo("healthy");

        Backend after = gw.healthy("gpu-b", "http://127.0.0.1:9002", 1, "llama3");
        await().atMost(PATIENCE).until(() -> events().stream().anyMatch(e -> e[2].equals(after.id())));
        assertThat(events()).extracting(e -> e[2]).doesNotContain(before.id());
        assertThat(lines.stream().filter("event: resync"::equals)).hasSize(1);
    }

    @Test
    void everyChangeArrivesAsANamedEventWithTheBackendJson() throws Exception {
        gw = new TestGateway(stateDir);
        subscribe();

        Backend b = gw.healthy("gpu-a", "http://127.0.0.1:9001", 1, "llama3");
        gw.registry()
                .update(
                        b.id(),
                        "goodbye",
                        x -> x.withGraceDeadline(Instant.now().plusSeconds(60)));
        gw.registry().update(b.id(), "found again", x -> x.withGraceDeadline(null));
        gw.registry().update(b.id(), "renamed", x -> x.withName("gpu-a2"));
        gw.registry().remove(b.id(), "removed by user");

        await().atMost(PATIENCE).until(() -> events().size() == 6);
        assertThat(events())
                .extracting(e -> e[1])
                .containsExactly(
                        "backend_added",
                        "status_changed",
                        "grace_started",
                        "grace_cancelled",
                        "backend_updated",
                        "backend_removed");
        assertThat(events()).extracting(e -> e[2]).containsOnly(b.id());
        assertThat(lines)
                .anySatisfy(l -> assertThat(l).startsWith("data: {\"id\":\"" + b.id() + "\",\"name\":\"gpu-a2\""));
    }

    @Test
    void eventsStayInOrderUnderConcurrentChanges() throws Exception {
        gw = new TestGateway(stateDir);
        subscribe();
        int threads = 4;
        int perThread = 25;
        CyclicBarrier go = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < perThread; i++) {
                    Backend b = gw.healthy(
                            "t" + thread + "-" + i, "http://127.0.0.1:" + (10000 + thread * 1000 + i), 1, "m");
                    gw.registry()
                            .update(
                                    b.id(),
                                    "more models",
                                    x -> x.withModels(List.of(ModelInfo.of("m"), ModelInfo.of("n"))));
                    gw.registry().remove(b.id(), "gone");
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        int expected = threads * perThread * 4; // added, status_changed (healthy), updated (models), removed
        await().atMost(PATIENCE).until(() -> events().size() == expected);
        List<String[]> events = events();
        long last = 0;
        Map<String, List<String>> perBackend = new HashMap<>();
        for (String[] e : events) {
            long seq = Long.parseLong(e[0]);
            assertThat(seq).isGreaterThan(last);
            last = seq;
            perBackend.computeIfAbsent(e[2], k -> new ArrayList<>()).add(e[1]);
        }
        assertThat(perBackend).hasSize(threads * perThread);
        assertThat(perBackend.values())
                .allSatisfy(kinds -> assertThat(kinds)
                        .containsExactly("backend_added", "status_changed", "backend_updated", "backend_removed"));
    }

    @Test
    void quietStreamsGetAHeartbeatComment() throws Exception {
        gw = new TestGateway(stateDir, NexusConfig.Routing.defaults(), s -> s.withHeartbeat(Duration.ofMillis(200)));
        subscribe();
        await().atMost(PATIENCE).until(() -> lines.contains(": heartbeat"));
    }

    @Test
    void defaultHeartbeatIsFifteenSeconds() {
        gw = new TestGateway(stateDir);
        assertThat(gw.api.settings().heartbeat()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void aClientThatFallsBehindGetsAResyncWithTheFullListAndNeverBlocksTheRegistry() throws Exception {
        gw = new TestGateway(stateDir, NexusConfig.Routing.defaults(), s -> s.withEventBuffer(4));
        Backend b = gw.healthy("busy", "http://127.0.0.1:9001", 1, "m");
        URI base = URI.create(gw.base);
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096); // small, so the server's writes stall early
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", base.getPort()), 10_000);
            socket.setSoTimeout(20_000);
            socket.getOutputStream()
                    .write("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            await().atMost(PATIENCE).until(() -> gw.api.eventSubscribers() == 1);

            // the client reads nothing meanwhile: the socket buffers fill and the subscriber's queue overflows;
            // the registry must carry on regardless
            for (int i = 0; i < 100_000; i++) {
                int n = i;
                gw.registry().update(b.id(), "flap", x -> x.withName("busy-" + n));
            }

            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line;
            int resyncs = 0; // the first one is every client's initial list
            boolean resync = false;
            while ((line = in.readLine()) != null) {
                if (line.equals("event: resync") && ++resyncs == 2) {
                    resync = true;
                }
                if (resync && line.startsWith("data: ")) {
                    assertThat(Http.json(new FakeBody(line.substring(6)))
                                    .path("backends")
                                    .get(0)
                                    .path("id")
                                    .asText())
                            .isEqualTo(b.id());
                    break;
                }
            }
            assertThat(resync).isTrue();
        }
        assertThat(gw.get(b.id()).name()).isEqualTo("busy-99999");
    }

    @Test
    void disconnectedClientsAreForgotten() throws Exception {
        gw = new TestGateway(stateDir, NexusConfig.Routing.defaults(), s -> s.withHeartbeat(Duration.ofMillis(100)));
        subscribe();
        assertThat(gw.api.eventSubscribers()).isEqualTo(1);

        stream.close();
        stream = null;

        await().atMost(PATIENCE).until(() -> gw.api.eventSubscribers() == 0);
    }

    /** Lets {@link Http#json} parse a string that did not come from an HTTP response. */
    private record FakeBody(String body) implements HttpResponse<String> {
        @Override
        public int statusCode() {
            return 200;
        }

        @Override
        public HttpRequest request() {
            return null;
        }

        @Override
        public java.util.Optional<HttpResponse<String>> previousResponse() {
            return java.util.Optional.empty();
        }

        @Override
        public java.net.http.HttpHeaders headers() {
            return java.net.http.HttpHeaders.of(Map.of(), (a, b) -> true);
        }

        @Override
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
            return java.util.Optional.empty();
        }

        @Override
        public URI uri() {
            return null;
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
