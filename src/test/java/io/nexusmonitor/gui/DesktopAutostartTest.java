package io.nexusmonitor.gui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.gui.desktop.Autostart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.scene.control.CheckMenuItem;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The window's "Start at login" toggle against the autostart entry under a temp home ({@code user.home}). */
@ExtendWith(ApplicationExtension.class)
class DesktopAutostartTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path home;

    private final FakeControl control = new FakeControl();
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    private final String realHome = System.getProperty("user.home");
    private DesktopApp app;
    private Path entry;

    @Start
    void start(Stage stage) throws Exception {
        Assumptions.assumeTrue(
                System.getenv("XDG_CONFIG_HOME") == null,
                "skipped: XDG_CONFIG_HOME is set, so the entry would not be under the temp home");
        System.setProperty("user.home", home.toString());
        entry = home.resolve(".config/autostart/nexus-monitor.desktop");
        // an entry written earlier (by the packaged app, say): the toggle shows it on and can remove it
        new Autostart(home.resolve(".config")).enable(List.of("/opt/nexus-monitor/bin/nexus-monitor"));
        DesktopSession session = new DesktopSession(
                control,
                () -> {},
                () -> {},
                NexusConfig.Notifications.defaults(),
                Duration.ofSeconds(60),
                home.resolve("state"));
        app = new DesktopApp(session, Executors.newSingleThreadExecutor(), exitCode::complete);
        app.start(stage);
    }

    @AfterEach
    void quit(FxRobot robot) {
        if (app != null) {
            robot.interact(app::quit);
        }
        System.setProperty("user.home", realHome);
    }

    private static <T> T onFx(Callable<T> read) {
        try {
            return WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, WaitForAsyncUtils.asyncFx(read));
        } catch (TimeoutException e) {
            throw new AssertionError("the FX thread did not answer", e);
        }
    }

    @Test
    void theToggleShowsTheEntryAndRemovesIt(FxRobot robot) {
        CheckMenuItem item = app.window().startAtLoginItem();
        await().atMost(WAIT).until(() -> onFx(item::isSelected));
        assertThat(robot.lookup("#settings-menu").tryQuery()).isPresent();
        // switched off as a click on it does (opening the popup under Monocle trips a JavaFX painter bug)
        robot.interact(() -> item.setSelected(false));
        await().atMost(WAIT).until(() -> !Files.exists(entry));
        assertThat(onFx(item::isSelected)).isFalse();
        // run from classes (a build tree) there is no program to name in a new entry: the toggle rests
        await().atMost(WAIT).until(() -> onFx(item::isDisable));
    }
}
