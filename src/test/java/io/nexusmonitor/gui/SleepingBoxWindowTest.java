package io.nexusmonitor.gui;

import static org.awaitility.Awaitility.await;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.MdnsInfo;
import io.nexusmonitor.registry.WakeOnLan;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableRow;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** An asleep GPU box in the window: its status colour class, its GPU and VRAM cell, and the Wake action. */
@ExtendWith(ApplicationExtension.class)
class SleepingBoxWindowTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path stateDir;

    private final FakeControl control = new FakeControl();
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    private DesktopApp app;

    @Start
    void start(Stage stage) {
        DesktopSession session = new DesktopSession(
                control, () -> {}, () -> {}, NexusConfig.Notifications.defaults(), Duration.ofSeconds(60), stateDir);
        app = new DesktopApp(session, Executors.newSingleThreadExecutor(), exitCode::complete);
        app.start(stage);
    }

    @AfterEach
    void quit(FxRobot robot) {
        robot.interact(app::quit);
    }

    @Test
    void anAsleepGpuBoxShowsItsStatusVramAndCanBeWoken(FxRobot robot) {
        Backend a = control.discover("gpu-box", "http://127.0.0.1:11434");
        control.registry.update(
                a.id(),
                "test",
                b -> b.withPinned(true)
                        .withSettings(b.settings().withWake(new WakeOnLan("aa:bb:cc:dd:ee:ff", true, null, 120)))
                        .withMdns(new MdnsInfo(
                                "gpu-box._ollama._tcp.local.",
                                null,
                                null,
                                List.of(),
                                Map.of("gpu", "RTX 4090", "gpus", "1", "vram_mb", "24564", "vram_used_mb", "6141"),
                                Instant.now(),
                                Instant.now()))
                        .withStatus(BackendStatus.ASLEEP));
        await().atMost(WAIT)
                .until(() ->
                        !robot.lookup(".status-cell.status-asleep").queryAll().isEmpty());
        await().atMost(WAIT)
                .until(() -> robot.lookup(".gpu-cell .label").queryAll().stream()
                        .map(n -> ((Label) n).getText())
                        .anyMatch("RTX 4090"::equals));

        // the row's own menu, fired as a click on it would (a popup window is not shown headless)
        TableRow<?> row = robot.lookup(".table-row-cell").queryAll().stream()
                .map(n -> (TableRow<?>) n)
                .filter(r -> r.getItem() != null)
                .findFirst()
                .orElseThrow();
        robot.interact(() -> {
            ContextMenu menu = row.getContextMenu();
            menu.getOnShowing().handle(null);
            MenuItem wake = menu.getItems().stream()
                    .filter(i -> "Wake".equals(i.getText()))
                    .findFirst()
                    .orElseThrow();
            org.assertj.core.api.Assertions.assertThat(wake.isDisable())
                    .as("a MAC is known")
                    .isFalse();
            wake.fire();
        });
        await().atMost(WAIT).until(() -> control.calls.contains("wake " + a.id()));
    }

    @Test
    void wakeOnLanSettingsAreSetInTheWindowCheckedAsTypedAndPinTheBackend(FxRobot robot) {
        Backend a = control.discover("lab-box", "http://127.0.0.1:11434");
        await().atMost(WAIT)
                .until(() -> robot.lookup(".table-row-cell").queryAll().stream()
                        .anyMatch(n -> ((TableRow<?>) n).getItem() != null));
        TableRow<?> row = robot.lookup(".table-row-cell").queryAll().stream()
                .map(n -> (TableRow<?>) n)
                .filter(r -> r.getItem() != null)
                .findFirst()
                .orElseThrow();
        robot.interact(() -> {
            ContextMenu menu = row.getContextMenu();
            menu.getOnShowing().handle(null);
            menu.getItems().stream()
                    .filter(i -> "Wake-on-LAN…".equals(i.getText()))
                    .findFirst()
                    .orElseThrow()
                    .fire();
        });
        await().atMost(WAIT).until(() -> robot.lookup("#wake-mac").tryQuery().isPresent());
        javafx.scene.control.TextField mac = robot.lookup("#wake-mac").queryAs(javafx.scene.control.TextField.class);
        javafx.scene.control.Button save = robot.lookup("#wake-save").queryButton();
        Label message = robot.lookup("#wake-message").queryAs(Label.class);
        org.assertj.core.api.Assertions.assertThat(save.isDisable())
                .as("no MAC known yet")
                .isTrue();

        robot.interact(() -> mac.setText("AA-BB-CC-DD-EE"));
        org.assertj.core.api.Assertions.assertThat(save.isDisable()).isTrue();
        org.assertj.core.api.Assertions.assertThat(message.getText())
                .isEqualTo("MAC address: " + WakeOnLan.macProblem());

        robot.interact(() -> mac.setText("AA-BB-CC-DD-EE-0F"));
        org.assertj.core.api.Assertions.assertThat(save.isDisable()).isFalse();
        robot.interact(save::fire);

        await().atMost(WAIT).until(() -> control.calls.contains("pin " + a.id()));
        Backend b = control.registry.get(a.id()).orElseThrow();
        org.assertj.core.api.Assertions.assertThat(b.pinned()).isTrue();
        org.assertj.core.api.Assertions.assertThat(b.settings().wake()).isNotNull();
        org.assertj.core.api.Assertions.assertThat(b.settings().wake().mac()).isEqualTo("aa:bb:cc:dd:ee:0f");
        org.assertj.core.api.Assertions.assertThat(WakeOnLan.wakeable(b)).isTrue();
    }
}
