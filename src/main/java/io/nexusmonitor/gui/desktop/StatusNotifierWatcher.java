package io.nexusmonitor.gui.desktop;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;

/**
 * The tray host's registry of items ({@code org.kde.StatusNotifierWatcher} at
 * {@code /StatusNotifierWatcher}): KDE Plasma, GNOME's AppIndicator extension, XFCE, waybar serve it.
 * Properties (read through {@code org.freedesktop.DBus.Properties}):
 * {@code RegisteredStatusNotifierItems as}, {@code IsStatusNotifierHostRegistered b}, {@code ProtocolVersion i}.
 */
@DBusInterfaceName("org.kde.StatusNotifierWatcher")
public interface StatusNotifierWatcher extends DBusInterface {
    String BUS_NAME = "org.kde.StatusNotifierWatcher";
    String PATH = "/StatusNotifierWatcher";

    /** Registers an item by its bus name (the item lives at {@code /StatusNotifierItem} there). */
    void RegisterStatusNotifierItem(String service);

    void RegisterStatusNotifierHost(String service);

    class StatusNotifierItemRegistered extends DBusSignal {
        private final String service;

        public StatusNotifierItemRegistered(String path, String service) throws DBusException {
            super(path, service);
            this.service = service;
        }

        public String getService() {
            return service;
        }
    }

    class StatusNotifierItemUnregistered extends DBusSignal {
        private final String service;

        public StatusNotifierItemUnregistered(String path, String service) throws DBusException {
            super(path, service);
            this.service = service;
        }

        public String getService() {
            return service;
        }
    }

    class StatusNotifierHostRegistered extends DBusSignal {
        public StatusNotifierHostRegistered(String path) throws DBusException {
            super(path);
        }
    }
}
