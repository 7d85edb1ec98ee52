package io.nexusmonitor.gui.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nexusmonitor.gui.theme.Appearance;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The desktop portal's color-scheme read and followed over a real private session bus, as a portal serves it. */
class PortalAppearanceTest {
    private TestSessionBus daemon;
    private DBusConnection portal;
    private DesktopBus bus;
    private volatile long scheme = 1;

    @BeforeEach
    void bus() throws Exception {
        daemon = TestSessionBus.start();
        bus = DesktopBus.connect(daemon.address(), DesktopBus.CONNECT_TIMEOUT).orElseThrow();
    }

    @AfterEach
    void close() throws Exception {
        if (bus != null) {
            bus.close();
        }
        if (portal != null) {
            portal.disconnect();
        }
        daemon.close();
    }

    private void servePortal() throws Exception {
        portal = daemon.connect();
        portal.exportObject(PortalSettings.PATH, new PortalSettings() {
            @Override
            public Variant<?> Read(String namespace, String key) {
                // version 1 of the interface: the value inside a second variant
                return new Variant<>(new Variant<>(new UInt32(scheme)));
            }

            @Override
            public String getObjectPath() {
                return PortalSettings.PATH;
            }
        });
        portal.requestBusName(PortalSettings.BUS_NAME);
    }

    @Test
    void withoutAPortalNothingIsStated() {
        assertThat(PortalAppearance.read(bus)).isEmpty();
    }

    @Test
    void readsThePortalsColourScheme() throws Exception {
        servePortal();
        assertThat(PortalAppearance.read(bus)).contains(Appearance.DARK);
        scheme = 2;
        assertThat(PortalAppearance.read(bus)).contains(Appearance.LIGHT);
        scheme = 0;
        assertThat(PortalAppearance.read(bus)).isEmpty();
    }

    @Test
    void followsTheDesktopSwitchingThroughSettingChanged() throws Exception {
        servePortal();
        List<Optional<Appearance>> seen = new CopyOnWriteArrayList<>();
        PortalAppearance.follow(bus, seen::add);
        portal.sendMessage(new PortalSettings.SettingChanged(
                PortalSettings.PATH, "org.gnome.desktop.interface", "font-name", new Variant<>("Cantarell 11")));
        portal.sendMessage(new PortalSettings.SettingChanged(
                PortalSettings.PATH,
                PortalSettings.APPEARANCE,
                PortalSettings.COLOR_SCHEME,
                new Variant<>(new UInt32(1))));
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
        assertThat(seen).containsExactly(Optional.of(Appearance.DARK));
    }
}
