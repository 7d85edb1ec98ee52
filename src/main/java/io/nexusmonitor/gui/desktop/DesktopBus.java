package io.nexusmonitor.gui.desktop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.messages.MethodCall;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to the desktop's session bus. Connecting runs on its own thread with a timeout, so
 * a missing bus, a dead daemon or a socket that never answers costs one log line and an empty
 * result, never a hang or an exception; every method call on the bus waits at most
 * {@link #CALL_TIMEOUT}. Never call it from the FX thread.
 */
public final class DesktopBus implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DesktopBus.class);
    /**
     * Generous: the first connect loads dbus-java (0.4-1 s measured on a loaded 2-core box) and it
     * runs off the FX thread; only a bus that never answers waits this long before the fallback.
     */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private final DBusConnection connection;
    private final DBus daemon;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean lost;

    private DesktopBus(DBusConnection connection) throws DBusException {
        this.connection = connection;
        this.daemon = connection.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
    }

    /**
     * The session bus's address: {@code DBUS_SESSION_BUS_ADDRESS}, else the systemd user bus at
     * {@code $XDG_RUNTIME_DIR/bus} when that socket exists; empty when neither.
     */
    public static Optional<String> sessionAddress(Map<String, String> env) {
        String a = env.get("DBUS_SESSION_BUS_ADDRESS");
        if (a != null && !a.isBlank()) {
            return Optional.of(a.trim());
        }
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank() && Files.exists(Path.of(runtime, "bus"))) {
            return Optional.of("unix:path=" + Path.of(runtime, "bus"));
        }
        return Optional.empty();
    }

    /**
     * Connects to this session's bus ({@link #sessionAddress}; a system property
     * {@code DBUS_SESSION_BUS_ADDRESS} comes first, as in dbus-java itself); empty, after one log
     * line, when it cannot.
     */
    public static Optional<DesktopBus> connectSession() {
        String property = System.getProperty("DBUS_SESSION_BUS_ADDRESS");
        Optional<String> address =
                property != null && !property.isBlank() ? Optional.of(property) : sessionAddress(System.getenv());
        if (address.isEmpty()) {
            log.info(
                    "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set): using the AWT tray or in-window notices");
            return Optional.empty();
        }
        return connect(address.get(), CONNECT_TIMEOUT);
    }

    /** Connects to the bus at {@code address} within {@code timeout}; empty, after one log line, when it cannot. */
    public static Optional<DesktopBus> connect(String address, Duration timeout) {
        Optional<Path> socket = socketPath(address);
        if (socket.isPresent() && !Files.exists(socket.get())) {
            log.warn("no D-Bus session bus (nothing at {}): using the AWT tray or in-window notices", socket.get());
            return Optional.empty();
        }
        MethodCall.setDefaultTimeout(CALL_TIMEOUT.toMillis());
        CompletableFuture<DesktopBus> result = new CompletableFuture<>();
        Thread t = new Thread(
                () -> {
                    DBusConnection c = null;
                    try {
                        c = DBusConnectionBuilder.forAddress(address)
                                .withShared(false)
                                .build();
                        DesktopBus bus = new DesktopBus(c);
                        bus.daemon.GetId(); // a round trip: the daemon answers
                        if (!result.complete(bus)) {
                            bus.close(); // too late: the caller gave up
                        }
                    } catch (Exception | LinkageError e) {
                        if (c != null) {
                            c.disconnect();
                        }
                        result.completeExceptionally(e);
                    }
                },
                "nexus-dbus-connect");
        t.setDaemon(true);
        t.start();
        try {
            DesktopBus bus = result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            bus.connection.setWeakReferences(false);
            return Optional.of(bus);
        } catch (TimeoutException e) {
            result.cancel(false);
            log.warn(
                    "the D-Bus session bus did not answer within {} ms: using the AWT tray or in-window notices",
                    timeout.toMillis());
        } catch (ExecutionException e) {
            log.warn("no D-Bus session bus ({}): using the AWT tray or in-window notices", reason(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }

    /** The socket file of a {@code unix:path=...} address (the first, where several are listed). */
    static Optional<Path> socketPath(String address) {
        String first = address.split(";", 2)[0].trim();
        if (!first.startsWith("unix:")) {
            return Optional.empty();
        }
        for (String kv : first.substring("unix:".length()).split(",")) {
            if (kv.startsWith("path=") && kv.length() > "path=".length()) {
                return Optional.of(Path.of(kv.substring("path=".length())));
            }
        }
        return Optional.empty();
    }

    private static String reason(@Nullable Throwable t) {
        if (t == null) {
            return "no reason given";
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    public DBusConnection connection() {
        return connection;
    }

    /** Whether {@code name} has an owner on the bus now. */
    public boolean hasOwner(String name) {
        try {
            return daemon.NameHasOwner(name);
        } catch (RuntimeException e) {
            log.debug("NameHasOwner({}) failed", name, e);
            return false;
        }
    }

    /** Whether {@code name} has an owner or the bus can start one (a D-Bus activatable service). */
    public boolean ownedOrActivatable(String name) {
        if (hasOwner(name)) {
            return true;
        }
        try {
            return Arrays.asList(daemon.ListActivatableNames()).contains(name);
        } catch (RuntimeException e) {
            log.debug("ListActivatableNames failed", e);
            return false;
        }
    }

    /** True once a call found the bus gone; the first such call logs it. */
    public boolean lost() {
        return lost || !connection.isConnected();
    }

    /** Notes that a call failed because the bus is gone; logs once. */
    void markLost(Throwable cause) {
        if (!lost) {
            lost = true;
            log.warn(
                    "the D-Bus session bus went away ({}): notices fall back to the tray balloon or the window from now on",
                    reason(cause));
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            connection.disconnect();
        }
    }
}
