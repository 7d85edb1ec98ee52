package io.nexusmonitor.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.app.EngineOptions;
import io.nexusmonitor.app.NexusEngine;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.metrics.NexusMetrics;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a non-loopback bind, changes need the token. The server binds 0.0.0.0 (which makes it
 * non-loopback) but the test only ever connects through 127.0.0.1, so traffic stays on loopback.
 */
class SecurityTest {
    @TempDir
    Path stateDir;

    private NexusEngine engine;
    private ApiServer api;
    private String base;

    private void start(String token) {
        NexusConfig config = io.nexusmonitor.api.TestConfigs.quiet();
        engine = new NexusEngine(config, new EngineOptions(stateDir, false));
        engine.start();
        ApiSettings s = ApiSettings.from(config.server()).withHost("0.0.0.0").withApiToken(token);
        api = new ApiServer(engine, s, config.routing(), new NexusMetrics(engine.registry())).start();
        base = "http://127.0.0.1:" + api.port();
    }

    @AfterEach
    void stop() {
        api.close();
        engine.close();
    }

    private HttpResponse<String> add(String... headers) {
        String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = "Content-Type";
        all[headers.length + 1] = "application/json";
        return Http.send("POST", base + "/api/backends", "{\"url\":\"http://127.0.0.1:8085\"}", all);
    }

    @Test
    void withoutAConfiguredTokenChangesAreRefusedWith403SayingHowToSetOne() {
        start(null);

        HttpResponse<String> r = add("Authorization", "Bearer anything");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(Http.json(r).path("error").path("message").asText()).contains("api_token", "[server]");
        assertThat(Http.json(r).path("error").path("code").asText()).isEqualTo("mutations_disabled");
        assertThat(Http.send("DELETE", base + "/api/backends/x", null).statusCode())
                .isEqualTo(403);
        assertThat(Http.send("POST", base + "/api/backends/x/pin", null).statusCode())
                .isEqualTo(403);
        assertThat(Http.send("POST", base + "/api/backends/x/unpin", null).statusCode())
                .isEqualTo(403);
        assertThat(engine.registry().size()).isZero();
    }

    @Test
    void withATokenChangesNeedTheRightBearer() {
        start("s3cret");

        assertThat(add().statusCode()).isEqualTo(401);
        assertThat(add("Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(add("Authorization", "Basic czNjcmV0").statusCode()).isEqualTo(401);
        assertThat(engine.registry().size()).isZero();

        assertThat(add("Authorization", "Bearer s3cret").statusCode()).isEqualTo(201);
        assertThat(engine.registry().size()).isEqualTo(1);
    }

    @Test
    void readsNeedTheTokenOnANonLoopbackBindButHealthStaysOpen() {
        start("s3cret");

        assertThat(Http.get(base + "/api/backends").statusCode()).isEqualTo(401);
        assertThat(Http.get(base + "/v1/models").statusCode()).isEqualTo(401);
        assertThat(Http.get(base + "/metrics").statusCode()).isEqualTo(401);
        assertThat(Http.send("POST", base + "/v1/chat/completions", "{\"model\":\"m\"}")
                        .statusCode())
                .isEqualTo(401);
        assertThat(Http.get(base + "/health").statusCode()).isEqualTo(200);
        assertThat(Http.send("GET", base + "/api/backends", null, "Authorization", "Bearer s3cret")
                        .statusCode())
                .isEqualTo(200);
    }
}
