package io.nexusmonitor.gui.desktop;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.Variant;

/** A StatusNotifierWatcher with a host, for tests: owns {@code org.kde.StatusNotifierWatcher} and records registrations. */
public final class TestWatcher implements StatusNotifierWatcher, Properties {
    public final List<String> items = new CopyOnWriteArrayList<>();
    private final DBusConnection connection;

    private TestWatcher(DBusConnection connection) {
        this.connection = connection;
    }

    public static TestWatcher serve(DBusConnection connection) throws DBusException {
        TestWatcher w = new TestWatcher(connection);
        connection.exportObject(PATH, w);
        connection.requestBusName(BUS_NAME);
        return w;
    }

    @Override
    public void RegisterStatusNotifierItem(String service) {
        items.add(service);
        try {
            connection.sendMessage(new StatusNotifierItemRegistered(PATH, service));
        } catch (DBusException e) {
            throw new DBusExecutionException(e.getMessage());
        }
    }

    @Override
    public void RegisterStatusNotifierHost(String service) {}

    @Override
    @SuppressWarnings("unchecked")
    public <A> A Get(String iface, String property) {
        Variant<?> v = GetAll(iface).get(property);
        if (v == null) {
            throw new DBusExecutionException("no property " + property);
        }
        return (A) v;
    }

    @Override
    public <A> void Set(String iface, String property, A value) {
        throw new DBusExecutionException("read-only");
    }

    @Override
    public Map<String, Variant<?>> GetAll(String iface) {
        return Map.of(
                "RegisteredStatusNotifierItems",
                new Variant<>(List.copyOf(items), "as"),
                "IsStatusNotifierHostRegistered",
                new Variant<>(true),
                "ProtocolVersion",
                new Variant<>(0));
    }

    @Override
    public String getObjectPath() {
        return PATH;
    }
}
