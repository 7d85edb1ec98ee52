package io.nexusmonitor.gui.desktop;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.Variant;

/**
 * The XDG desktop portal's settings ({@code org.freedesktop.portal.Settings} on
 * {@code org.freedesktop.portal.Desktop} at {@code /org/freedesktop/portal/desktop}): only the read
 * and the change signal this app uses, for {@code org.freedesktop.appearance color-scheme}.
 */
@DBusInterfaceName("org.freedesktop.portal.Settings")
public interface PortalSettings extends DBusInterface {
    String BUS_NAME = "org.freedesktop.portal.Desktop";
    String PATH = "/org/freedesktop/portal/desktop";
    String APPEARANCE = "org.freedesktop.appearance";
    String COLOR_SCHEME = "color-scheme";

    /** One setting's value (version 1 of the interface wraps it in a second variant). */
    Variant<?> Read(String namespace, String key);

    /** A setting changed: the desktop switched between light and dark, for instance. */
    class SettingChanged extends DBusSignal {
        private final String namespace;
        private final String key;
        private final Variant<?> value;

        public SettingChanged(String path, String namespace, String key, Variant<?> value) throws DBusException {
            super(path, namespace, key, value);
            this.namespace = namespace;
            this.key = key;
            this.value = value;
        }

        public String getNamespace() {
            return namespace;
        }

        public String getKey() {
            return key;
        }

        public Variant<?> getValue() {
            return value;
        }
    }
}
