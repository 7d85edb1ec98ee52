package io.nexusmonitor.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.config.NexusConfig;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The web view's static files over real HTTP: content types, caching with ETags, the page's
 * security headers, 404 for anything not bundled (no directory listing, no path traversal), and
 * the front door's rules (Host, token) as they apply to the page.
 */
class WebFilesTest {
    @org.junit.jupiter.api.io.TempDir
    Path stateDir;

    private TestGateway gw;

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    private TestGateway gateway() {
        gw = new TestGateway(stateDir);
        return gw;
    }

    @Test
    void thePageIsServedAtTheRootWithAStrictContentSecurityPolicy() {
        HttpResponse<String> r = Http.get(gateway().base + "/");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(r.body()).contains("<title>Nexus Monitor</title>").contains("type=\"module\"");
        String csp = r.headers().firstValue("content-security-policy").orElseThrow();
        assertThat(csp)
                .contains("default-src 'none'")
                .contains("script-src 'self'")
                .contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline")
                .doesNotContain("unsafe-eval");
        assertThat(r.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("x-frame-options")).hasValue("DENY");
        assertThat(r.headers().firstValue("referrer-policy")).hasValue("no-referrer");
        // no inline script: every <script> names a file of this server
        assertThat(Pattern.compile("<script(?![^>]*\\ssrc=\"/ui/)")
                        .matcher(r.body())
                        .find())
                .isFalse();
    }

    @Test
    void everyFileThePageReferencesIsServedWithItsContentType() {
        String base = gateway().base;
        String html = Http.get(base + "/").body();
        Matcher m = Pattern.compile("(?:src|href)=\"(/ui/[^\"]+)\"").matcher(html);
        int found = 0;
        while (m.find()) {
            found++;
            HttpResponse<String> r = Http.get(base + m.group(1));
            assertThat(r.statusCode()).as(m.group(1)).isEqualTo(200);
            String expected = m.group(1).endsWith(".js")
                    ? "text/javascript; charset=utf-8"
                    : m.group(1).endsWith(".css") ? "text/css; charset=utf-8" : "image/svg+xml";
            assertThat(r.headers().firstValue("content-type")).as(m.group(1)).hasValue(expected);
            assertThat(r.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        }
        assertThat(found).isGreaterThanOrEqualTo(5);
    }

    @Test
    void everyModuleTheScriptsImportIsBundled() throws IOException {
        String base = gateway().base;
        Path dir = Path.of("resources", WebFiles.BASE);
        List<Path> sources;
        try (Stream<Path> files = Files.list(dir)) {
            sources = files.toList();
        }
        Pattern imports = Pattern.compile("from \"\\./([^\"]+)\"");
        for (Path source : sources) {
            String name = source.getFileName().toString();
            assertThat(WebFiles.FILES).as("%s is bundled but not served", name).containsKey(name);
            assertThat(Http.get(base + "/ui/" + name).statusCode()).isEqualTo(200);
            Matcher m = imports.matcher(Files.readString(source));
            while (m.find()) {
                assertThat(WebFiles.FILES).as("%s imports %s", name, m.group(1)).containsKey(m.group(1));
            }
        }
    }

    @Test
    void aMatchingEtagIsAnswered304AndHeadSendsNoBody() {
        String base = gateway().base;
        HttpResponse<String> first = Http.get(base + "/ui/app.js");
        String etag = first.headers().firstValue("etag").orElseThrow();
        assertThat(first.headers().firstValue("cache-control")).hasValue("no-cache");

        HttpResponse<String> again = Http.send("GET", base + "/ui/app.js", null, "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        HttpResponse<String> stale = Http.send("GET", base + "/ui/app.js", null, "If-None-Match", "\"other\"");
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.body()).isEqualTo(first.body());

        RawHttp.Answer head = RawHttp.exchange(
                gw.api.port(), RawHttp.request("HEAD", "/ui/app.js", null, "Host: 127.0.0.1:" + gw.api.port()));
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/ui/", "/ui", "/ui/nope.js", "/ui/index.htm", "/index.html", "/ui/app.js/x"})
    void anythingNotBundledIs404InTheApisShape(String path) {
        HttpResponse<String> r = Http.get(gateway().base + path);

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(Http.json(r).path("error").path("message").asText()).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/ui/../pom.xml",
                "/ui/%2e%2e/pom.xml",
                "/ui/..%2fpom.xml",
                "/ui/..%2f..%2fpom.xml",
                "/ui/%2e%2e%2fapi-token",
                "/ui/..\\pom.xml",
                "/ui//etc/passwd",
                "/ui/%00app.js",
                "/ui/../../io/nexusmonitor/web/app.js",
                "/ui/META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.esm.js"
            })
    void pathTraversalReachesNoOtherFile(String target) {
        int port = gateway().api.port();
        String token = gw.token();
        RawHttp.Answer a = RawHttp.exchange(port, RawHttp.request("GET", target, null, "Host: 127.0.0.1:" + port));

        assertThat(a.status()).as(target).isIn(400, 404);
        assertThat(a.body()).doesNotContain("<project").doesNotContain(token).doesNotContain("root:");
        assertThat(a.headers().get("content-type")).isEqualTo("application/json");
    }

    @Test
    void thePageLoadsWithoutTheTokenWhenReadsAreGuardedButTheDataDoesNot() {
        gw = new TestGateway(
                stateDir,
                NexusConfig.Routing.defaults(),
                s -> s.withDoor(s.door().withGuardReads(true)));

        assertThat(Http.get(gw.base + "/").statusCode()).isEqualTo(200);
        assertThat(Http.get(gw.base + "/ui/app.js").statusCode()).isEqualTo(200);
        assertThat(Http.get(gw.base + "/api/backends").statusCode()).isEqualTo(401);
        assertThat(Http.send("GET", gw.base + "/api/backends", null, gw.auth()).statusCode())
                .isEqualTo(200);
    }

    @Test
    void thePageKeepsTheHostRule() {
        int port = gateway().api.port();
        RawHttp.Answer a =
                RawHttp.exchange(port, RawHttp.request("GET", "/", null, "Host: rebind.evil.example:" + port));

        assertThat(a.status()).isEqualTo(403);
        assertThat(a.body()).contains("host_not_allowed").doesNotContain("<html");
    }

    @Test
    void aCrossSiteRequestForThePageIsRefused() {
        HttpResponse<String> r = Http.send("GET", gateway().base + "/ui/app.js", null, "Sec-Fetch-Site", "cross-site");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("origin_not_allowed");
    }

    @Test
    void changingThePageIsNotAnEndpoint() {
        HttpResponse<String> r = Http.send("POST", gateway().base + "/", "{}", gw.jsonAuth());

        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("allow")).hasValue("GET");
    }

    @Test
    void checkNowNeedsTheTokenAndAnswers202WithTheBackend() {
        var b = gateway().healthy("gpu-box", "http://127.0.0.1:9", 1, "llama3");
        String url = gw.base + "/api/backends/" + b.id() + "/check";

        HttpResponse<String> refused = Http.send("POST", url, "", "Content-Type", "application/json");
        assertThat(refused.statusCode()).isEqualTo(401);
        HttpResponse<String> r = Http.send("POST", url, "", gw.jsonAuth());
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(Http.json(r).path("id").asText()).isEqualTo(b.id());
        assertThat(Http.send("POST", gw.base + "/api/backends/nope/check", "", gw.jsonAuth())
                        .statusCode())
                .isEqualTo(404);
    }
}
