package io.nexusmonitor.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.nexusmonitor.api.Http;
import io.nexusmonitor.api.TestConfigs;
import io.nexusmonitor.app.EngineOptions;
import io.nexusmonitor.app.NexusEngine;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.testing.FakeBackend;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web view in a real browser (Debian's headless Chromium) against a running engine on
 * loopback with fake Ollama servers: it shows the engine's backends, follows additions and status
 * changes live, ticks the grace countdown, refuses changes without the token (showing the API's
 * sentence) and makes them with it, tells when the engine is gone, and a page of another origin
 * cannot change anything through it. Skipped only where chromium or chromedriver is missing.
 */
class WebViewBrowserTest {
    /** Generous: the "within a second" on a loaded 2-core CI box, never a timing assertion. */
    private static final Duration WAIT = Duration.ofSeconds(8);

    private static Chromium browser;

    @TempDir
    Path stateDir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private NexusEngine engine;
    private String base;

    @BeforeAll
    static void startBrowser() {
        Chromium.assumeInstalled();
        browser = new Chromium(1400, 900);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    private FakeBackend ollama(String... models) {
        FakeBackend b = FakeBackend.ollama().models(models).loaded(models[0]);
        open.add(b);
        return b;
    }

    /** An engine serving its API on 127.0.0.1 (port chosen), health checks on, discovery off. */
    private void startEngine(NexusConfig.StaticBackend... backends) {
        startEngine(false, backends);
    }

    private void startEngine(boolean guardReads, NexusConfig.StaticBackend... backends) {
        NexusConfig q = TestConfigs.quiet(backends);
        NexusConfig config = q.withHealthCheck(q.healthCheck().withEnabled(true));
        if (guardReads) {
            NexusConfig.Server s = config.server();
            config = config.withServer(new NexusConfig.Server(
                    s.host(),
                    s.port(),
                    s.requestTimeoutSeconds(),
                    s.apiToken(),
                    s.allowedHosts(),
                    s.allowedOrigins(),
                    true,
                    s.readTimeoutSeconds(),
                    s.maxConnections(),
                    s.maxBufferedRequestMb()));
        }
        engine = new NexusEngine(config, new EngineOptions(stateDir, true));
        engine.start();
        base = Objects.requireNonNull(engine.status().apiAddress());
    }

    private String token() throws IOException {
        return Files.readString(stateDir.resolve("api-token")).trim();
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser.driver, WAIT);
    }

    private void openPage() {
        browser.driver.get(base + "/");
        waiting().until(d -> "live".equals(d.findElement(By.tagName("body")).getDomAttribute("data-connection")));
    }

    private WebElement row(String id) {
        return waiting()
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#rows tr[data-id='" + id + "']")));
    }

    private Backend byName(String name) {
        return engine.registry().all().stream()
                .filter(b -> b.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private String notice() {
        return waiting()
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("notice-text")))
                .getText();
    }

    @Test
    void showsTheBackendsOfARunningEngineWithTheirModelsAndHealth() {
        FakeBackend gpu = ollama("llama3:8b", "qwen2:7b");
        FakeBackend laptop = ollama("mistral:7b");
        startEngine(
                new NexusConfig.StaticBackend("gpu-box", gpu.url(), BackendType.OLLAMA, 1, "nexus.toml:10"),
                new NexusConfig.StaticBackend("laptop", laptop.url(), BackendType.OLLAMA, 2, "nexus.toml:15"));
        openPage();

        WebElement gpuRow = row(byName("gpu-box").id());
        waiting().until(d -> "healthy".equals(gpuRow.getDomAttribute("data-status")));
        assertThat(gpuRow.getText()).contains("gpu-box", gpu.url(), "ollama", "static", "pinned", "0 busy");
        assertThat(gpuRow.findElements(By.cssSelector(".model.loaded")))
                .extracting(WebElement::getText)
                .containsExactly("llama3:8b");
        assertThat(gpuRow.findElements(By.cssSelector(".model"))).hasSize(2);
        WebElement laptopRow = row(byName("laptop").id());
        waiting().until(d -> "healthy".equals(laptopRow.getDomAttribute("data-status")));
        assertThat(laptopRow.findElement(By.cssSelector(".latency")).getText()).endsWith(" ms");
        assertThat(browser.driver.findElement(By.id("summary")).getText()).contains("2 / 2 healthy");
        // the strict CSP blocked nothing the page needs (uPlot included)
        assertThat(browser.driver.findElement(By.tagName("body")).getDomAttribute("data-csp-violations"))
                .isEqualTo("0");
        assertThat(browser.driver.executeScript("return typeof window.uPlot")).isEqualTo("function");

        // the details panel: every field and the history of the selected backend
        gpuRow.click();
        WebElement details = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("details")));
        assertThat(details.findElement(By.id("details-title")).getText()).isEqualTo("gpu-box");
        waiting()
                .until(d ->
                        !d.findElements(By.cssSelector("#details-history li")).isEmpty());
        assertThat(details.findElement(By.id("details-fields")).getText()).contains("nexus.toml:10");
    }

    @Test
    void followsAnAddedBackendAndAStatusChangeLive() throws IOException {
        startEngine();
        openPage();
        FakeBackend box = ollama("phi3:mini");

        long sent = System.nanoTime();
        HttpResponse<String> added = Http.send(
                "POST",
                base + "/api/backends",
                "{\"url\":\"" + box.url() + "\",\"name\":\"new-box\"}",
                "Authorization",
                "Bearer " + token(),
                "Content-Type",
                "application/json");
        assertThat(added.statusCode()).isEqualTo(201);
        String id = Http.json(added).path("id").asText();
        WebElement r = row(id);
        long shownMs = (System.nanoTime() - sent) / 1_000_000;
        assertThat(r.getText()).as("shown after %d ms", shownMs).contains("new-box");
        waiting().until(d -> "healthy".equals(r.getDomAttribute("data-status")));

        engine.registry().update(id, "HTTP 503", b -> b.withStatus(BackendStatus.UNHEALTHY));
        waiting().until(d -> "unhealthy".equals(r.getDomAttribute("data-status")));
        assertThat(r.findElement(By.cssSelector(".status")).getText()).isEqualTo("unhealthy");
        assertThat(browser.driver.findElement(By.id("log")).getText())
                .contains("new-box")
                .contains("unhealthy");

        engine.remove(id);
        waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#rows tr[data-id='" + id + "']"), 0));
    }

    @Test
    void theGraceCountdownTicksEverySecond() {
        startEngine();
        Backend b = engine.addManual("http://127.0.0.1:9", "leaving", BackendType.OLLAMA, null);
        openPage();

        engine.registry()
                .update(
                        b.id(),
                        "goodbye",
                        x -> x.withGraceDeadline(Instant.now().plusSeconds(95)));
        WebElement countdown = row(b.id()).findElement(By.cssSelector(".countdown"));
        waiting().until(d -> countdown.getText().startsWith("removed in 1:3"));
        int first = seconds(countdown.getText());
        waiting().until(d -> seconds(countdown.getText()) < first);
        int second = seconds(countdown.getText());
        assertThat(second).isBetween(first - 3, first - 1);

        engine.registry().update(b.id(), "announced again", x -> x.withGraceDeadline(null));
        waiting().until(d -> countdown.getText().isEmpty());
    }

    private static int seconds(String countdown) {
        Matcher m = Pattern.compile("removed in (\\d+):(\\d\\d)").matcher(countdown);
        return m.find() ? Integer.parseInt(m.group(1)) * 60 + Integer.parseInt(m.group(2)) : Integer.MAX_VALUE;
    }

    @Test
    void aChangeWithoutTheTokenIsRefusedAndTheApisSentenceShown() {
        startEngine();
        Backend b = engine.addManual("http://127.0.0.1:9", "unpinned-box", BackendType.OLLAMA, null);
        openPage();

        row(b.id()).click();
        waiting()
                .until(ExpectedConditions.elementToBeClickable(By.cssSelector("#details-actions [data-action='pin']")))
                .click();

        assertThat(notice()).contains("Refused").contains("needs 'Authorization: Bearer <token>'");
        assertThat(engine.registry().get(b.id()).orElseThrow().pinned()).isFalse();
    }

    @Test
    void withTheTokenPinAddCheckAndRemoveWork() throws IOException {
        FakeBackend box = ollama("llama3:8b");
        startEngine();
        Backend b = engine.addManual(box.url(), "pin-me", BackendType.OLLAMA, null);
        openPage();

        browser.driver.findElement(By.id("token-button")).click();
        browser.driver.findElement(By.id("token-input")).sendKeys(token());
        browser.driver.findElement(By.id("token-save")).click();
        waiting().until(d -> d.findElement(By.id("token-button")).getText().equals("Token set"));
        assertThat(browser.driver.executeScript("return sessionStorage.getItem('nexus-monitor.token')"))
                .isEqualTo(token());
        openPage(); // kept for the tab across a reload

        row(b.id()).click();
        browser.driver
                .findElement(By.cssSelector("#details-actions [data-action='pin']"))
                .click();
        waiting().until(d -> engine.registry().get(b.id()).orElseThrow().pinned());
        waiting().until(d -> row(b.id()).getText().contains("pinned"));
        assertThat(notice()).contains("pin-me: pinned.");

        int checks = box.requests().size();
        browser.driver
                .findElement(By.cssSelector("#details-actions [data-action='check']"))
                .click();
        waiting().until(d -> box.requests().size() > checks);

        browser.driver.findElement(By.id("add-button")).click();
        browser.driver
                .findElement(By.cssSelector("#add-form input[name='url']"))
                .sendKeys("http://127.0.0.1:9/");
        browser.driver
                .findElement(By.cssSelector("#add-form input[name='name']"))
                .sendKeys("added-in-page");
        browser.driver
                .findElement(By.cssSelector("#add-form button[type='submit']"))
                .click();
        waiting().until(d -> engine.registry().hasName("added-in-page"));
        Backend added = byName("added-in-page");
        row(added.id()).click();
        WebElement remove = browser.driver.findElement(By.cssSelector("#details-actions [data-action='remove']"));
        remove.click();
        assertThat(remove.getText()).isEqualTo("Click again to remove");
        assertThat(engine.registry().get(added.id())).isPresent();
        remove.click();
        waiting().until(d -> engine.registry().get(added.id()).isEmpty());
    }

    @Test
    void withGuardedReadsThePageAsksForTheTokenAndThenShowsTheRegistry() throws IOException {
        startEngine(true);
        Backend b = engine.addManual("http://127.0.0.1:9", "guarded", BackendType.OLLAMA, null);
        browser.driver.get(base + "/");

        WebElement input = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("token-input")));
        assertThat(browser.driver.findElement(By.id("connection")).getText()).contains("needs the token");
        assertThat(browser.driver.findElements(By.cssSelector("#rows tr"))).isEmpty();
        input.sendKeys(token());
        browser.driver.findElement(By.id("token-save")).click();

        waiting().until(d -> "live".equals(d.findElement(By.tagName("body")).getDomAttribute("data-connection")));
        assertThat(row(b.id()).getText()).contains("guarded");
    }

    @Test
    void showsDisconnectedWhenTheEngineStops() {
        startEngine();
        openPage();

        engine.close();
        engine = null;

        waiting().until(d -> d.findElement(By.id("connection")).getText().startsWith("disconnected"));
        assertThat(browser.driver.findElement(By.id("connection")).getText()).contains("retrying in");
    }

    @Test
    void reconnectsByItselfWhenTheEngineIsBackOnItsPort() {
        startEngine();
        int port = java.net.URI.create(base).getPort();
        openPage();
        engine.close();
        engine = null;
        waiting().until(d -> d.findElement(By.id("connection")).getText().startsWith("disconnected"));

        NexusConfig q = TestConfigs.quiet();
        engine = new NexusEngine(q.withServer(q.server().withPort(port)), new EngineOptions(stateDir, true));
        engine.start();
        Backend b = engine.addManual("http://127.0.0.1:9", "after-restart", BackendType.OLLAMA, null);

        new WebDriverWait(browser.driver, Duration.ofSeconds(20))
                .until(d -> "live".equals(d.findElement(By.tagName("body")).getDomAttribute("data-connection")));
        assertThat(row(b.id()).getText()).contains("after-restart");
    }

    /**
     * A page of another origin (another loopback port) that knows the token still cannot change the
     * registry: its simple cross-origin POST is refused by the Origin rule, its JSON POST never gets
     * past the refused preflight, and it cannot frame the web view to click for it.
     */
    @Test
    void aPageOfAnotherOriginCannotChangeAnythingEvenWithTheToken() throws Exception {
        startEngine();
        Backend b = engine.addManual("http://127.0.0.1:9", "target", BackendType.OLLAMA, null);
        String token = token();
        HttpServer evil = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String page = "<!doctype html><title>evil</title><iframe id=f src='" + base + "/'></iframe>"
                + "<script src='/evil.js'></script>";
        String script = "const api='" + base + "', token='" + token + "', out=[];\n"
                + "async function go(){\n"
                + " try { await fetch(api+'/api/backends/" + b.id() + "/pin', {method:'POST', mode:'no-cors',"
                + "  headers:{'Content-Type':'text/plain'}, body:''}); out.push('simple:sent'); }"
                + " catch(e){ out.push('simple:failed'); }\n"
                + " try { const r = await fetch(api+'/api/backends', {method:'POST', headers:{'Content-Type':"
                + "'application/json', Authorization:'Bearer '+token}, body:JSON.stringify({url:'http://127.0.0.1:9/x'})});"
                + " out.push('json:'+r.status); } catch(e){ out.push('json:blocked'); }\n"
                + " try { out.push('frame:'+document.getElementById('f').contentWindow.document.title); }"
                + " catch(e){ out.push('frame:no-access'); }\n"
                + " document.title = out.join(' ');\n"
                + "}\n"
                + "setTimeout(go, 500);\n";
        evil.createContext("/", ex -> {
            byte[] body =
                    (ex.getRequestURI().getPath().equals("/evil.js") ? script : page).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders()
                    .add(
                            "Content-Type",
                            ex.getRequestURI().getPath().equals("/evil.js") ? "text/javascript" : "text/html");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        evil.start();
        open.add(() -> evil.stop(0));

        browser.driver.get("http://127.0.0.1:" + evil.getAddress().getPort() + "/");
        waiting().until(d -> Objects.requireNonNull(d.getTitle()).contains("frame:"));

        String outcome = browser.driver.getTitle();
        assertThat(outcome).contains("json:blocked").contains("frame:no-access");
        assertThat(engine.registry().get(b.id()).orElseThrow().pinned()).isFalse();
        assertThat(engine.registry().size()).isEqualTo(1);
        assertThat(Files.exists(stateDir.resolve("pins.json"))
                        && Files.readString(stateDir.resolve("pins.json")).contains(b.id()))
                .isFalse();
    }
}
