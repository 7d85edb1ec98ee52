package io.nexusmonitor.gui.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.gui.desktop.DesktopRoute.NoticeKind;
import io.nexusmonitor.gui.desktop.DesktopRoute.TrayKind;
import io.nexusmonitor.gui.notify.Notice;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The plain rules: which path, the icon and tooltip by state, urgency and actions, the menu. */
class DesktopRulesTest {
    @Test
    void theRoutePrefersDBusThenAwtThenTheBanner() {
        assertThat(DesktopRoute.choose(true, false, true))
                .isEqualTo(new DesktopRoute(TrayKind.STATUS_NOTIFIER, NoticeKind.DESKTOP));
        assertThat(DesktopRoute.choose(false, true, false))
                .isEqualTo(new DesktopRoute(TrayKind.AWT, NoticeKind.TRAY_BALLOON));
        assertThat(DesktopRoute.choose(false, true, true))
                .isEqualTo(new DesktopRoute(TrayKind.AWT, NoticeKind.DESKTOP));
        // GNOME without the AppIndicator extension: desktop notices, no tray, closing quits
        assertThat(DesktopRoute.choose(false, false, true))
                .isEqualTo(new DesktopRoute(TrayKind.NONE, NoticeKind.DESKTOP));
        assertThat(DesktopRoute.choose(true, false, false))
                .isEqualTo(new DesktopRoute(TrayKind.STATUS_NOTIFIER, NoticeKind.BANNER));
        assertThat(DesktopRoute.choose(false, false, false))
                .isEqualTo(new DesktopRoute(TrayKind.NONE, NoticeKind.BANNER));
        assertThat(DesktopRoute.choose(false, false, true).closeHides()).isFalse();
        assertThat(DesktopRoute.choose(true, false, false).closeHides()).isTrue();
        assertThat(DesktopRoute.tryAwtTray(true)).isFalse();
        assertThat(DesktopRoute.tryAwtTray(false)).isTrue();
    }

    @Test
    void theTrayStateGivesMoodTooltipAndStatus() {
        assertThat(new TrayState(0, 0, 0, false, false, true).mood()).isEqualTo(TrayImages.Mood.IDLE);
        assertThat(new TrayState(0, 3, 0, false, false, true).mood()).isEqualTo(TrayImages.Mood.IDLE);
        assertThat(new TrayState(2, 3, 0, false, false, true).mood()).isEqualTo(TrayImages.Mood.MIXED);
        assertThat(new TrayState(3, 3, 0, false, false, true).mood()).isEqualTo(TrayImages.Mood.GOOD);
        assertThat(new TrayState(3, 5, 0, false, false, true).tooltip()).isEqualTo("Nexus Monitor: 3 / 5 healthy");
        assertThat(new TrayState(3, 5, 2, false, false, true).tooltip())
                .isEqualTo("Nexus Monitor: 3 / 5 healthy · 2 queued");
        assertThat(new TrayState(3, 5, 2, false, false, true, "42 tokens/s · 2 queued").tooltip())
                .isEqualTo("Nexus Monitor: 3 / 5 healthy · 42 tokens/s · 2 queued");
        assertThat(new TrayState(3, 5, 0, true, false, true).sniStatus()).isEqualTo("NeedsAttention");
        assertThat(new TrayState(3, 5, 0, false, false, true).sniStatus()).isEqualTo("Active");
        assertThat(new TrayState(3, 5, 0, false, false, false).showHideLabel()).isEqualTo("Show window");
    }

    @Test
    void pixmapsAreArgbInNetworkOrder() {
        byte[] px = TrayImages.argb32(16, TrayImages.Mood.GOOD);
        assertThat(px).hasSize(16 * 16 * 4);
        int i = (13 * 16 + 8) * 4; // on the disc, below the nodes and lines
        assertThat(px[i] & 0xff).isEqualTo(0xff);
        assertThat(((px[i + 1] & 0xff) << 16) | ((px[i + 2] & 0xff) << 8) | (px[i + 3] & 0xff))
                .isEqualTo(TrayImages.Mood.GOOD.rgb());
        assertThat(px[0]).isZero(); // the corner is transparent
    }

