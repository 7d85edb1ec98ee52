package io.nexusmonitor.gui.desktop;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/** A notification server for tests: owns {@code org.freedesktop.Notifications} and records every Notify. */
public final class RecordingNotifications implements Notifications {
    /** One Notify call as the server received it. */
    public record Call(
            long id,
            String appName,
            String appIcon,
            String summary,
            String body,
            List<String> actions,
            Map<String, Variant<?>> hints) {
        public Object hint(String name) {
            Variant<?> v = hints.get(name);
            return v == null ? null : v.getValue();
        }
    }

    public final List<Call> calls = new CopyOnWriteArrayList<>();
    /** How often a client asked for the capabilities (a client does on start). */
    public final java.util.concurrent.atomic.AtomicInteger capabilityQueries =
            new java.util.concurrent.atomic.AtomicInteger();

    private final AtomicLong ids = new AtomicLong();
    private final DBusConnection connection;
    private final List<String> capabilities;

    private RecordingNotifications(DBusConnection connection, List<String> capabilities) {
        this.connection = connection;
        this.capabilities = capabilities;
    }

    /** Puts the server on the bus behind {@code connection}. */
    public static RecordingNotifications serve(DBusConnection connection, List<String> capabilities)
            throws DBusException {
        RecordingNotifications s = new RecordingNotifications(connection, capabilities);
        connection.exportObject(PATH, s);
        connection.requestBusName(BUS_NAME);
        return s;
    }

    @Override
    public UInt32 Notify(
            String appName,
            UInt32 replacesId,
            String appIcon,
            String summary,
            String body,
            List<String> actions,
            Map<String, Variant<?>> hints,
            int expireTimeout) {
        long id = ids.incrementAndGet();
        calls.add(new Call(id, appName, appIcon, summary, body, List.copyOf(actions), Map.copyOf(hints)));
        return new UInt32(id);
    }

    @Override
    public List<String> GetCapabilities() {
        capabilityQueries.incrementAndGet();
        return capabilities;
    }

    @Override
    public void CloseNotification(UInt32 id) {}

    /** The user clicks action {@code key} of notice {@code id}. */
    public void invoke(long id, String key) throws DBusException {
        connection.sendMessage(new ActionInvoked(PATH, new UInt32(id), key));
    }

    @Override
    public String getObjectPath() {
        return PATH;
    }
}
