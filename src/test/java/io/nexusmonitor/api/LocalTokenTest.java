package io.nexusmonitor.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.Backend;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Changes need the local token even on loopback; the engine writes it into the state dir on its
 * first start; {@code [server] api_token} replaces it; {@code guard_reads} extends it to reads.
 */
class LocalTokenTest {
    private static final String ADD = "{\"url\":\"http://127.0.0.1:9997\"}";

    @TempDir
    Path stateDir;

    private TestGateway gw;

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    private HttpResponse<String> add(String... auth) {
        String[] headers = java.util.Arrays.copyOf(auth, auth.length + 2);
        headers[auth.length] = "Content-Type";
        headers[auth.length + 1] = "application/json";
        return Http.send("POST", gw.base + "/api/backends", ADD, headers);
    }

    @Test
    void theFirstStartWritesAnOwnerOnlyTokenFileThatTheNextStartReuses() throws IOException {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        try {
            gw = new TestGateway(stateDir);
        } finally {
            root.detachAppender(logs);
        }
        Path file = stateDir.resolve("api-token");
        String token = Files.readString(file).trim();

        assertThat(token).hasSizeGreaterThanOrEqualTo(40).isEqualTo(gw.token());
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
        }
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).noneMatch(m -> m.contains(token));
        assertThat(stateDir).isDirectoryNotContaining("glob:**.tmp");

        gw.close();
        gw = new TestGateway(stateDir);
        assertThat(gw.token()).isEqualTo(token);
    }

    @Test
    void changesOnLoopbackNeedTheTokenAndRefusalsChangeNothing() throws IOException {
        gw = new TestGateway(stateDir);
        Backend b = gw.healthy("gpu-box", "http://127.0.0.1:9996", 1, "llama3");

        HttpResponse<String> none = add();
        HttpResponse<String> wrong = add("Authorization", "Bearer not-the-token-at-all");
        HttpResponse<String> basic = add("Authorization", "Basic " + gw.token());
        HttpResponse<String> pin = Http.send(
                "POST", gw.base + "/api/backends/" + b.id() + "/pin", null, "Content-Type", "application/json");
        HttpResponse<String> delete = Http.send("DELETE", gw.base + "/api/backends/" + b.id(), null);

        for (HttpResponse<String> r : List.of(none, wrong, basic, pin, delete)) {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("www-authenticate")).hasValue("Bearer");
            assertThat(Http.json(r).path("error").path("code").asText()).isEqualTo("invalid_api_key");
            assertThat(Http.json(r).path("error").path("message").asText())
                    .contains("api-token")
                    .doesNotContain(stateDir.toString())
                    .doesNotContain(gw.token());
        }
        assertThat(gw.registry().all()).extracting(Backend::id).containsExactly(b.id());
        assertThat(gw.get(b.id()).pinned()).isFalse();
        assertThat(stateDir.resolve("pins.json")).doesNotExist();

        assertThat(add(gw.auth()).statusCode()).isEqualTo(201);
        assertThat(Http.send("POST", gw.base + "/api/backends/" + b.id() + "/pin", null, gw.jsonAuth())
                        .statusCode())
                .isEqualTo(200);
        Awaitility.await().until(() -> Files.exists(stateDir.resolve("pins.json")));
        assertThat(gw.registry().size()).isEqualTo(2);
    }

    @Test
    void readsStayOpenOnLoopbackByDefault() {
        gw = new TestGateway(stateDir);

        assertThat(Http.get(gw.base + "/api/backends").statusCode()).isEqualTo(200);
        assertThat(Http.get(gw.base + "/metrics").statusCode()).isEqualTo(200);
        assertThat(Http.get(gw.base + "/v1/models").statusCode()).isEqualTo(200);
    }

    @Test
    void aConfiguredApiTokenIsUsedInsteadOfTheFile() throws IOException {
        NexusConfig q = TestConfigs.quiet();
        NexusConfig config = q.withServer(new NexusConfig.Server(q.server().host(), 0, 300, "configured-secret-123"));
        gw = new TestGateway(stateDir, config);

        assertThat(stateDir.resolve("api-token")).doesNotExist();
        assertThat(add("Authorization", "Bearer configured-secret-123").statusCode())
                .isEqualTo(201);
        Files.writeString(stateDir.resolve("api-token"), "a-stale-file-token-0123456789\n");
        assertThat(add("Authorization", "Bearer a-stale-file-token-0123456789").statusCode())
                .isEqualTo(401);
    }

    @Test
    void guardReadsPutsReadsEventsMetricsAndTheGatewayBehindTheTokenButNotHealth() {
        gw = new TestGateway(
                stateDir,
                NexusConfig.Routing.defaults(),
                s -> s.withDoor(s.door().withGuardReads(true)));

        for (String path : List.of("/api/backends", "/api/backends/x", "/v1/models", "/metrics", "/api/events")) {
            HttpResponse<String> r = Http.get(gw.base + path);
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(Http.json(r).path("error").path("message").asText())
                    .as(path)
                    .contains("guard_reads");
        }
        assertThat(Http.send(
                                "POST",
                                gw.base + "/v1/chat/completions",
                                "{\"model\":\"m\"}",
                                "Content-Type",
                                "application/json")
                        .statusCode())
                .isEqualTo(401);
        assertThat(Http.get(gw.base + "/health").statusCode()).isEqualTo(200);

        assertThat(Http.send("GET", gw.base + "/api/backends", null, gw.auth()).statusCode())
                .isEqualTo(200);
        assertThat(Http.send("GET", gw.base + "/metrics", null, gw.auth()).statusCode())
                .isEqualTo(200);
        assertThat(Http.send("POST", gw.base + "/v1/chat/completions", "{\"model\":\"m\"}", gw.jsonAuth())
                        .statusCode())
                .isEqualTo(404); // past the guard: no such model
    }
}
