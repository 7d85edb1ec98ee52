package io.nexusmonitor.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A backend's answer headers reach the client only through the allow-list ({@link UpstreamHeaders}):
 * cookies, CORS grants, hop-by-hop and Connection-named headers, forged X-Nexus-* and front-proxy
 * instructions stop at the gateway; content, cache, rate-limit and request-id headers pass.
 */
class GatewayHeaderSecurityTest {
    private static final String CHAT = "{\"model\":\"llama3\",\"messages\":[]}";
    /** What the hostile backend adds to every answer. */
    private static final Map<String, String> HOSTILE = Map.ofEntries(
            Map.entry("Set-Cookie", "session=stolen; Path=/"),
            Map.entry("Access-Control-Allow-Origin", "*"),
            Map.entry("Access-Control-Allow-Credentials", "true"),
            Map.entry("Access-Control-Expose-Headers", "x-secret"),
            Map.entry("X-Secret", "1"),
            Map.entry("Keep-Alive", "timeout=5"),
            Map.entry("Proxy-Authenticate", "Basic realm=x"),
            Map.entry("X-Nexus-Backend", "forged"),
            Map.entry("X-Nexus-Fallback-Model", "forged"),
            Map.entry("X-Accel-Redirect", "/internal/secret"),
            Map.entry("Strict-Transport-Security", "max-age=63072000"),
            Map.entry("Location", "http://127.0.0.1:1/elsewhere"));
    /** What an OpenAI-style server sends and clients rely on. */
    private static final Map<String, String> USEFUL = Map.of(
            "x-request-id", "req-123",
            "x-ratelimit-remaining-requests", "99",
            "x-ratelimit-reset-tokens", "6ms",
            "openai-processing-ms", "12",
            "openai-version", "2020-10-01",
            "Cache-Control", "no-cache",
            "Retry-After", "3");

    @TempDir
    Path stateDir;

    private TestGateway gw;
    private FakeUpstream up;

    @AfterEach
    void stop() throws Exception {
        if (gw != null) {
            gw.close();
        }
        if (up != null) {
            up.close();
        }
    }

    private static void addHeaders(org.eclipse.jetty.server.Response response, String contentType) {
        HttpFields.Mutable h = response.getHeaders();
        h.put(HttpHeader.CONTENT_TYPE, contentType);
        HOSTILE.forEach(h::add);
        USEFUL.forEach(h::add);
        h.add(HttpHeader.CONNECTION, "X-Secret");
    }

    private void start(FakeUpstream.Behaviour behaviour) {
        up = new FakeUpstream().answer(behaviour);
        gw = new TestGateway(stateDir);
        gw.healthy("gpu-a", up.url(), 1, "llama3");
    }

