package io.nexusmonitor.gui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.discovery.logic.InterfaceTraffic;
import io.nexusmonitor.gui.theme.Appearance;
import io.nexusmonitor.gui.theme.Themes;
import io.nexusmonitor.registry.BackendType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.application.Application;
import javafx.scene.Node;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Labeled;
import javafx.scene.control.TextArea;
import javafx.scene.input.Clipboard;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The first run: the empty table's guide and its three actions, the discovery banner, and the theme toggle. */
@ExtendWith(ApplicationExtension.class)
class FirstRunWindowTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path stateDir;

    private final FakeControl control = new FakeControl();
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    private DesktopApp app;

    @Start
    void start(Stage stage) {
        app = startApp(stage, control);
    }

    private DesktopApp startApp(Stage stage, FakeControl c) {
        DesktopSession session = new DesktopSession(
                c, () -> {}, () -> {}, NexusConfig.Notifications.defaults(), Duration.ofSeconds(60), stateDir);
        DesktopApp a = new DesktopApp(session, Executors.newSingleThreadExecutor(), exitCode::complete);
        a.start(stage);
        return a;
    }

    @AfterEach
    void quit(FxRobot robot) {
        robot.interact(app::quit);
        robot.interact(() -> Themes.apply(Appearance.LIGHT)); // the theme is global: leave it as other tests expect
    }

    private static <T> T onFx(Callable<T> read) {
        try {
            return WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, WaitForAsyncUtils.asyncFx(read));
        } catch (TimeoutException e) {
            throw new AssertionError("the FX thread did not answer", e);
        }
    }

    private static String text(FxRobot robot, String query) {
        return onFx(() -> robot.lookup(query).queryLabeled().getText());
    }

    private static String area(TextArea a) {
        return onFx(a::getText);
    }

    private static boolean shown(FxRobot robot, String query) {
        return onFx(() -> robot.lookup(query).tryQuery().map(Node::isVisible).orElse(false));
    }

    @Test
    void anEmptyRegistryShowsWhyAndTheThreeWaysForward(FxRobot robot) {
        assertThat(shown(robot, "#empty-state")).isTrue();
        assertThat(text(robot, "#empty-why")).isEqualTo("No LLM servers yet.");
        assertThat(text(robot, "#empty-explain"))
                .contains("announce themselves")
                .contains("add one by URL");
        assertThat(text(robot, "#empty-add")).isEqualTo("Add a server by URL");
        assertThat(text(robot, "#empty-announce")).isEqualTo("Announce a server on this machine");
        assertThat(text(robot, "#empty-network")).isEqualTo("Check the network");

        control.discover("alpha", "http://127.0.0.1:11434");
        await().atMost(WAIT).until(() -> !shown(robot, "#empty-state"));
        robot.clickOn("#filter").write("no such backend");
        await().atMost(WAIT).until(() -> shown(robot, "#filtered-out"));
        assertThat(shown(robot, "#empty-state")).isFalse();
    }

    @Test
    void addAServerByUrlOpensTheAddDialog(FxRobot robot) {
        robot.clickOn("#empty-add");
        robot.clickOn("#add-url").write("http://127.0.0.1:9");
        robot.clickOn("#add-confirm");
        await().atMost(WAIT).until(() -> control.calls.contains("add http://127.0.0.1:9"));
    }

    @Test
    void announceShowsTheExactCommandForTheChosenTypeAndPortAndCopiesIt(FxRobot robot) {
        robot.clickOn("#empty-announce");
        TextArea text = robot.lookup("#announce-text").queryAs(TextArea.class);
        assertThat(area(text)).isEqualTo("nexus-monitor announce --type ollama --port 11434");

        ChoiceBox<?> type = robot.lookup("#announce-type").queryAs(ChoiceBox.class);
        robot.interact(() -> type.getSelectionModel().select(BackendType.VLLM.ordinal()));
        assertThat(area(text)).isEqualTo("nexus-monitor announce --type vllm --port 8000");

        robot.doubleClickOn("#announce-port").eraseText(6).write("9001");
        assertThat(area(text)).isEqualTo("nexus-monitor announce --type vllm --port 9001");
        robot.clickOn("#announce-copy");
        assertThat(onFx(() -> Clipboard.getSystemClipboard().getString()))
                .isEqualTo("nexus-monitor announce --type vllm --port 9001");
        assertThat(text(robot, "#announce-note")).contains("http://127.0.0.1:9001");

        robot.clickOn("#announce-use-avahi");
        assertThat(area(text))
                .contains("<type>_llm._tcp</type>")
                .contains("<port>9001</port>")
                .contains("<txt-record>type=vllm</txt-record>");
        assertThat(text(robot, "#announce-where")).contains("/etc/avahi/services/vllm.service");

        robot.doubleClickOn("#announce-port").eraseText(6).write("70000");
        assertThat(text(robot, "#announce-where")).isEqualTo("The port must be a whole number from 1 to 65535.");
        assertThat(onFx(() -> robot.lookup("#announce-copy").query().isDisabled()))
                .isTrue();
    }

    @Test
    void checkTheNetworkShowsTheBrowsedInterfacesAndWhatWasHeard(FxRobot robot) {
        control.traffic =
                List.of(new InterfaceTraffic("lo 127.0.0.1", 7, Instant.now().minusSeconds(3), 0));
        robot.clickOn("#empty-network");
        await().atMost(WAIT).until(() -> text(robot, "#network-headline").equals("mDNS discovery is running."));
        List<String> lines = onFx(() -> robot.lookup(".network-interface").queryAllAs(Labeled.class).stream()
                .map(Labeled::getText)
                .toList());
        assertThat(lines).singleElement().asString().startsWith("lo 127.0.0.1: mDNS works: 7 records heard");
        assertThat(text(robot, "#network-advice")).contains("nexus-monitor announce");

        control.traffic = List.of(new InterfaceTraffic("lo 127.0.0.1", 9, Instant.now(), 1));
        robot.clickOn("#network-again");
        await().atMost(WAIT).until(() -> text(robot, "#network-advice").startsWith("LLM servers are announced"));
    }

    @Test
    void pausedDiscoveryShowsABannerWhoseActionResumesIt(FxRobot robot) {
        assertThat(shown(robot, "#discovery-banner")).isFalse();
        await().atMost(WAIT)
                .until(() -> !onFx(() -> robot.lookup("#pause-button").query().isDisabled()));
        robot.clickOn("#pause-button");
        await().atMost(WAIT).until(() -> shown(robot, "#discovery-banner"));
        assertThat(text(robot, "#discovery-banner-text")).startsWith("Discovery is paused");
        assertThat(text(robot, "#discovery-banner-action")).isEqualTo("Resume discovery");
        robot.clickOn("#discovery-banner-action");
        await().atMost(WAIT).until(() -> control.calls.contains("resume"));
        await().atMost(WAIT).until(() -> !shown(robot, "#discovery-banner"));
    }

    @Test
    void theThemeSwitchAppliesAtOnceAndIsRememberedForTheNextStart(FxRobot robot) throws Exception {
        robot.clickOn("#view-menu").clickOn("Theme").clickOn("Dark");
        await().atMost(WAIT).until(() -> onFx(() -> Themes.isDark(app.window().root())));
        assertThat(onFx(Application::getUserAgentStylesheet)).contains("primer-dark");
        await().atMost(WAIT)
                .until(() -> Files.readString(stateDir.resolve("window.json"))
                        .matches("(?s).*\"theme\"\\s*:\\s*\"dark\".*"));

        robot.interact(app::quit);
        robot.interact(() -> Themes.apply(Appearance.LIGHT));
        FakeControl next = new FakeControl();
        // a whole second start (scene, theme, CSS): on a loaded CI box this can take longer than one read
        app = WaitForAsyncUtils.waitFor(
                60, TimeUnit.SECONDS, WaitForAsyncUtils.asyncFx(() -> startApp(new Stage(), next)));
        assertThat(onFx(() -> Themes.isDark(app.window().root()))).isTrue();
        assertThat(onFx(Application::getUserAgentStylesheet)).contains("primer-dark");

        robot.clickOn("#view-menu").clickOn("Theme").clickOn("Light");
        await().atMost(WAIT).until(() -> !onFx(() -> Themes.isDark(app.window().root())));
        assertThat(onFx(Application::getUserAgentStylesheet)).contains("primer-light");
    }
}
