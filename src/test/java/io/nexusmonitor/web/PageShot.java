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
            // watch for the given time (the page's charts fill from live figures), then until it has painted
            long watchUntil = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            new WebDriverWait(browser.driver, Duration.ofSeconds(seconds + 20))
                    .pollingEvery(Duration.ofMillis(200))
                    .until(d -> System.nanoTime() >= watchUntil);
            painted(browser);
            Files.write(light, browser.driver.getScreenshotAs(OutputType.BYTES));
            String lightBackground = background(browser);
            browser.colorScheme("dark");
            // the dark stylesheet applies once the media change is seen; the charts redraw on that change
            wait.until(d -> !background(browser).equals(lightBackground));
            painted(browser);
            Files.write(dark, browser.driver.getScreenshotAs(OutputType.BYTES));
        }
    }

    private static String background(Chromium browser) {
        return String.valueOf(browser.driver.executeScript("return getComputedStyle(document.body).backgroundColor"));
    }

    /** Returns once the page has drawn two more frames: what was changed before this call is on screen. */
    private static void painted(Chromium browser) {
        browser.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + " requestAnimationFrame(() => requestAnimationFrame(() => done(true)));");
    }
}
