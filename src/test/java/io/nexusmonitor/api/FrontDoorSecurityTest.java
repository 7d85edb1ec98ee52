package io.nexusmonitor.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.Backend;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacks a web page can make on a loopback API (issue 11): a cross-origin simple POST, a
 * DNS-rebinding Host, HTTP/1.0 without Host, an absolute-form target, a refused preflight. Each
 * asserts the refusal and that nothing changed: the registry, pins.json, the backend's traffic.
 */
class FrontDoorSecurityTest {
    private static final String EVIL = "http://evil.example";
    private static final String ALLOWED_ORIGIN = "http://localhost:3000";

    @TempDir
    Path stateDir;

    private TestGateway gw;
    private FakeUpstream upstream;
    private Backend pinned;
    private byte[] pinsBefore;

    @BeforeEach
    void start() throws IOException {
        upstream = new FakeUpstream().answer(FakeUpstream.json(200, "{\"id\":\"chatcmpl-1\"}"));
        gw = new TestGateway(
                stateDir,
                NexusConfig.Routing.defaults(),
                s -> s.withDoor(
                        s.door().withAllowedHosts(List.of("nexus.lan")).withAllowedOrigins(List.of(ALLOWED_ORIGIN))));
        pinned = gw.healthy("gpu-box", upstream.url(), 1, "llama3");
        assertThat(Http.send("POST", gw.base + "/api/backends/" + pinned.id() + "/pin", null, gw.jsonAuth())
                        .statusCode())
                .isEqualTo(200);
        Awaitility.await().until(() -> Files.exists(pins()));
        pinsBefore = Files.readAllBytes(pins());
    }

    @AfterEach
    void stop() throws Exception {
        gw.close();
        upstream.close();
    }

    private Path pins() {
        return stateDir.resolve("pins.json");
    }

    private int port() {
        return gw.api.port();
    }

    private void assertNothingChanged() throws IOException {
        assertThat(gw.registry().all()).extracting(Backend::id).containsExactly(pinned.id());
        assertThat(gw.get(pinned.id()).pinned()).isTrue();
        assertThat(Files.readAllBytes(pins())).isEqualTo(pinsBefore);
        assertThat(upstream.requestCount()).isZero();
    }

    @Test
    void crossOriginSimplePostToAddIsRefusedAndNothingChanges() throws IOException {
        HttpResponse<String> r = Http.send(
                "POST",
                gw.base + "/api/backends",
                "{\"url\":\"http://127.0.0.1:9999\",\"priority\":0}",
                "Origin",
                EVIL,
                "Content-Type",
                "text/plain");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(Http.json(r).path("error").path("code").asText()).isEqualTo("origin_not_allowed");
        assertThat(r.headers().firstValue("access-control-allow-origin")).isEmpty();
        assertNothingChanged();
    }

    @Test
    void crossOriginRequestsAreRefusedEvenWithTheTokenAndJson() throws IOException {
        String[] headers = {"Origin", EVIL, "Authorization", "Bearer " + gw.token(), "Content-Type", "application/json"
        };

        assertThat(Http.send("POST", gw.base + "/api/backends/" + pinned.id() + "/unpin", null, headers)
                        .statusCode())
                .isEqualTo(403);
        assertThat(Http.send("DELETE", gw.base + "/api/backends/" + pinned.id(), null, headers)
                        .statusCode())
                .isEqualTo(403);
        assertThat(Http.send("POST", gw.base + "/v1/chat/completions", "{\"model\":\"llama3\"}", headers)
                        .statusCode())
                .isEqualTo(403);
        assertThat(Http.send("GET", gw.base + "/api/backends", null, "Origin", EVIL)
                        .statusCode())
                .isEqualTo(403);
        assertNothingChanged();
    }

    @Test
    void crossSiteFetchWithoutOriginIsRefused() throws IOException {
        HttpResponse<String> r = Http.send("GET", gw.base + "/api/backends", null, "Sec-Fetch-Site", "cross-site");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(Http.json(r).path("error").path("code").asText()).isEqualTo("origin_not_allowed");
        assertNothingChanged();
    }

    @Test
    void aTextPlainChangeWithoutOriginIsRefusedWith415() throws IOException {
        HttpResponse<String> add = Http.send(
                "POST",
                gw.base + "/api/backends",
                "{\"url\":\"http://127.0.0.1:9999\"}",
                "Authorization",
                "Bearer " + gw.token(),
                "Content-Type",
                "text/plain");
        HttpResponse<String> unpin =
                Http.send("POST", gw.base + "/api/backends/" + pinned.id() + "/unpin", null, gw.auth());

        assertThat(add.statusCode()).isEqualTo(415);
        assertThat(Http.json(add).path("error").path("code").asText()).isEqualTo("unsupported_media_type");
        assertThat(Http.json(add).path("error").path("message").asText()).contains("application/json");
        assertThat(unpin.statusCode()).isEqualTo(415);
        assertNothingChanged();
    }

