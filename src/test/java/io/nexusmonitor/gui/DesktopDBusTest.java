package io.nexusmonitor.gui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.gui.desktop.DBusMenu;
import io.nexusmonitor.gui.desktop.DesktopRoute;
import io.nexusmonitor.gui.desktop.RecordingNotifications;
import io.nexusmonitor.gui.desktop.StatusNotifierItem;
import io.nexusmonitor.gui.desktop.TestSessionBus;
import io.nexusmonitor.gui.desktop.TestWatcher;
import io.nexusmonitor.gui.desktop.TrayHostReads;
import io.nexusmonitor.gui.desktop.TrayImages;
import io.nexusmonitor.gui.desktop.TrayMenu;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.stage.Stage;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The whole window on a desktop without an XEmbed tray but with a session bus that has a
 * notification server and a StatusNotifierItem host (both written for the test, on a private
 * {@code dbus-daemon}): found and lost backends become desktop notifications, the tray icon
 * follows the registry and its dbusmenu drives the app.
 */
@ExtendWith(ApplicationExtension.class)
class DesktopDBusTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static TestSessionBus daemon;

    @TempDir
    Path stateDir;

    private final FakeControl control = new FakeControl();
    /** The gateway's figures the tray tooltip reads; its clock stands at a minute's start (the last minute is whole). */
    private final io.nexusmonitor.stats.Telemetry telemetry =
            new io.nexusmonitor.stats.Telemetry(() -> 1_700_000_040_000L);

    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    private DBusConnection desktop;
    private RecordingNotifications server;
    private TestWatcher watcher;
    private DesktopApp app;
    private Stage stage;

    @BeforeAll
    static void startBus() throws Exception {
        daemon = TestSessionBus.start();
        System.setProperty("DBUS_SESSION_BUS_ADDRESS", daemon.address());
    }

    @AfterAll
    static void stopBus() throws Exception {
        System.clearProperty("DBUS_SESSION_BUS_ADDRESS");
        if (daemon != null) {
            daemon.close();
        }
    }

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        desktop = daemon.connect();
        server = RecordingNotifications.serve(desktop, List.of("actions", "body"));
        watcher = TestWatcher.serve(desktop);
        control.telemetry = telemetry;
        DesktopSession session = new DesktopSession(
                control, () -> {}, () -> {}, NexusConfig.Notifications.defaults(), Duration.ofSeconds(60), stateDir);
        app = new DesktopApp(session, Executors.newSingleThreadExecutor(), exitCode::complete);
        app.start(stage);
    }

    @AfterEach
    void quit(FxRobot robot) throws Exception {
        robot.interact(app::quit);
        exitCode.get(10, TimeUnit.SECONDS);
        desktop.disconnect();
    }

    private static <T> T onFx(Callable<T> read) {
        try {
            return WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, WaitForAsyncUtils.asyncFx(read));
        } catch (TimeoutException e) {
            throw new AssertionError("the FX thread did not answer", e);
        }
    }

    private void awaitReady(FxRobot robot) {
        // start-up additions are not news: wait for the engine, and for the desktop route to be chosen
        await().atMost(WAIT)
                .until(() -> onFx(() ->
                        robot.lookup("#status-engine").queryLabeled().getText().isEmpty()));
        await().atMost(WAIT).until(() -> onFx(() -> app.desktopRoute().isPresent()));
        assertThat(onFx(() -> app.desktopRoute()))
                .hasValue(new DesktopRoute(DesktopRoute.TrayKind.STATUS_NOTIFIER, DesktopRoute.NoticeKind.DESKTOP));
    }

    @Test
    void foundBackendsAreOneDesktopNoticePerBurstAndPinComesBack(FxRobot robot) throws Exception {
        awaitReady(robot);
        Backend alpha = control.discover("alpha", "http://127.0.0.1:11434");
        await().atMost(WAIT).until(() -> server.calls.size() == 1);
        RecordingNotifications.Call first = server.calls.get(0);
        assertThat(first.summary()).isEqualTo("1 backend found");
        assertThat(first.body()).isEqualTo("Found: alpha");
        assertThat(first.appName()).isEqualTo("Nexus Monitor");
        assertThat(first.hint("urgency")).isEqualTo((byte) 0);
        assertThat(first.hint("desktop-entry")).isEqualTo("nexus-monitor");
        assertThat(first.actions()).contains("pin", "Pin");

        server.invoke(first.id(), "pin");
        await().atMost(WAIT)
                .until(() -> control.registry.get(alpha.id()).orElseThrow().pinned());
        assertThat(control.calls).contains("pin " + alpha.id());

        for (String n : new String[] {"b", "c", "d", "e", "f"}) {
            control.discover(n, "http://127.0.0.1:" + (12000 + n.charAt(0)));
        }
        await().atMost(WAIT).until(() -> server.calls.size() == 2);
        assertThat(server.calls.get(1).summary()).isEqualTo("5 backends found");
        assertThat(server.calls.get(1).actions()).doesNotContain("pin"); // which one? the window says

        control.registry.remove(alpha.id(), "gone");
        await().atMost(WAIT).until(() -> server.calls.size() == 3);
        assertThat(server.calls.get(2).summary()).isEqualTo("1 backend removed");
        assertThat(server.calls.get(2).hint("urgency")).isEqualTo((byte) 1);
        // for longer than a burst and a tick, nothing else comes
        await().during(Duration.ofSeconds(3)).atMost(WAIT).until(() -> server.calls.size() == 3);
        assertThat(onFx(() -> robot.lookup("#notice-banner").query().isVisible()))
                .isFalse();
    }

    @Test
    void theTrayIconFollowsTheRegistryAndItsMenuDrivesTheApp(FxRobot robot) throws Exception {
        awaitReady(robot);
        assertThat(watcher.items).hasSize(1);
        String item = watcher.items.get(0);
        Properties props = desktop.getRemoteObject(item, StatusNotifierItem.PATH, Properties.class);
        DBusMenu menu = desktop.getRemoteObject(item, DBusMenu.PATH, DBusMenu.class);

        Backend alpha = control.discover("alpha", "http://127.0.0.1:11434");
        control.registry.update(alpha.id(), "healthy", b -> b.withStatus(BackendStatus.HEALTHY));
        await().atMost(WAIT)
                .until(() ->
                        "1 / 1 healthy · no tokens in the last minute".equals(TrayHostReads.toolTipText(all(props))));
        // 2520 tokens through the gateway in the last minute: the tooltip says 42 tokens/s within a tick or two
        telemetry
                .listener()
                .finished(new io.nexusmonitor.stats.RequestRecord(
                        alpha.id(),
                        alpha.url(),
                        "alpha",
                        "m",
                        1_700_000_040_000L,
                        1,
                        1,
                        2,
                        1,
                        2520,
                        false,
                        io.nexusmonitor.stats.Outcome.OK));
        await().atMost(WAIT).until(() -> "1 / 1 healthy · 42 tokens/s".equals(TrayHostReads.toolTipText(all(props))));
        assertThat(TrayHostReads.centreColour(all(props))).isEqualTo(TrayImages.Mood.GOOD.rgb());
        assertThat(all(props).get("Status").getValue()).isEqualTo("Active");

        click(menu, TrayMenu.SHOW_HIDE); // hide: there is a tray, so the app keeps running
        await().atMost(WAIT).until(() -> !onFx(stage::isShowing));
        await().atMost(WAIT)
                .until(() -> TrayHostReads.labels(menu.GetLayout(0, -1, List.of()))
                        .get(0)
                        .equals("Show window"));

        control.registry.remove(alpha.id(), "gone");
        await().atMost(WAIT)
                .until(() -> "NeedsAttention".equals(all(props).get("Status").getValue()));
        assertThat(TrayHostReads.toolTipText(all(props))).isEqualTo("0 / 0 healthy · 42 tokens/s");
        assertThat(TrayHostReads.centreColour(all(props))).isEqualTo(TrayImages.Mood.IDLE.rgb());

        desktop.getRemoteObject(item, StatusNotifierItem.PATH, StatusNotifierItem.class)
                .Activate(0, 0);
        await().atMost(WAIT).until(() -> onFx(stage::isShowing));
        await().atMost(WAIT)
                .until(() -> "Active".equals(all(props).get("Status").getValue()));

        click(menu, TrayMenu.PAUSE);
        await().atMost(WAIT).until(() -> control.calls.contains("pause"));
        await().atMost(WAIT)
                .until(() -> Integer.valueOf(1)
                        .equals(TrayHostReads.child(menu.GetLayout(0, -1, List.of()), 1)
                                .getProperties()
                                .get("toggle-state")
                                .getValue()));

        click(menu, TrayMenu.QUIT);
        assertThat(exitCode.get(10, TimeUnit.SECONDS)).isZero();
        org.freedesktop.dbus.interfaces.DBus bus = desktop.getRemoteObject(
                "org.freedesktop.DBus", "/org/freedesktop/DBus", org.freedesktop.dbus.interfaces.DBus.class);
        await().atMost(WAIT).until(() -> !bus.NameHasOwner(item)); // the icon left with the app
    }

    private static Map<String, Variant<?>> all(Properties props) {
        return props.GetAll(StatusNotifierItem.INTERFACE);
    }

    private static void click(DBusMenu menu, int id) {
        menu.Event(id, "clicked", new Variant<>(0), new UInt32(System.currentTimeMillis() / 1000));
    }
}
