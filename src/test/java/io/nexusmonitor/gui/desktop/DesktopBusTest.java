package io.nexusmonitor.gui.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connecting to the session bus: a missing or mute bus is an empty result in bounded time, never a hang. */
class DesktopBusTest {
    @TempDir
    Path dir;

    @Test
    void theAddressComesFromTheEnvironmentOrTheUserBusSocket() throws Exception {
        assertThat(DesktopBus.sessionAddress(Map.of("DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/user/1000/bus")))
                .hasValue("unix:path=/run/user/1000/bus");
        assertThat(DesktopBus.sessionAddress(Map.of())).isEmpty();
        assertThat(DesktopBus.sessionAddress(Map.of("XDG_RUNTIME_DIR", dir.toString())))
                .isEmpty();
        Files.createFile(dir.resolve("bus"));
        assertThat(DesktopBus.sessionAddress(Map.of("XDG_RUNTIME_DIR", dir.toString())))
                .hasValue("unix:path=" + dir.resolve("bus"));
    }

    @Test
    void aMissingSocketIsNoBus() {
        assertThat(DesktopBus.connect("unix:path=" + dir.resolve("nothing-here") + ",guid=0", Duration.ofSeconds(3)))
                .isEmpty();
        assertThat(DesktopBus.socketPath("unix:path=/run/user/1000/bus,guid=1;tcp:host=x"))
                .hasValue(Path.of("/run/user/1000/bus"));
        assertThat(DesktopBus.socketPath("unix:abstract=/tmp/dbus-x")).isEmpty();
    }

    @Test
    void aGarbledAddressIsNoBus() {
        assertThat(DesktopBus.connect("this is not an address", Duration.ofSeconds(3)))
                .isEmpty();
    }

    @Test
    void aSocketThatNeverAnswersIsGivenUpAfterTheTimeout() throws Exception {
        Path sock = dir.resolve("mute");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            CountDownLatch testDone = new CountDownLatch(1);
            Thread acceptor = new Thread(() -> {
                try (SocketChannel c = server.accept()) {
                    testDone.await(); // holds the connection and says nothing until the test is over
                } catch (Exception ignored) {
                    // closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            // the point is that it returns at all (the daemon-side read would block for ever), not how fast
            assertThat(DesktopBus.connect("unix:path=" + sock, Duration.ofMillis(1500)))
                    .isEmpty();
            testDone.countDown();
        }
    }

    @Test
    void aRealDaemonAnswers() throws Exception {
        try (TestSessionBus daemon = TestSessionBus.start();
                DesktopBus bus = DesktopBus.connect(daemon.address(), DesktopBus.CONNECT_TIMEOUT)
                        .orElseThrow()) {
            assertThat(bus.hasOwner("org.freedesktop.DBus")).isTrue();
            assertThat(bus.ownedOrActivatable(Notifications.BUS_NAME)).isFalse();
            assertThat(bus.lost()).isFalse();
        }
    }
}
