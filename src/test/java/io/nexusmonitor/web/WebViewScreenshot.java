package io.nexusmonitor.web;

import io.nexusmonitor.api.TestConfigs;
import io.nexusmonitor.app.EngineOptions;
import io.nexusmonitor.app.NexusEngine;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSettings;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.MdnsInfo;
import io.nexusmonitor.testing.SimulatedLlmBox;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The README's picture of the web view ({@code bench/web-screenshot.sh}): an engine on loopback with
 * three simulated Ollama boxes (one of them no longer announced, in its grace period), one box that
 * does not answer, and chat traffic through the gateway for the charts; headless Chromium takes the
 * page in light and dark. Arguments: the light and dark PNG paths, and the seconds of traffic.
 */
public final class WebViewScreenshot {
    private WebViewScreenshot() {}

    public static void main(String[] args) throws Exception {
        Path light = Path.of(args.length > 0 ? args[0] : "docs/web-view.png");
        Path dark = Path.of(args.length > 1 ? args[1] : "docs/web-view-dark.png");
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 25;
        Path state = Files.createTempDirectory("nexus-screenshot-");
        try (SimulatedLlmBox gpu = SimulatedLlmBox.builder("gpu-box")
                        .models("llama3.1:8b", "qwen2.5:14b", "nomic-embed-text")
                        .resident("llama3.1:8b")
                        .slots(4)
                        .tokensPerSecond(60)
                        .start();
                SimulatedLlmBox studio = SimulatedLlmBox.builder("studio")
                        .models("llama3.1:70b", "llama3.1:8b")
                        .resident("llama3.1:70b")
                        .slots(2)
                        .tokensPerSecond(25)
                        .start();
                SimulatedLlmBox laptop = SimulatedLlmBox.builder("laptop")
                        .models("mistral:7b")
                        .resident("mistral:7b")
                        .start()) {
            BackendSettings four = BackendSettings.DEFAULTS.withCapacity(4, BackendSettings.CapacitySource.CONFIG);
            BackendSettings two = BackendSettings.DEFAULTS.withCapacity(2, BackendSettings.CapacitySource.CONFIG);
            NexusConfig q = TestConfigs.quiet(
                    new NexusConfig.StaticBackend("gpu-box", gpu.url(), BackendType.OLLAMA, 1, "nexus.toml:12", four),
                    new NexusConfig.StaticBackend("studio", studio.url(), BackendType.OLLAMA, 2, "nexus.toml:18", two));
            NexusConfig config = q.withHealthCheck(q.healthCheck().withEnabled(true));
            try (NexusEngine engine = new NexusEngine(config, new EngineOptions(state, true))) {
                engine.start();
                String base = Objects.requireNonNull(engine.status().apiAddress());
                engine.addManual("http://127.0.0.1:9", "old-server", BackendType.VLLM, null);
                Backend found = engine.registry()
                        .add(
                                Backend.create(
                                        "",
                                        "laptop",
                                        laptop.url(),
                                        BackendType.OLLAMA,
                                        BackendSource.MDNS,
                                        50,
                                        Instant.now()),
                                "found");
                engine.registry()
                        .update(
                                found.id(),
                                "found",
                                b -> b.withMdns(new MdnsInfo(
                                        "laptop._ollama._tcp.local.",
                                        "_ollama._tcp.local.",
                                        "laptop.local.",
                                        List.of("127.0.0.1"),
                                        Map.of("version", "0.5.1"),
                                        Instant.now(),
                                        Instant.now())));
                traffic(base, seconds);
                engine.registry()
                        .update(
                                found.id(),
                                "goodbye",
                                b -> b.withStatus(BackendStatus.UNKNOWN)
                                        .withGraceDeadline(Instant.now().plusSeconds(47)));
                try (Chromium browser = new Chromium(1440, 1320)) {
                    browser.driver.get(base + "/");
                    WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(10));
                    wait.until(d -> !d.findElements(By.cssSelector("#rows tr")).isEmpty());
                    String gpuId = engine.registry().all().stream()
                            .filter(b -> b.name().equals("gpu-box"))
                            .findFirst()
                            .orElseThrow()
                            .id();
                    browser.driver
                            .findElement(By.cssSelector("#rows tr[data-id='" + gpuId + "']"))
                            .click();
                    // the traffic the page shows is the last minute's: a little more while it watches
                    traffic(base, 6);
                    wait.until(d -> !d.findElements(By.cssSelector("#details-history li"))
                            .isEmpty());
                    shoot(browser, light);
                    browser.colorScheme("dark");
                    shoot(browser, dark);
                    liveDelay(
                            browser,
                            engine,
                            base,
                            Files.readString(state.resolve("api-token")).trim());
                }
            }
        } finally {
            try (var files = Files.walk(state)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * How long a change takes to show in the page: from just before the API call (or the registry
     * change) to the browser's MutationObserver seeing the row appear or its status change. Browser
     * and JVM read the same system clock.
     */
    private static void liveDelay(Chromium browser, NexusEngine engine, String base, String token) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        List<Long> added = new java.util.ArrayList<>();
        List<Long> changed = new java.util.ArrayList<>();
        String watch = "window.__seen = null; const want = arguments[0], attr = arguments[1];"
                + "new MutationObserver((m, o) => { const r = document.querySelector(want);"
                + " if (r && (!attr || r.dataset.status === attr)) { window.__seen = Date.now(); o.disconnect(); } })"
                + ".observe(document.getElementById('rows'), {subtree: true, childList: true, attributes: true});";
        WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(10));
        for (int i = 0; i < 10; i++) {
            String url = "http://127.0.0.1:" + (20 + i);
            String id = io.nexusmonitor.registry.Registry.idFor(io.nexusmonitor.registry.UrlNormalizer.normalize(url));
            browser.driver.executeScript(watch, "#rows tr[data-id='" + id + "']", null);
            long t0 = System.currentTimeMillis();
            client.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/backends"))
                            .header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + token)
                            .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + url + "\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            wait.until(d -> browser.driver.executeScript("return window.__seen") != null);
            added.add(((Number) browser.driver.executeScript("return window.__seen")).longValue() - t0);

            String status = i % 2 == 0 ? "draining" : "loading";
            browser.driver.executeScript(watch, "#rows tr[data-id='" + id + "']", status);
            long t1 = System.currentTimeMillis();
            engine.registry().update(id, "test", b -> b.withStatus(BackendStatus.fromWire(status)));
            wait.until(d -> browser.driver.executeScript("return window.__seen") != null);
            changed.add(((Number) browser.driver.executeScript("return window.__seen")).longValue() - t1);
        }
        java.util.Collections.sort(added);
        java.util.Collections.sort(changed);
        System.out.println("a backend added through the API shows in the page after " + added.get(4) + " ms (median), "
                + added.get(9) + " ms (max) of 10; a status change after " + changed.get(4) + " ms (median), "
                + changed.get(9) + " ms (max)");
    }

    private static void shoot(Chromium browser, Path to) throws java.io.IOException {
        // after the flash of changed rows has faded
        new WebDriverWait(browser.driver, Duration.ofSeconds(10))
                .until(d -> Boolean.TRUE.equals(
                        browser.driver.executeScript("return document.getAnimations().length === 0")));
        byte[] png = browser.driver.getScreenshotAs(OutputType.BYTES);
        Files.createDirectories(to.toAbsolutePath().getParent());
        Files.write(to, png);
        System.out.println("wrote " + to + " (" + png.length / 1024 + " KB)");
    }

    /** Streaming chats through the gateway from three clients for this many seconds. */
    private static void traffic(String base, int seconds) throws InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        String[] models = {"llama3.1:8b", "llama3.1:70b", "qwen2.5:14b"};
        for (int i = 0; i < 3; i++) {
            String model = models[i];
            pool.execute(() -> {
                while (System.nanoTime() < end) {
                    String body = "{\"model\":\"" + model + "\",\"stream\":true,\"stream_options\":"
                            + "{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
                    try {
                        client.send(
                                HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(body))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding());
                    } catch (Exception e) {
                        return;
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 60L, TimeUnit.SECONDS);
    }
}
