package io.nexusmonitor.gui.desktop;

import java.util.List;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.TypeRef;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.DBusProperty;
import org.freedesktop.dbus.annotations.DBusProperty.Access;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.annotations.PropertiesEmitsChangedSignal.EmitChangeSignal;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;

/**
 * A tray icon as the desktop's tray host sees it ({@code org.kde.StatusNotifierItem} at
 * {@code /StatusNotifierItem}). Its properties (Category, Id, Title, Status, IconName, IconPixmap,
 * AttentionIconPixmap, ToolTip, ItemIsMenu, Menu, WindowId) are served through
 * {@code org.freedesktop.DBus.Properties}; the signals tell the host to read them again.
 */
@DBusInterfaceName("org.kde.StatusNotifierItem")
@DBusProperty(name = "Category", type = String.class, access = Access.READ, emitChangeSignal = EmitChangeSignal.FALSE)
@DBusProperty(name = "Id", type = String.class, access = Access.READ, emitChangeSignal = EmitChangeSignal.FALSE)
@DBusProperty(name = "Title", type = String.class, access = Access.READ, emitChangeSignal = EmitChangeSignal.FALSE)
@DBusProperty(name = "Status", type = String.class, access = Access.READ, emitChangeSignal = EmitChangeSignal.FALSE)
@DBusProperty(name = "WindowId", type = Integer.class, access = Access.READ, emitChangeSignal = EmitChangeSignal.FALSE)
@DBusProperty(
        name = "IconThemePath",
        type = String.class,
        access = Access.READ,
        emitChangeSignal = EmitChangeSignal.FALSE)
@DBusProperty(name = "IconName", type = String.class, access = Access.READ, emitChangeSignal = EmitChangeSignal.FALSE)
@DBusProperty(
        name = "IconPixmap",
        type = StatusNotifierItem.Pixmaps.class,
        access = Access.READ,
        emitChangeSignal = EmitChangeSignal.FALSE)
@DBusProperty(
        name = "OverlayIconName",
        type = String.class,
        access = Access.READ,
        emitChangeSignal = EmitChangeSignal.FALSE)
@DBusProperty(
        name = "OverlayIconPixmap",
        type = StatusNotifierItem.Pixmaps.class,
        access = Access.READ,
        emitChangeSignal = EmitChangeSignal.FALSE)
@DBusProperty(
        name = "AttentionIconName",
        type = String.class,
        access = Access.READ,
        emitChangeSignal = EmitChangeSignal.FALSE)
@DBusProperty(
        name = "AttentionIconPixmap",
        type = StatusNotifierItem.Pixmaps.class,
        access = Access.READ,
        emitChangeSignal = EmitChangeSignal.FALSE)
@DBusProperty(
        name = "AttentionMovieName",
        type = String.class,
        access = Access.READ,
        emitChangeSignal = EmitChangeSignal.FALSE)
@DBusProperty(
        name = "ToolTip",
        type = StatusNotifierItem.ToolTip.class,
        access = Access.READ,
        emitChangeSignal = EmitChangeSignal.FALSE)
@DBusProperty(
        name = "ItemIsMenu",
        type = Boolean.class,
        access = Access.READ,
        emitChangeSignal = EmitChangeSignal.FALSE)
@DBusProperty(name = "Menu", type = DBusPath.class, access = Access.READ, emitChangeSignal = EmitChangeSignal.FALSE)
public interface StatusNotifierItem extends DBusInterface {
    String INTERFACE = "org.kde.StatusNotifierItem";
    String PATH = "/StatusNotifierItem";

    /** Left click: show or hide the window. */
    void Activate(int x, int y);

    /** Middle click: the same as a left click here. */
    void SecondaryActivate(int x, int y);

    /** Right click where the host draws no menu itself; the menu is over dbusmenu, so nothing to do. */
    void ContextMenu(int x, int y);

    void Scroll(int delta, String orientation);

    /** The type of the pixmap properties, {@code a(iiay)}, for the introspection data. */
    interface Pixmaps extends TypeRef<List<Pixmap>> {}

    /** One icon image {@code (iiay)}: width, height, ARGB32 pixels in network byte order, row by row. */
    final class Pixmap extends Struct {
        @Position(0)
        private final int width;

        @Position(1)
        private final int height;

        @Position(2)
        private final byte[] data;

        public Pixmap(int width, int height, byte[] data) {
            this.width = width;
            this.height = height;
            this.data = data;
        }

        public int getWidth() {
            return width;
        }

        public int getHeight() {
            return height;
        }

        public byte[] getData() {
            return data;
        }
    }

    /** The tooltip {@code (sa(iiay)ss)}: icon name, icon images, title, text. */
    final class ToolTip extends Struct {
        @Position(0)
        private final String iconName;

        @Position(1)
        private final List<Pixmap> iconPixmap;

        @Position(2)
        private final String title;

        @Position(3)
        private final String text;

        public ToolTip(String iconName, List<Pixmap> iconPixmap, String title, String text) {
            this.iconName = iconName;
            this.iconPixmap = iconPixmap;
            this.title = title;
            this.text = text;
        }

        public String getIconName() {
            return iconName;
        }

        public List<Pixmap> getIconPixmap() {
            return iconPixmap;
        }

        public String getTitle() {
            return title;
        }

        public String getText() {
            return text;
        }
    }

    class NewIcon extends DBusSignal {
        public NewIcon(String path) throws DBusException {
            super(path);
        }
    }

    class NewAttentionIcon extends DBusSignal {
        public NewAttentionIcon(String path) throws DBusException {
            super(path);
        }
    }

    class NewToolTip extends DBusSignal {
        public NewToolTip(String path) throws DBusException {
            super(path);
        }
    }

    class NewTitle extends DBusSignal {
        public NewTitle(String path) throws DBusException {
            super(path);
        }
    }

    class NewStatus extends DBusSignal {
        private final String status;

        public NewStatus(String path, String status) throws DBusException {
            super(path, status);
            this.status = status;
        }

        public String getStatus() {
            return status;
        }
    }
}
