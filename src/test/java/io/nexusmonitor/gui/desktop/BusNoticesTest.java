package io.nexusmonitor.gui.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nexusmonitor.gui.notify.Notice;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Notices through a recording notification server on a real private session bus. */
class BusNoticesTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private TestSessionBus daemon;
    private DBusConnection serverSide;
    private DesktopBus bus;
    private final List<String> acted = new CopyOnWriteArrayList<>();
    private final List<Notice> fellBack = new CopyOnWriteArrayList<>();
    private final BusNotices.Actions actions = new BusNotices.Actions() {
        @Override
        public void show() {
            acted.add("show");
        }

        @Override
        public void pin(String backendId) {
            acted.add("pin " + backendId);
        }
    };

    @BeforeEach
    void bus() throws Exception {
        daemon = TestSessionBus.start();
        serverSide = daemon.connect();
        bus = DesktopBus.connect(daemon.address(), DesktopBus.CONNECT_TIMEOUT).orElseThrow();
    }

    @AfterEach
    void close() throws Exception {
        if (bus != null) {
            bus.close();
        }
        if (serverSide != null) {
            serverSide.disconnect();
        }
        daemon.close();
    }

    @Test
    void withoutAServerThereAreNoDesktopNotices() {
        assertThat(BusNotices.open(bus, actions, fellBack::add)).isEmpty();
    }

    @Test
    void aNoticeIsOneNotifyWithHintsActionsAndEscapedMarkup() throws Exception {
        RecordingNotifications server =
                RecordingNotifications.serve(serverSide, List.of("actions", "body", "body-markup"));
        BusNotices notices = BusNotices.open(bus, actions, fellBack::add).orElseThrow();
        notices.show(new Notice("1 backend found", "Found: gpu<box> & co", List.of("id-1"), 0));
        await().atMost(WAIT).until(() -> server.calls.size() == 1);
        RecordingNotifications.Call c = server.calls.get(0);
        assertThat(c.appName()).isEqualTo("Nexus Monitor");
        assertThat(c.appIcon()).isEqualTo("nexus-monitor");
        assertThat(c.summary()).isEqualTo("1 backend found");
        assertThat(c.body()).isEqualTo("Found: gpu&lt;box&gt; &amp; co");
        assertThat(c.actions()).containsExactly("default", "Show", "show", "Show", "pin", "Pin");
        assertThat(c.hint("urgency")).isEqualTo((byte) 0);
        assertThat(c.hint("desktop-entry")).isEqualTo("nexus-monitor");
        assertThat(c.hint("category")).isEqualTo("network.connected");

        server.invoke(c.id(), "pin");
        server.invoke(c.id(), "default");
        server.invoke(c.id() + 100, "pin"); // not ours: ignored
        await().atMost(WAIT).until(() -> acted.size() == 2);
        assertThat(acted).containsExactly("pin id-1", "show");
    }

    @Test
    void aLossIsMoreUrgentAndAServerWithoutActionsGetsNone() throws Exception {
        RecordingNotifications server = RecordingNotifications.serve(serverSide, List.of("body"));
        BusNotices notices = BusNotices.open(bus, actions, fellBack::add).orElseThrow();
        notices.show(new Notice("1 backend removed", "Removed: a<b", List.of(), 1));
        await().atMost(WAIT).until(() -> server.calls.size() == 1);
        RecordingNotifications.Call c = server.calls.get(0);
        assertThat(c.hint("urgency")).isEqualTo((byte) 1);
        assertThat(c.hint("category")).isEqualTo("network.disconnected");
        assertThat(c.actions()).isEmpty();
        assertThat(c.body()).isEqualTo("Removed: a<b");
    }

    @Test
    void aServerThatWentAwayLosesOneNoticeToTheFallbackAndANewOneGetsTheNext() throws Exception {
        RecordingNotifications.serve(serverSide, List.of("body"));
        BusNotices notices = BusNotices.open(bus, actions, fellBack::add).orElseThrow();
        serverSide.disconnect(); // the notification daemon quit; the bus stays
        serverSide = null;
        Notice lost = new Notice("1 backend removed", "Removed: a", List.of(), 1);
        notices.show(lost);
        await().atMost(WAIT).until(() -> fellBack.size() == 1);
        assertThat(fellBack).containsExactly(lost);
        serverSide = daemon.connect();
        RecordingNotifications restarted = RecordingNotifications.serve(serverSide, List.of("body"));
        notices.show(new Notice("1 backend found", "Found: b", List.of("b"), 0));
        await().atMost(WAIT).until(() -> restarted.calls.size() == 1);
        assertThat(restarted.calls.get(0).summary()).isEqualTo("1 backend found");
        assertThat(fellBack).hasSize(1);
    }

    @Test
    void whenTheBusGoesAwayNoticesFallBackWithoutThrowing() throws Exception {
        RecordingNotifications.serve(serverSide, List.of("body"));
        BusNotices notices = BusNotices.open(bus, actions, fellBack::add).orElseThrow();
        daemon.kill();
        Notice first = new Notice("1 backend removed", "Removed: a", List.of(), 1);
        Notice second = new Notice("1 backend found", "Found: b", List.of("b"), 0);
        notices.show(first);
        notices.show(second);
        await().atMost(WAIT).until(() -> fellBack.size() == 2);
        assertThat(fellBack).containsExactly(first, second);
    }
}