    @Test
    void rebindingHostIsRefusedOnReadsChangesAndTheGateway() throws IOException {
        String host = "Host: rebind.evil.example:" + port();
        String auth = "Authorization: Bearer " + gw.token();

        RawHttp.Answer list = RawHttp.exchange(port(), RawHttp.request("GET", "/api/backends", null, host));
        RawHttp.Answer delete =
                RawHttp.exchange(port(), RawHttp.request("DELETE", "/api/backends/" + pinned.id(), null, host, auth));
        RawHttp.Answer unpin = RawHttp.exchange(
                port(),
                RawHttp.request(
                        "POST",
                        "/api/backends/" + pinned.id() + "/unpin",
                        "",
                        host,
                        auth,
                        "Content-Type: application/json"));
        RawHttp.Answer chat = RawHttp.exchange(
                port(),
                RawHttp.request(
                        "POST",
                        "/v1/chat/completions",
                        "{\"model\":\"llama3\",\"messages\":[]}",
                        host,
                        "Content-Type: application/json"));
        RawHttp.Answer events = RawHttp.exchange(port(), RawHttp.request("GET", "/api/events", null, host));

        for (RawHttp.Answer a : List.of(list, delete, unpin, chat, events)) {
            assertThat(a.status()).isEqualTo(403);
            assertThat(a.code()).isEqualTo("host_not_allowed");
            assertThat(a.message()).contains("rebind.evil.example").doesNotContain("gpu-box");
        }
        assertNothingChanged();
    }

    @Test
    void http10WithoutHostIsRefused() throws IOException {
        RawHttp.Answer a = RawHttp.exchange(port(), "GET /api/backends HTTP/1.0\r\n\r\n");

        assertThat(a.status()).isEqualTo(403);
        assertThat(a.code()).isEqualTo("host_not_allowed");
        assertThat(a.message()).contains("no Host header");
        assertNothingChanged();
    }

    @Test
    void absoluteFormTargetWithAForeignHostIsRefused() throws IOException {
        String own = "Host: 127.0.0.1:" + port();
        RawHttp.Answer get = RawHttp.exchange(
                port(), RawHttp.request("GET", "http://rebind.evil.example:" + port() + "/api/backends", null, own));
        RawHttp.Answer delete = RawHttp.exchange(
                port(),
                RawHttp.request(
                        "DELETE",
                        "http://rebind.evil.example/api/backends/" + pinned.id(),
                        null,
                        own,
                        "Authorization: Bearer " + gw.token()));
        RawHttp.Answer bothForeign = RawHttp.exchange(
                port(),
                RawHttp.request("GET", "http://rebind.evil.example/api/backends", null, "Host: rebind.evil.example"));
        RawHttp.Answer ownTargetForeignHost = RawHttp.exchange(
                port(),
                RawHttp.request(
                        "GET", "http://127.0.0.1:" + port() + "/api/backends", null, "Host: rebind.evil.example"));

        for (RawHttp.Answer a : List.of(get, delete, bothForeign, ownTargetForeignHost)) {
            assertThat(a.status()).as(a.body()).isEqualTo(403);
            assertThat(a.code()).isEqualTo("host_not_allowed");
        }
        assertThat(RawHttp.exchange(
                                port(),
                                RawHttp.request("GET", "http://127.0.0.1:" + port() + "/api/backends", null, own))
                        .status())
                .isEqualTo(200);
        assertNothingChanged();
    }

    @Test
    void loopbackNamesTheBindAddressAndAllowedHostsAreServed() {
        for (String host : List.of(
                "localhost:" + port(),
                "127.0.0.1:" + port(),
                "[::1]:" + port(),
                "127.0.0.1",
                "LOCALHOST",
                "nexus.lan:" + port(),
                "nexus.lan")) {
            RawHttp.Answer a = RawHttp.exchange(port(), RawHttp.request("GET", "/api/backends", null, "Host: " + host));
            assertThat(a.status()).as(host).isEqualTo(200);
        }
    }

    @Test
    void anAllowedNameOnAnotherPortIsRefused() {
        int other = port() == 1 ? 2 : port() - 1;
        RawHttp.Answer a =
                RawHttp.exchange(port(), RawHttp.request("GET", "/api/backends", null, "Host: localhost:" + other));

        assertThat(a.status()).isEqualTo(403);
        assertThat(a.code()).isEqualTo("host_not_allowed");
    }

