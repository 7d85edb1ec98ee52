package io.nexusmonitor.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web view of a running engine in headless Chromium, light and dark, after watching it live
 * for a while (its charts fill from live figures): {@code bench/testbed-demo.sh web} runs it on a
 * testbed host. Args: URL, light.png, dark.png, seconds to watch, optional backend name to select.
 */
public final class PageShot {
    private PageShot() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        Path light = Path.of(args[1]);
        Path dark = Path.of(args[2]);
        long seconds = Long.parseLong(args[3]);
        try (Chromium browser = new Chromium(1440, 1320)) {
            browser.driver.get(url);
            WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(20));
            wait.until(d -> !d.findElements(By.cssSelector("#rows tr")).isEmpty());
            if (args.length > 4) {
                browser.driver
                        .findElement(By.xpath("//tbody[@id='rows']/tr[.//*[text()='" + args[4] + "']]"))
                        .click();
            }
            Thread.sleep(Duration.ofSeconds(seconds).toMillis());
            Files.write(light, browser.driver.getScreenshotAs(OutputType.BYTES));
            browser.colorScheme("dark");
            Thread.sleep(1000);
            Files.write(dark, browser.driver.getScreenshotAs(OutputType.BYTES));
        }
    }
}