    private HttpResponse<String> chat() {
        return Http.send(HttpRequest.newBuilder(URI.create(gw.base + "/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CHAT)));
    }

    private static void assertOnlyAllowedHeaders(HttpResponse<String> r) {
        assertThat(r.statusCode()).isEqualTo(200);
        for (String name : HOSTILE.keySet()) {
            if (!name.equalsIgnoreCase("X-Nexus-Backend")) {
                assertThat(r.headers().allValues(name)).as(name).isEmpty();
            }
        }
        assertThat(r.headers().map().keySet())
                .noneMatch(k -> k.toLowerCase(Locale.ROOT).startsWith("access-control-"));
        assertThat(r.headers().allValues("x-nexus-backend")).containsExactly("gpu-a");
        assertThat(r.headers().allValues("x-nexus-fallback-model")).isEmpty();
        USEFUL.forEach((name, value) ->
                assertThat(r.headers().allValues(name)).as(name).containsExactly(value));
        assertThat(r.headers().allValues("connection"))
                .noneMatch(v -> v.toLowerCase(Locale.ROOT).contains("x-secret"));
    }

    @Test
    void aPlainAnswerKeepsOnlyTheAllowedHeaders() {
        start((req, response, callback) -> {
            response.setStatus(200);
            addHeaders(response, "application/json");
            Content.Sink.write(response, true, "{\"id\":\"chatcmpl-1\"}", callback);
        });

        HttpResponse<String> r = chat();

        assertOnlyAllowedHeaders(r);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(r.body()).isEqualTo("{\"id\":\"chatcmpl-1\"}");
    }

    @Test
    void aStreamedAnswerKeepsOnlyTheAllowedHeaders() {
        start((req, response, callback) -> {
            response.setStatus(200);
            addHeaders(response, "text/event-stream");
            response.write(
                    false,
                    ByteBuffer.wrap("data: {\"a\":1}\n\n".getBytes(StandardCharsets.UTF_8)),
                    Callback.from(
                            () -> response.write(
                                    true,
                                    ByteBuffer.wrap("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8)),
                                    callback),
                            callback::failed));
        });

        HttpResponse<String> r = chat();

        assertOnlyAllowedHeaders(r);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/event-stream");
        assertThat(r.body()).isEqualTo("data: {\"a\":1}\n\ndata: [DONE]\n\n");
    }

    @Test
    void theClientsCookiesAuthorisationAndHopHeadersDoNotGoUpstream() throws Exception {
        start(FakeUpstream.json(200, "{}"));

        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(gw.base + "/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .header("Cookie", "other-app=secret")
                .header("Authorization", "Bearer user-key")
                .header("X-Private", "1")
                .header("Proxy-Authorization", "Basic eDp5")
                .POST(HttpRequest.BodyPublishers.ofString(CHAT)));

        assertThat(r.statusCode()).isEqualTo(200);
        HttpFields sent = up.next().headers();
        assertThat(sent.get(HttpHeader.ACCEPT)).isEqualTo("text/event-stream");
        assertThat(sent.get(HttpHeader.CONTENT_TYPE)).startsWith("application/json");
        assertThat(sent.get(LoopGuard.HOP_HEADER)).matches("[0-9a-f]{16}");
        for (String name : List.of("Cookie", "Authorization", "X-Private", "Proxy-Authorization")) {
            assertThat(sent.get(name)).as(name).isNull();
        }
    }

    // --- the rule itself, with fields no HTTP stack would alter on the way ------------------------

    @Test
    void headersNamedInConnectionAreDroppedWhateverTheirName() {
        HttpFields.Mutable from = HttpFields.build()
                .add(HttpHeader.CONNECTION, "keep-alive, X-Secret")
                .add(HttpHeader.CONNECTION, "x-ratelimit-limit-requests")
                .add("X-Secret", "1")
                .add("x-ratelimit-limit-requests", "100")
                .add("x-request-id", "r1")
                .add(HttpHeader.CONTENT_TYPE, "application/json")
                .add(HttpHeader.CONTENT_LENGTH, "2");
        HttpFields.Mutable to = HttpFields.build();

        UpstreamHeaders.copyResponse(from, to);

        assertThat(to.getFieldNamesCollection())
                .containsExactlyInAnyOrder("x-request-id", "Content-Type", "Content-Length");
    }

    @Test
    void aClientsAcceptGoesUpstreamUnlessItsConnectionNamesIt() {
        HttpFields.Mutable to = HttpFields.build();
        UpstreamHeaders.copyRequest(
                HttpFields.build()
                        .add(HttpHeader.CONNECTION, "keep-alive")
                        .add(HttpHeader.ACCEPT, "text/event-stream")
                        .add(HttpHeader.COOKIE, "a=1"),
                to);
        assertThat(to.getFieldNamesCollection()).containsExactly("Accept");

        HttpFields.Mutable none = HttpFields.build();
        UpstreamHeaders.copyRequest(
                HttpFields.build().add(HttpHeader.CONNECTION, "Accept").add(HttpHeader.ACCEPT, "text/event-stream"),
                none);
        assertThat(none.size()).isZero();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Set-Cookie",
                "Set-Cookie2",
                "Access-Control-Allow-Origin",
                "Access-Control-Max-Age",
                "Connection",
                "Keep-Alive",
                "Proxy-Connection",
                "Proxy-Authenticate",
                "TE",
                "Trailer",
                "Transfer-Encoding",
                "Upgrade",
                "Server",
                "Date",
                "Location",
                "WWW-Authenticate",
                "Alt-Svc",
                "X-Nexus-Hop",
                "x-nexus-backend",
                "X-Accel-Redirect",
                "X-Sendfile",
                "Strict-Transport-Security",
                "Content-Security-Policy"
            })
    void dropped(String name) {
        HttpFields.Mutable to = HttpFields.build();
        UpstreamHeaders.copyResponse(HttpFields.build().add(name, "v"), to);
        assertThat(to.size()).as(name).isZero();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Content-Type",
                "Content-Length",
                "Content-Encoding",
                "Content-Language",
                "Cache-Control",
                "Expires",
                "ETag",
                "Last-Modified",
                "Vary",
                "Retry-After",
                "x-request-id",
                "X-Request-ID",
                "x-ratelimit-remaining-tokens",
                "openai-processing-ms",
                "openai-organization",
                "openai-version",
                "X-Content-Type-Options"
            })
    void passed(String name) {
        HttpFields.Mutable to = HttpFields.build();
        UpstreamHeaders.copyResponse(HttpFields.build().add(name, "1"), to);
        assertThat(to.get(name)).as(name).isEqualTo("1");
    }
}