    @Test
    void urgencyCategoryActionsAndBody() {
        Notice found = new Notice("1 backend found", "Found: a & b", List.of("id-a"), 0);
        Notice many = new Notice("2 backends found", "Found: a, b", List.of("id-a", "id-b"), 0);
        Notice lost = new Notice("1 backend removed", "Removed: a", List.of(), 1);
        Notice both = new Notice("1 backend found, 1 removed", "Found: a\nRemoved: b", List.of("id-a"), 1);
        assertThat(NoticeStyle.urgency(found)).isEqualTo(NoticeStyle.LOW);
        assertThat(NoticeStyle.urgency(lost)).isEqualTo(NoticeStyle.NORMAL);
        assertThat(NoticeStyle.urgency(both)).isEqualTo(NoticeStyle.NORMAL);
        Notice degraded = new Notice("1 backend degraded", "Degraded: a (slow)", List.of(), 0, 1);
        assertThat(NoticeStyle.urgency(degraded))
                .as("a degradation is as urgent as a loss")
                .isEqualTo(NoticeStyle.NORMAL);
        assertThat(NoticeStyle.category(degraded)).isEqualTo("network");
        assertThat(NoticeStyle.category(found)).isEqualTo("network.connected");
        assertThat(NoticeStyle.category(lost)).isEqualTo("network.disconnected");
        assertThat(NoticeStyle.category(both)).isEqualTo("network");
        Set<String> caps = Set.of("actions", "body");
        assertThat(NoticeStyle.actions(found, caps)).containsExactly("default", "Show", "show", "Show", "pin", "Pin");
        assertThat(NoticeStyle.actions(many, caps)).containsExactly("default", "Show", "show", "Show");
        assertThat(NoticeStyle.actions(found, Set.of("body"))).isEmpty();
        assertThat(NoticeStyle.body(found, caps)).isEqualTo("Found: a & b");
        assertThat(NoticeStyle.body(found, Set.of("body-markup"))).isEqualTo("Found: a &amp; b");
        assertThat(NoticeStyle.hints(lost).get("desktop-entry").getValue()).isEqualTo("nexus-monitor");
        assertThat(NoticeStyle.hints(lost).get("urgency").getValue()).isEqualTo((byte) 1);
    }

    @Test
    void thePackagedDesktopEntryNamesTheWindowClassTheAppSets() throws Exception {
        List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of("jpackage/nexus-monitor.desktop"));
        assertThat(lines).contains("StartupWMClass=" + WindowClass.NAME);
        assertThat(lines)
                .as("the menu entry starts the window with the environment the login entry gives it")
                .contains("Exec="
                        + Autostart.exec(WindowRendering.launchedWithEnvironment(
                                List.of("/opt/nexus-monitor/bin/nexus-monitor"))));
    }

    @Test
    void theWindowDrawsInSoftwareAt30PulsesUnlessTheUserChoseOtherwise() {
        String pipeline = System.getProperty("prism.order");
        String pulse = System.getProperty("javafx.animation.pulse");
        try {
            System.clearProperty("prism.order");
            System.clearProperty("javafx.animation.pulse");
            WindowRendering.applyDefaults();
            assertThat(System.getProperty("prism.order")).isEqualTo("sw");
            assertThat(System.getProperty("javafx.animation.pulse")).isEqualTo("30");
            System.setProperty("prism.order", "es2,sw");
            System.setProperty("javafx.animation.pulse", "60");
            WindowRendering.applyDefaults();
            assertThat(System.getProperty("prism.order")).isEqualTo("es2,sw");
            assertThat(System.getProperty("javafx.animation.pulse")).isEqualTo("60");
        } finally {
            restore("prism.order", pipeline);
            restore("javafx.animation.pulse", pulse);
        }
        assertThat(WindowRendering.environmentSet(Map.of("GDK_GL", "disable"))).isTrue();
        assertThat(WindowRendering.environmentSet(Map.of("GDK_GL", "")))
                .as("the user's own value")
                .isTrue();
        assertThat(WindowRendering.environmentSet(Map.of("PATH", "/usr/bin"))).isFalse();
        assertThat(WindowRendering.launchedWithEnvironment(List.of("nexus-monitor", "-c", "a b.toml")))
                .containsExactly("env", "GDK_GL=disable", "nexus-monitor", "-c", "a b.toml");
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void theMenuHasItsEntriesAndClicksDoWhatTheySay() {
        TrayState paused = new TrayState(0, 0, 0, false, true, false);
        assertThat(TrayMenu.properties(TrayMenu.SHOW_HIDE, paused)).containsEntry("label", "Show window");
        assertThat(TrayMenu.properties(TrayMenu.PAUSE, paused))
                .containsEntry("toggle-type", "checkmark")
                .containsEntry("toggle-state", 1);
        assertThat(TrayMenu.properties(TrayMenu.SEPARATOR, paused)).containsEntry("type", "separator");
        assertThat(TrayMenu.properties(TrayMenu.ROOT, paused)).containsEntry("children-display", "submenu");
        List<String> did = new CopyOnWriteArrayList<>();
        Tray.Callbacks cb = new Tray.Callbacks(
                () -> did.add("show/hide"), p -> did.add(p ? "pause" : "resume"), () -> did.add("quit"));
        assertThat(TrayMenu.clicked(TrayMenu.PAUSE, paused, cb)).isTrue();
        assertThat(TrayMenu.clicked(TrayMenu.SEPARATOR, paused, cb)).isFalse();
        assertThat(TrayMenu.clicked(TrayMenu.QUIT, paused, cb)).isTrue();
        assertThat(did).containsExactly("resume", "quit");
        assertThat(TrayMenu.exists(9)).isFalse();
    }
}
