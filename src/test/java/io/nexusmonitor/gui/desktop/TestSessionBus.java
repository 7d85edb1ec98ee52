package io.nexusmonitor.gui.desktop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.junit.jupiter.api.Assumptions;

/**
 * A private session bus for a test: its own {@code dbus-daemon} (Debian's {@code dbus}) with a
 * session-type config that listens in a temp dir and, unlike {@code --session}, has no service
 * directories (so nothing installed here, such as dunst, is started on demand). A test that cannot
 * start it is skipped with the reason.
 */
public final class TestSessionBus implements AutoCloseable {
    private static final String DAEMON = "/usr/bin/dbus-daemon";
    private final Process process;
    private final Path dir;
    private final String address;

    private TestSessionBus(Process process, Path dir, String address) {
        this.process = process;
        this.dir = dir;
        this.address = address;
    }

    /** Starts the daemon, or skips the calling test when it cannot run here. */
    public static TestSessionBus start() throws IOException, InterruptedException {
        Assumptions.assumeTrue(
                Files.isExecutable(Path.of(DAEMON)),
                "skipped: " + DAEMON + " is not installed (apt-get install -y dbus)");
        Path dir = Files.createTempDirectory("nexus-dbus");
        Path conf = dir.resolve("session.conf");
        Files.writeString(conf, """
                <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
                 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
                <busconfig>
                  <type>session</type>
                  <listen>unix:dir=%s</listen>
                  <auth>EXTERNAL</auth>
                  <policy context="default">
                    <allow send_destination="*" eavesdrop="true"/>
                    <allow eavesdrop="true"/>
                    <allow own="*"/>
                  </policy>
                </busconfig>
                """.formatted(dir));
        Process p = new ProcessBuilder(DAEMON, "--config-file=" + conf, "--print-address", "--nofork")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String address;
        try {
            address = line.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            address = null;
        }
        if (address == null || address.isBlank()) {
            p.destroy();
            Assumptions.abort("skipped: dbus-daemon did not start here (no address printed)");
        }
        return new TestSessionBus(p, dir, address.trim());
    }

    public String address() {
        return address;
    }

    /** A new private connection to this bus (the test's side: servers, watchers, clients). */
    public DBusConnection connect() throws DBusException {
        return DBusConnectionBuilder.forAddress(address).withShared(false).build();
    }

    /** Ends the daemon, as when the desktop session goes away. */
    public void kill() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        kill();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }
}
