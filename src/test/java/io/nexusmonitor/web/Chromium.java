package io.nexusmonitor.web;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven by its chromedriver, for the web view's tests and screenshot:
 * no network beyond loopback (background networking, component updates, sync and QUIC off), a new
 * profile in a temporary directory, and the binaries named directly so Selenium Manager never
 * looks anything up.
 */
final class Chromium implements AutoCloseable {
    static final Path BROWSER = Path.of(System.getProperty("nexus.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("nexus.chromedriver", "/usr/bin/chromedriver"));

    final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;

    /** Skips the calling test (a JUnit assumption) when Chromium or chromedriver is not installed. */
    static void assumeInstalled() {
        Assumptions.assumeTrue(
                Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER),
                "the web view's browser tests need Debian's chromium and chromium-driver (" + BROWSER + ", " + DRIVER
                        + "): apt-get install chromium chromium-driver; skipped");
    }

    Chromium(int width, int height) {
        try {
            profile = Files.createTempDirectory("nexus-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions o = new ChromeOptions();
        o.setBinary(BROWSER.toFile());
        o.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--no-proxy-server",
                "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height,
                "--force-device-scale-factor=1");
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort()
                .withSilent(true)
                .build();
        driver = new ChromeDriver(service, o);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    /** What {@code prefers-color-scheme} says from now on: "light" or "dark". */
    void colorScheme(String scheme) {
        driver.executeCdpCommand(
                "Emulation.setEmulatedMedia",
                java.util.Map.of(
                        "features",
                        java.util.List.of(java.util.Map.of("name", "prefers-color-scheme", "value", scheme))));
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException e) {
                // a temp directory left behind
            }
        }
    }
}
