package io.nexusmonitor.gui.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The StatusNotifierItem and its dbusmenu on a real private session bus, read as a tray host reads them. */
class SniTrayTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private TestSessionBus daemon;
    private DBusConnection host;
    private DesktopBus bus;
    private final List<String> clicks = new CopyOnWriteArrayList<>();
    private final Tray.Callbacks callbacks = new Tray.Callbacks(
            () -> clicks.add("show/hide"),
            p -> clicks.add(p ? "pause" : "resume"),
            () -> clicks.add("quit"),
            id -> clicks.add("wake " + id));

    @BeforeEach
    void bus() throws Exception {
        daemon = TestSessionBus.start();
        host = daemon.connect();
        bus = DesktopBus.connect(daemon.address(), DesktopBus.CONNECT_TIMEOUT).orElseThrow();
    }

    @AfterEach
    void close() throws Exception {
        if (bus != null) {
            bus.close();
        }
        if (host != null) {
            host.disconnect();
        }
        daemon.close();
    }

    @Test
    void theIconComesDrawnAtEverySizeUpToHiDpiTrays() {
        List<StatusNotifierItem.Pixmap> pixmaps = SniTray.pixmaps(TrayImages.Mood.GOOD);
        assertThat(pixmaps)
                .extracting(StatusNotifierItem.Pixmap::getWidth)
                .containsExactly(16, 22, 24, 32, 48, 64, 96, 128);
        for (StatusNotifierItem.Pixmap p : pixmaps) {
            assertThat(p.getHeight()).isEqualTo(p.getWidth());
            assertThat(p.getData()).hasSize(p.getWidth() * p.getHeight() * 4);
        }
    }

    @Test
    void withoutAWatcherThereIsNoItem() {
        assertThat(SniTray.open(bus, callbacks, TrayState.INITIAL)).isEmpty();
    }

    @Test
    void theItemRegistersAndItsPropertiesFollowTheState() throws Exception {
        TestWatcher watcher = TestWatcher.serve(host);
        SniTray tray = SniTray.open(bus, callbacks, new TrayState(0, 0, 0, false, false, true))
                .orElseThrow();
        assertThat(watcher.items).containsExactly(tray.busName());
        Properties item = host.getRemoteObject(tray.busName(), StatusNotifierItem.PATH, Properties.class);

        Map<String, Variant<?>> all = item.GetAll(StatusNotifierItem.INTERFACE);
        assertThat(all.get("Id").getValue()).isEqualTo("nexus-monitor");
        assertThat(all.get("Status").getValue()).isEqualTo("Active");
        assertThat(all.get("Menu").getValue().toString()).isEqualTo(DBusMenu.PATH);
        assertThat(TrayHostReads.centreColour(all)).isEqualTo(TrayImages.Mood.IDLE.rgb());

        List<String> signals = new CopyOnWriteArrayList<>();
        host.addSigHandler(StatusNotifierItem.NewIcon.class, s -> signals.add("icon"));
        host.addSigHandler(StatusNotifierItem.NewToolTip.class, s -> signals.add("tooltip"));
        host.addSigHandler(StatusNotifierItem.NewStatus.class, s -> signals.add("status " + s.getStatus()));

        tray.update(new TrayState(3, 3, 0, false, false, true));
        await().atMost(WAIT).until(() -> signals.contains("icon") && signals.contains("tooltip"));
        all = item.GetAll(StatusNotifierItem.INTERFACE);
        assertThat(TrayHostReads.centreColour(all)).isEqualTo(TrayImages.Mood.GOOD.rgb());
        assertThat(TrayHostReads.toolTipText(all)).isEqualTo("3 / 3 healthy");

        tray.update(new TrayState(2, 3, 2, true, false, true));
        await().atMost(WAIT).until(() -> signals.contains("status NeedsAttention"));
        all = item.GetAll(StatusNotifierItem.INTERFACE);
        assertThat(TrayHostReads.centreColour(all)).isEqualTo(TrayImages.Mood.MIXED.rgb());
        assertThat(TrayHostReads.toolTipText(all)).isEqualTo("2 / 3 healthy · 2 queued");
        assertThat(all.get("Status").getValue()).isEqualTo("NeedsAttention");
        Object status = item.Get(StatusNotifierItem.INTERFACE, "Status");
        assertThat(status instanceof Variant<?> v ? v.getValue() : status).isEqualTo("NeedsAttention");

        StatusNotifierItem remote =
                host.getRemoteObject(tray.busName(), StatusNotifierItem.PATH, StatusNotifierItem.class);
        remote.Activate(0, 0);
        assertThat(clicks).containsExactly("show/hide");
    }

    @Test
    void theItemRegistersAgainWithANewWatcher() throws Exception {
        TestWatcher.serve(host);
        SniTray tray = SniTray.open(bus, callbacks, TrayState.INITIAL).orElseThrow();
        host.disconnect(); // the shell (and its watcher) went away...
        host = null;
        DBusConnection shell = daemon.connect();
        try {
            TestWatcher again = TestWatcher.serve(shell); // ...and came back
            await().atMost(WAIT).until(() -> again.items.contains(tray.busName()));
        } finally {
            shell.disconnect();
        }
    }

    @Test
    void theMenuListsItsEntriesAndClicksComeBack() throws Exception {
        TestWatcher.serve(host);
        SniTray tray = SniTray.open(bus, callbacks, new TrayState(1, 1, 0, false, false, true))
                .orElseThrow();
        DBusMenu menu = host.getRemoteObject(tray.busName(), DBusMenu.PATH, DBusMenu.class);

        DBusMenu.Pair<UInt32, DBusMenu.Node> layout = menu.GetLayout(0, -1, List.of());
        assertThat(TrayHostReads.labels(layout)).containsExactly("Hide window", "Pause discovery", "", "Quit");

        List<String> updates = new CopyOnWriteArrayList<>();
        host.addSigHandler(DBusMenu.LayoutUpdated.class, s -> updates.add("rev " + s.getRevision()));
        menu.Event(TrayMenu.PAUSE, "clicked", new Variant<>(0), new UInt32(0));
        assertThat(clicks).containsExactly("pause");
        tray.update(new TrayState(1, 1, 0, false, true, false)); // the app paused and hid the window
        await().atMost(WAIT).until(() -> !updates.isEmpty());
        DBusMenu.Pair<UInt32, DBusMenu.Node> after = menu.GetLayout(0, -1, List.of());
        assertThat(after.getFirst().longValue()).isGreaterThan(layout.getFirst().longValue());
        assertThat(TrayHostReads.labels(after)).startsWith("Show window");
        DBusMenu.Node pause = TrayHostReads.child(after, 1);
        assertThat(pause.getProperties().get("toggle-type").getValue()).isEqualTo("checkmark");
        assertThat(pause.getProperties().get("toggle-state").getValue()).isEqualTo(1);

        menu.Event(TrayMenu.PAUSE, "clicked", new Variant<>(0), new UInt32(0));
        menu.Event(TrayMenu.SHOW_HIDE, "clicked", new Variant<>(0), new UInt32(0));
        menu.Event(TrayMenu.QUIT, "hovered", new Variant<>(0), new UInt32(0)); // not a click
        menu.Event(TrayMenu.QUIT, "clicked", new Variant<>(0), new UInt32(0));
        assertThat(clicks).containsExactly("pause", "resume", "show/hide", "quit");
    }

    @Test
    void theWakeSubmenuListsTheAsleepBoxesAndAClickWakesOne() throws Exception {
        TestWatcher.serve(host);
        SniTray tray = SniTray.open(bus, callbacks, new TrayState(1, 1, 0, false, false, true))
                .orElseThrow();
        DBusMenu menu = host.getRemoteObject(tray.busName(), DBusMenu.PATH, DBusMenu.class);
        assertThat(TrayHostReads.labels(menu.GetLayout(0, -1, List.of()))).doesNotContain("Wake");

        List<String> updates = new CopyOnWriteArrayList<>();
        host.addSigHandler(DBusMenu.LayoutUpdated.class, s -> updates.add("rev " + s.getRevision()));
        List<TrayState.Sleeping> asleep =
                List.of(new TrayState.Sleeping("b1", "gpu-box"), new TrayState.Sleeping("b2", "render-box"));
        tray.update(new TrayState(1, 3, 0, false, false, true, "", asleep));
        await().atMost(WAIT).until(() -> !updates.isEmpty());

        DBusMenu.Pair<UInt32, DBusMenu.Node> layout = menu.GetLayout(0, -1, List.of());
        assertThat(TrayHostReads.labels(layout)).containsExactly("Hide window", "Pause discovery", "Wake", "", "Quit");
        DBusMenu.Node wake = TrayHostReads.child(layout, 2);
        assertThat(wake.getId()).isEqualTo(TrayMenu.WAKE);
        assertThat(wake.getProperties().get("children-display").getValue()).isEqualTo("submenu");
        assertThat(wake.getChildren().stream()
                        .map(c -> TrayHostReads.asNode(c.getValue()))
                        .map(n -> (Object) n.getProperties().get("label").getValue()))
                .containsExactly("gpu-box", "render-box");
        DBusMenu.Pair<UInt32, DBusMenu.Node> sub = menu.GetLayout(TrayMenu.WAKE, 1, List.of());
        assertThat(TrayHostReads.labels(sub)).containsExactly("gpu-box", "render-box");

        menu.Event(TrayMenu.FIRST_SLEEPING + 1, "clicked", new Variant<>(0), new UInt32(0));
        menu.Event(TrayMenu.WAKE, "clicked", new Variant<>(0), new UInt32(0)); // the submenu itself does nothing
        assertThat(clicks).containsExactly("wake b2");
        assertThat(menu.EventGroup(List.of(new DBusMenu.MenuEvent(
                        TrayMenu.FIRST_SLEEPING + 2, "clicked", new Variant<>(0), new UInt32(0)))))
                .containsExactly(TrayMenu.FIRST_SLEEPING + 2); // no third box

        tray.update(new TrayState(3, 3, 0, false, false, true)); // both woke
        await().atMost(WAIT).until(() -> updates.size() >= 2);
        assertThat(TrayHostReads.labels(menu.GetLayout(0, -1, List.of()))).doesNotContain("Wake");
    }
}
