package io.nexusmonitor.gui.desktop;

import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.Tuple;
import org.freedesktop.dbus.TypeRef;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.DBusProperty;
import org.freedesktop.dbus.annotations.DBusProperty.Access;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.annotations.PropertiesEmitsChangedSignal.EmitChangeSignal;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/**
 * The tray icon's menu as the host reads it ({@code com.canonical.dbusmenu}, protocol version 3):
 * the layout as a tree of {@code (ia{sv}av)}, and a click coming back as {@code Event(id, "clicked")}.
 * Properties {@code Version u}, {@code TextDirection s}, {@code Status s}, {@code IconThemePath as}
 * through {@code org.freedesktop.DBus.Properties}.
 */
@DBusInterfaceName("com.canonical.dbusmenu")
@DBusProperty(name = "Version", type = UInt32.class, access = Access.READ, emitChangeSignal = EmitChangeSignal.FALSE)
@DBusProperty(
        name = "TextDirection",
        type = String.class,
        access = Access.READ,
        emitChangeSignal = EmitChangeSignal.FALSE)
@DBusProperty(name = "Status", type = String.class, access = Access.READ, emitChangeSignal = EmitChangeSignal.FALSE)
@DBusProperty(
        name = "IconThemePath",
        type = DBusMenu.Strings.class,
        access = Access.READ,
        emitChangeSignal = EmitChangeSignal.FALSE)
public interface DBusMenu extends DBusInterface {
    /** {@code as}, for the introspection data. */
    interface Strings extends TypeRef<List<String>> {}

    String INTERFACE = "com.canonical.dbusmenu";
    String PATH = "/MenuBar";
    /** The D-Bus signature of one node of the layout. */
    String NODE_SIGNATURE = "(ia{sv}av)";

    /** The revision and the node {@code parentId} with its children down to {@code recursionDepth} (-1: all). */
    Pair<UInt32, Node> GetLayout(int parentId, int recursionDepth, List<String> propertyNames);

    List<ItemProperties> GetGroupProperties(List<Integer> ids, List<String> propertyNames);

    Variant<?> GetProperty(int id, String name);

    void Event(int id, String eventId, Variant<?> data, UInt32 timestamp);

    /** Several events at once; returns the ids that were not found. */
    List<Integer> EventGroup(List<MenuEvent> events);

    /** Whether the menu under {@code id} must be read again before it shows; never here (it is sent on change). */
    boolean AboutToShow(int id);

    /** Ids whose menus must be read again, and ids not found. */
    Pair<List<Integer>, List<Integer>> AboutToShowGroup(List<Integer> ids);

    /** One node: id, properties (label, type, toggle-type, toggle-state, enabled, visible, children-display), children. */
    final class Node extends Struct {
        @Position(0)
        private final int id;

        @Position(1)
        private final Map<String, Variant<?>> properties;

        @Position(2)
        private final List<Variant<?>> children;

        public Node(int id, Map<String, Variant<?>> properties, List<Variant<?>> children) {
            this.id = id;
            this.properties = properties;
            this.children = children;
        }

        public int getId() {
            return id;
        }

        public Map<String, Variant<?>> getProperties() {
            return properties;
        }

        public List<Variant<?>> getChildren() {
            return children;
        }
    }

    /** Two out-arguments (dbus-java reads a reply's types from a generic tuple's type arguments). */
    final class Pair<A, B> extends Tuple {
        @Position(0)
        private final A first;

        @Position(1)
        private final B second;

        public Pair(A first, B second) {
            this.first = first;
            this.second = second;
        }

        public A getFirst() {
            return first;
        }

        public B getSecond() {
            return second;
        }
    }

    final class ItemProperties extends Struct {
        @Position(0)
        private final int id;

        @Position(1)
        private final Map<String, Variant<?>> properties;

        public ItemProperties(int id, Map<String, Variant<?>> properties) {
            this.id = id;
            this.properties = properties;
        }

        public int getId() {
            return id;
        }

        public Map<String, Variant<?>> getProperties() {
            return properties;
        }
    }

    final class MenuEvent extends Struct {
        @Position(0)
        private final int id;

        @Position(1)
        private final String eventId;

        @Position(2)
        private final Variant<?> data;

        @Position(3)
        private final UInt32 timestamp;

        public MenuEvent(int id, String eventId, Variant<?> data, UInt32 timestamp) {
            this.id = id;
            this.eventId = eventId;
            this.data = data;
            this.timestamp = timestamp;
        }

        public int getId() {
            return id;
        }

        public String getEventId() {
            return eventId;
        }

        public Variant<?> getData() {
            return data;
        }

        public UInt32 getTimestamp() {
            return timestamp;
        }
    }

    /** The layout under {@code parent} changed: read it again (revision is the new one). */
    class LayoutUpdated extends DBusSignal {
        private final UInt32 revision;
        private final int parent;

        public LayoutUpdated(String path, UInt32 revision, int parent) throws DBusException {
            super(path, revision, parent);
            this.revision = revision;
            this.parent = parent;
        }

        public UInt32 getRevision() {
            return revision;
        }

        public int getParent() {
            return parent;
        }
    }
}
