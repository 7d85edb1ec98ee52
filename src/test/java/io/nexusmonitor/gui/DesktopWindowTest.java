package io.nexusmonitor.gui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.gui.model.BackendRow;
import io.nexusmonitor.gui.window.WindowState;
import io.nexusmonitor.gui.window.WindowStateStore;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The window against a fake control over a real registry, headless (TestFX + Monocle). */
@ExtendWith(ApplicationExtension.class)
class DesktopWindowTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Pattern COUNTDOWN = Pattern.compile("removed in (\\d+):(\\d\\d)");

    /** Each test its own state dir: a layout one test saves on quitting must not be the next test's start. */
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

    private List<String> shownNames(FxRobot robot) {
        TableView<BackendRow> table = robot.lookup("#backend-table").queryTableView();
        return onFx(() -> table.getItems().stream().map(r -> r.backend().name()).collect(Collectors.toList()));
    }

    private static <T> T onFx(Callable<T> read) {
        try {
            return WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, WaitForAsyncUtils.asyncFx(read));
        } catch (TimeoutException e) {
            throw new AssertionError("the FX thread did not answer", e);
        }
    }

    @Test
    void rowsAppearAndDisappearWithRegistryEvents(FxRobot robot) {
        Backend a = control.discover("alpha", "http://127.0.0.1:11434");
        control.discover("beta", "http://127.0.0.1:11435");
        await().atMost(WAIT).until(() -> shownNames(robot).size() == 2);
        control.registry.remove(a.id(), "goodbye");
        await().atMost(WAIT).until(() -> shownNames(robot).equals(List.of("beta")));
    }

    @Test
    void countdownTicksWhileInGracePeriod(FxRobot robot) {
        Backend a = control.discover("leaving", "http://127.0.0.1:11434");
        control.registry.update(
                a.id(),
                "goodbye",
                b -> b.withStatus(BackendStatus.UNKNOWN)
                        .withGraceDeadline(Instant.now().plusSeconds(90)));
        // m:ss of at most 1:30 (however long a loaded machine took to show it), then a later second
        await().atMost(WAIT).until(() -> secondsLeft(countdown(robot)) > 0);
        int first = secondsLeft(countdown(robot));
        assertThat(first).isLessThanOrEqualTo(90);
        await().atMost(WAIT).until(() -> {
            int now = secondsLeft(countdown(robot));
            return now > 0 && now < first;
        });
    }

    /** The seconds a "removed in m:ss" text shows; -1 for any other text. */
    private static int secondsLeft(String text) {
        Matcher m = COUNTDOWN.matcher(text);
        return m.lookingAt() ? Integer.parseInt(m.group(1)) * 60 + Integer.parseInt(m.group(2)) : -1;
    }

    private String countdown(FxRobot robot) {
        return robot.lookup(".grace-cell .label").queryAll().stream()
                .map(n -> ((Label) n).getText())
                .filter(t -> t != null && !t.isEmpty())
                .findFirst()
                .orElse("");
    }

    @Test
    void pinAndUnpinCallTheControl(FxRobot robot) {
        Backend a = control.discover("alpha", "http://127.0.0.1:11434");
        await().atMost(WAIT).until(() -> shownNames(robot).size() == 1);
        robot.clickOn("alpha");
        robot.clickOn("#pin-button");
        await().atMost(WAIT)
                .until(() -> control.registry.get(a.id()).orElseThrow().pinned());
        robot.press(KeyCode.CONTROL, KeyCode.P).release(KeyCode.P, KeyCode.CONTROL);
        await().atMost(WAIT)
                .until(() -> !control.registry.get(a.id()).orElseThrow().pinned());
        assertThat(control.calls).containsExactly("pin " + a.id(), "unpin " + a.id());
    }

    @Test
    void addDialogAddsThroughTheControl(FxRobot robot) {
        robot.clickOn("#add-button");
        robot.clickOn("#add-url").write("not a url with spaces");
        assertThat(robot.lookup("#add-confirm").query().isDisabled()).isTrue();
        robot.doubleClickOn("#add-url").eraseText(30).write("http://127.0.0.1:9");
        robot.clickOn("#add-confirm");
        await().atMost(WAIT).until(() -> control.calls.contains("add http://127.0.0.1:9"));
        await().atMost(WAIT).until(() -> shownNames(robot).contains("127.0.0.1"));
        await().atMost(WAIT)
                .until(() ->
                        robot.lookup("#add-message").queryLabeled().getText().startsWith("Added"));
    }

    @Test
    void addDialogTakesCapacityWeightAndAKeyAndTheTableShowsBusyOverCapacity(FxRobot robot) {
        robot.clickOn("#add-button");
        robot.clickOn("#add-url").write("http://127.0.0.1:9");
        robot.clickOn("#add-max-concurrent").write("0");
        assertThat(robot.lookup("#add-confirm").query().isDisabled()).isTrue();
        robot.doubleClickOn("#add-max-concurrent").eraseText(1).write("4");
        robot.clickOn("#add-weight").write("2");
        robot.clickOn("#add-api-key").write("sk-typed-in");
        assertThat(robot.lookup("#add-api-key")
                        .queryAs(javafx.scene.control.PasswordField.class)
                        .getText())
                .isEqualTo("sk-typed-in");
        robot.clickOn("#add-confirm");
        await().atMost(WAIT).until(() -> control.registry.all().size() == 1);
        Backend b = control.registry.all().get(0);
        assertThat(b.capacity()).isEqualTo(4);
        assertThat(b.settings().weight()).isEqualTo(2);
        assertThat(b.settings().credential().key()).isEqualTo("sk-typed-in");
        control.registry.requestStarted(b.id());
        control.registry.requestStarted(b.id());
        await().atMost(WAIT)
                .until(() -> robot.lookup(".table-row-cell .table-cell").queryAll().stream()
                        .anyMatch(n -> "2 / 4".equals(((javafx.scene.control.Labeled) n).getText())));
    }

    @Test
    void textAndStatusFiltersNarrowTheTable(FxRobot robot) {
        Backend a = control.discover("alpha", "http://127.0.0.1:11434");
        control.discover("beta", "http://127.0.0.1:11435");
        control.registry.update(a.id(), "probe ok", b -> b.withStatus(BackendStatus.HEALTHY));
        await().atMost(WAIT).until(() -> shownNames(robot).size() == 2);
        robot.clickOn("#filter").write("bet");
        await().atMost(WAIT).until(() -> shownNames(robot).equals(List.of("beta")));
        robot.doubleClickOn("#filter").eraseText(3);
        await().atMost(WAIT).until(() -> shownNames(robot).size() == 2);
        ChoiceBox<?> status = robot.lookup("#status-filter").queryAs(ChoiceBox.class);
        robot.interact(() -> status.getSelectionModel().select(1)); // healthy
        await().atMost(WAIT).until(() -> shownNames(robot).equals(List.of("alpha")));
    }

    @Test
    void checkRemoveAndPauseReachTheControlFromKeysAndToolbar(FxRobot robot) {
        Backend a = control.discover("alpha", "http://127.0.0.1:11434");
        await().atMost(WAIT).until(() -> shownNames(robot).size() == 1);
        robot.clickOn("alpha");
        robot.type(KeyCode.F5);
        await().atMost(WAIT).until(() -> control.calls.contains("check " + a.id()));
        await().atMost(WAIT).until(() -> !robot.lookup("#pause-button").query().isDisabled());
        robot.clickOn("#pause-button");
        await().atMost(WAIT).until(() -> control.calls.contains("pause"));
        robot.clickOn("alpha").type(KeyCode.DELETE);
        await().atMost(WAIT).until(() -> shownNames(robot).isEmpty());
        assertThat(control.calls).contains("remove " + a.id());
    }

    @Test
    void withoutATrayClosingTheWindowQuits(FxRobot robot) {
        Stage stage = (Stage) app.window().root().getScene().getWindow();
        robot.interact(() -> stage.fireEvent(new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST)));
        assertThat(exitCode).succeedsWithin(WAIT).isEqualTo(0);
        assertThat(stage.isShowing()).isFalse();
    }

    @Test
    void quittingSavesTheLayoutForTheNextStart(FxRobot robot) {
        TableView<BackendRow> table = robot.lookup("#backend-table").queryTableView();
        robot.interact(() -> {
            table.getSortOrder().setAll(table.getColumns().get(2)); // URL
            table.getColumns().get(2).setSortType(javafx.scene.control.TableColumn.SortType.DESCENDING);
        });
        robot.interact(app::quit);
        WindowState saved = new WindowStateStore(stateDir).load();
        assertThat(saved.sort()).containsExactly(new WindowState.SortKey("url", false));
        assertThat(saved.columnWidths()).containsKeys("status", "name", "url", "grace");
    }

    @Test
    void withoutATrayNoticesShowInTheWindow(FxRobot robot) {
        // start-up additions are not announced: wait until the engine has started
        await().atMost(WAIT)
                .until(() -> onFx(() ->
                        robot.lookup("#status-engine").queryLabeled().getText().isEmpty()));
        control.discover("alpha", "http://127.0.0.1:11434");
        control.discover("beta", "http://127.0.0.1:11435");
        await().atMost(WAIT).until(() -> robot.lookup("#notice-banner").query().isVisible());
        assertThat(robot.lookup("#notice-title").queryLabeled().getText()).isEqualTo("2 backends found");
    }

    @Test
    void controlCharactersInNamesFromTheNetworkAreShownEscaped(FxRobot robot) {
        String evil = "evil\u0000box\u202e";
        control.registry.add(
                io.nexusmonitor.registry.Backend.create(
                                "",
                                evil,
                                "http://127.0.0.1:11434",
                                io.nexusmonitor.registry.BackendType.OLLAMA,
                                io.nexusmonitor.registry.BackendSource.MDNS,
                                50,
                                Instant.now())
                        .withMdns(new io.nexusmonitor.registry.MdnsInfo(
                                evil + "._ollama._tcp.local.",
                                "_ollama._tcp.local.",
                                "evil.local.",
                                List.of("127.0.0.1"),
                                java.util.Map.of("no\u0000te", "a\u0000b"),
                                Instant.now(),
                                Instant.now())),
                "found");
        await().atMost(WAIT).until(() -> shownNames(robot).size() == 1);
        TableView<BackendRow> table = robot.lookup("#backend-table").queryTableView();
        robot.interact(() -> table.getSelectionModel().select(0));
        await().atMost(WAIT)
                .until(() -> !robot.lookup(".details-title").queryAll().isEmpty());

        List<String> shown = onFx(() -> {
            List<String> texts = new java.util.ArrayList<>();
            robot.lookup(".table-row-cell .table-cell")
                    .queryAll()
                    .forEach(n -> texts.add(((javafx.scene.control.Labeled) n).getText()));
            robot.lookup(".details-title").queryAll().forEach(n -> texts.add(((Label) n).getText()));
            robot.lookup(".details-key").queryAll().forEach(n -> texts.add(((Label) n).getText()));
            robot.lookup(".details-value")
                    .queryAll()
                    .forEach(n -> texts.add(((javafx.scene.control.TextField) n).getText()));
            return texts;
        });
        assertThat(shown)
                .filteredOn(t -> t != null)
                .noneMatch(t -> t.indexOf('\u0000') >= 0 || t.indexOf('\u202e') >= 0)
                .contains(
                        "evil\\u0000box\\u202e",
                        "evil\\u0000box\\u202e._ollama._tcp.local.",
                        "TXT no\\u0000te",
                        "a\\u0000b");
    }
}