    @Test
    void aPreflightFromAnAllowedOriginIsAnswered204WithCorsHeaders() {
        HttpResponse<String> r = Http.send(
                "OPTIONS",
                gw.base + "/api/backends",
                null,
                "Origin",
                ALLOWED_ORIGIN,
                "Access-Control-Request-Method",
                "POST",
                "Access-Control-Request-Headers",
                "authorization, content-type");

        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue(ALLOWED_ORIGIN);
        assertThat(r.headers().allValues("vary")).anyMatch(v -> v.contains("Origin"));
        assertThat(r.headers().firstValue("access-control-allow-methods").orElse(""))
                .contains("POST", "DELETE");
        assertThat(r.headers().firstValue("access-control-allow-headers").orElse(""))
                .contains("Authorization", "Content-Type");
    }

    @Test
    void aPreflightFromAnotherOriginIsRefusedWithoutCorsHeaders() throws IOException {
        HttpResponse<String> r = Http.send(
                "OPTIONS", gw.base + "/api/backends", null, "Origin", EVIL, "Access-Control-Request-Method", "POST");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(Http.json(r).path("error").path("code").asText()).isEqualTo("origin_not_allowed");
        assertThat(r.headers().firstValue("access-control-allow-origin")).isEmpty();
        assertThat(r.headers().firstValue("access-control-allow-methods")).isEmpty();
        assertNothingChanged();
    }

    @Test
    void anAllowedOriginAndTheServersOwnOriginGetAnswersWithCorsHeaders() {
        String own = "http://127.0.0.1:" + port();
        for (String origin : List.of(ALLOWED_ORIGIN, own)) {
            HttpResponse<String> r = Http.send("GET", gw.base + "/api/backends", null, "Origin", origin);
            assertThat(r.statusCode()).as(origin).isEqualTo(200);
            assertThat(r.headers().firstValue("access-control-allow-origin"))
                    .as(origin)
                    .hasValue(origin);
        }
        HttpResponse<String> add = Http.send(
                "POST",
                gw.base + "/api/backends",
                "{\"url\":\"http://127.0.0.1:9998\"}",
                "Origin",
                ALLOWED_ORIGIN,
                "Authorization",
                "Bearer " + gw.token(),
                "Content-Type",
                "application/json");
        assertThat(add.statusCode()).isEqualTo(201);
    }

    @Test
    void requestsWithoutOriginWorkAsBefore() {
        HttpResponse<String> r = Http.get(gw.base + "/api/backends");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("access-control-allow-origin")).isEmpty();
        assertThat(Http.send(
                                "POST",
                                gw.base + "/v1/chat/completions",
                                "{\"model\":\"llama3\"}",
                                "Content-Type",
                                "application/json")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void eachRefusedHostIsLoggedOnceAndAFloodOfNamesIsCut() {
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
                new ch.qos.logback.core.read.ListAppender<>();
        logs.start();
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(HostAllowList.class);
        logger.addAppender(logs);
        try {
            for (int i = 0; i < 3; i++) {
                RawHttp.exchange(port(), RawHttp.request("GET", "/health", null, "Host: rebind.evil.example"));
            }
            assertThat(logs.list)
                    .filteredOn(e -> e.getFormattedMessage().contains("rebind.evil.example"))
                    .hasSize(1);

            for (int i = 0; i < 300; i++) {
                RawHttp.exchange(port(), RawHttp.request("GET", "/health", null, "Host: n" + i + ".evil.example"));
            }
            assertThat(logs.list).hasSizeLessThanOrEqualTo(258);
            assertThat(logs.list)
                    .last()
                    .extracting(e -> e.getFormattedMessage())
                    .asString()
                    .contains("further ones are not logged");
        } finally {
            logger.detachAppender(logs);
        }
    }

    @Test
    void onAWildcardBindTheMachinesOwnAddressesAreAllowedAsHost() throws Exception {
        // listens on 0.0.0.0, but the test only ever connects to 127.0.0.1; the Host values are data
        try (TestGateway wild =
                new TestGateway(stateDir.resolve("wild"), NexusConfig.Routing.defaults(), s -> s.withHost("0.0.0.0"))) {
            int p = wild.api.port();
            String own = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                    .flatMap(ni -> java.util.Collections.list(ni.getInetAddresses()).stream())
                    .filter(a -> a instanceof java.net.Inet4Address)
                    .map(java.net.InetAddress::getHostAddress)
                    .filter(a -> !a.startsWith("127."))
                    .findFirst()
                    .orElse("127.0.0.1");

            assertThat(RawHttp.exchange(p, RawHttp.request("GET", "/health", null, "Host: " + own + ":" + p))
                            .status())
                    .as(own)
                    .isEqualTo(200);
            RawHttp.Answer foreign =
                    RawHttp.exchange(p, RawHttp.request("GET", "/health", null, "Host: 203.0.113.7:" + p));
            assertThat(foreign.status()).isEqualTo(403);
            assertThat(RawHttp.exchange(p, RawHttp.request("GET", "/health", null, "Host: 0.0.0.0:" + p))
                            .status())
                    .isEqualTo(403);
        }
    }
}
