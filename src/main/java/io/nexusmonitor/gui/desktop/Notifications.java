package io.nexusmonitor.gui.desktop;

import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/**
 * The freedesktop notification service ({@code org.freedesktop.Notifications} at
 * {@code /org/freedesktop/Notifications}, Desktop Notifications Specification 1.2): what GNOME,
 * KDE, XFCE, Cinnamon, dunst and mako serve. Only the calls this app makes and the signals it reads.
 */
@DBusInterfaceName("org.freedesktop.Notifications")
public interface Notifications extends DBusInterface {
    String BUS_NAME = "org.freedesktop.Notifications";
    String PATH = "/org/freedesktop/Notifications";

    /** Shows a notice; returns its id (the server's), which the signals name. */
    UInt32 Notify(
            String appName,
            UInt32 replacesId,
            String appIcon,
            String summary,
            String body,
            List<String> actions,
            Map<String, Variant<?>> hints,
            int expireTimeout);

    /** What the server can do: {@code actions}, {@code body}, {@code body-markup}, ... */
    List<String> GetCapabilities();

    void CloseNotification(UInt32 id);

    /** The user chose an action of notice {@code id} ({@code default} is a click on the notice itself). */
    class ActionInvoked extends DBusSignal {
        private final UInt32 id;
        private final String actionKey;

        public ActionInvoked(String path, UInt32 id, String actionKey) throws DBusException {
            super(path, id, actionKey);
            this.id = id;
            this.actionKey = actionKey;
        }

        public UInt32 getId() {
            return id;
        }

        public String getActionKey() {
            return actionKey;
        }
    }

    /** Notice {@code id} went away: 1 expired, 2 dismissed, 3 closed by a call, 4 other. */
    class NotificationClosed extends DBusSignal {
        private final UInt32 id;
        private final UInt32 reason;

        public NotificationClosed(String path, UInt32 id, UInt32 reason) throws DBusException {
            super(path, id, reason);
            this.id = id;
            this.reason = reason;
        }

        public UInt32 getId() {
            return id;
        }

        public UInt32 getReason() {
            return reason;
        }
    }
}
