package io.nexusmonitor.gui.desktop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tray icon as a StatusNotifierItem on the session bus: the item at {@code /StatusNotifierItem}
 * under the name {@code org.kde.StatusNotifierItem-PID-1}, registered with the
 * {@code org.kde.StatusNotifierWatcher} (again whenever a new watcher appears, as when the shell
 * restarts), and its menu over {@code com.canonical.dbusmenu} at {@code /MenuBar}. The icon is drawn
 * ({@link TrayImages}) and sent as pixmaps. {@link #update} only records the state and tells the
 * host what changed, on this tray's own thread.
 */
public final class SniTray implements Tray {
    private static final Logger log = LoggerFactory.getLogger(SniTray.class);
    /** Up to 128 px: a tray at 22-48 px on a 2x or 3x (HiDPI) screen picks a sharp size instead of scaling up. */
    static final int[] ICON_SIZES = {16, 22, 24, 32, 48, 64, 96, 128};

    private final DesktopBus bus;
    private final String busName;
    private final Tray.Callbacks callbacks;
    private final AtomicReference<TrayState> state = new AtomicReference<>(TrayState.INITIAL);
    private final ExecutorService signals = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "nexus-dbus-tray");
        t.setDaemon(true);
        return t;
    });
    private final Item item = new Item();
    private final Menu menu = new Menu();
    private volatile long revision = 1;
    private @Nullable AutoCloseable watcherHandler;

    private SniTray(DesktopBus bus, String busName, Tray.Callbacks callbacks) {
        this.bus = bus;
        this.busName = busName;
        this.callbacks = callbacks;
    }

    /**
     * Puts the icon on the bus and registers it, when a watcher with a host is there; empty otherwise
     * (logged once).
     */
    public static Optional<SniTray> open(DesktopBus bus, Tray.Callbacks callbacks, TrayState initial) {
        if (!bus.hasOwner(StatusNotifierWatcher.BUS_NAME)) {
            log.info("no StatusNotifierItem host on the session bus ({})", StatusNotifierWatcher.BUS_NAME);
            return Optional.empty();
        }
        if (!hostRegistered(bus)) {
            log.info("the StatusNotifierWatcher has no host registered: no tray icon over D-Bus");
            return Optional.empty();
        }
        String name = "org.kde.StatusNotifierItem-" + ProcessHandle.current().pid() + "-1";
        SniTray tray = new SniTray(bus, name, callbacks);
        tray.state.set(initial);
        try {
            bus.connection().requestBusName(name);
            bus.connection().exportObject(StatusNotifierItem.PATH, tray.item);
            bus.connection().exportObject(DBusMenu.PATH, tray.menu);
            tray.watcherHandler = bus.connection().addSigHandler(DBus.NameOwnerChanged.class, s -> {
                if (StatusNotifierWatcher.BUS_NAME.equals(s.name) && !s.newOwner.isEmpty()) {
                    tray.signals.execute(tray::register); // a new watcher (the shell restarted): register again
                }
            });
            tray.register();
            log.info("tray icon registered as StatusNotifierItem {}", name);
            return Optional.of(tray);
        } catch (DBusException | RuntimeException e) {
            log.warn("the StatusNotifierItem could not be registered ({}): trying the AWT tray", e.getMessage());
            tray.unexport();
            return Optional.empty();
        }
    }

    private static boolean hostRegistered(DesktopBus bus) {
        try {
            Properties p = bus.connection()
                    .getRemoteObject(StatusNotifierWatcher.BUS_NAME, StatusNotifierWatcher.PATH, Properties.class);
            Object v = p.Get(StatusNotifierWatcher.BUS_NAME, "IsStatusNotifierHostRegistered");
            Object value = v instanceof Variant<?> var ? var.getValue() : v;
            return !(value instanceof Boolean b) || b;
        } catch (DBusException | RuntimeException e) {
            log.debug("IsStatusNotifierHostRegistered not readable; assuming a host", e);
            return true;
        }
    }

    private void register() {
        try {
            StatusNotifierWatcher w = bus.connection()
                    .getRemoteObject(
                            StatusNotifierWatcher.BUS_NAME, StatusNotifierWatcher.PATH, StatusNotifierWatcher.class);
            w.RegisterStatusNotifierItem(busName);
        } catch (DBusException e) {
            throw new DBusExecutionException(e.getMessage());
        }
    }

    /** The bus name the item lives under. */
    public String busName() {
        return busName;
    }

    public TrayState state() {
        return current();
    }

    /** Never null: the reference starts at {@link TrayState#INITIAL} and is only ever set to a state. */
    private TrayState current() {
        return Objects.requireNonNull(state.get());
    }

    @Override
    public void update(TrayState next) {
        TrayState before = Objects.requireNonNull(state.getAndSet(next)); // never null, see current()
        if (before.equals(next)) {
            return;
        }
        List<DBusSignal> out = new ArrayList<>();
        try {
            if (before.mood() != next.mood()) {
                out.add(new StatusNotifierItem.NewIcon(StatusNotifierItem.PATH));
                out.add(new StatusNotifierItem.NewAttentionIcon(StatusNotifierItem.PATH));
            }
            if (!before.detail().equals(next.detail())) {
                out.add(new StatusNotifierItem.NewToolTip(StatusNotifierItem.PATH));
            }
            if (!before.sniStatus().equals(next.sniStatus())) {
                out.add(new StatusNotifierItem.NewStatus(StatusNotifierItem.PATH, next.sniStatus()));
            }
            if (before.paused() != next.paused()
                    || before.windowShown() != next.windowShown()
                    || !before.sleeping().equals(next.sleeping())) {
                revision++;
                out.add(new DBusMenu.LayoutUpdated(DBusMenu.PATH, new UInt32(revision), TrayMenu.ROOT));
            }
        } catch (DBusException e) {
            log.debug("building a tray signal failed", e);
            return;
        }
        if (!out.isEmpty()) {
            signals.execute(() -> out.forEach(s -> {
                try {
                    bus.connection().sendMessage(s);
                } catch (RuntimeException e) {
                    log.debug("sending a tray signal failed", e);
                }
            }));
        }
    }

    @Override
    public void remove() {
        signals.shutdown();
        unexport();
        try {
            bus.connection().releaseBusName(busName);
        } catch (DBusException | RuntimeException e) {
            log.debug("releasing {} failed", busName, e);
        }
    }

    private void unexport() {
        if (watcherHandler != null) {
            try {
                watcherHandler.close();
            } catch (Exception e) {
                log.debug("removing the watcher handler failed", e);
            }
        }
        bus.connection().unExportObject(StatusNotifierItem.PATH);
        bus.connection().unExportObject(DBusMenu.PATH);
    }

    /** Drawn once per mood: a host reads the pixmaps on every NewIcon. */
    private static final Map<TrayImages.Mood, List<StatusNotifierItem.Pixmap>> PIXMAPS =
            new java.util.concurrent.ConcurrentHashMap<>();

    static List<StatusNotifierItem.Pixmap> pixmaps(TrayImages.Mood mood) {
        return PIXMAPS.computeIfAbsent(mood, m -> {
            List<StatusNotifierItem.Pixmap> out = new ArrayList<>(ICON_SIZES.length);
            for (int s : ICON_SIZES) {
                out.add(new StatusNotifierItem.Pixmap(s, s, TrayImages.argb32(s, m)));
            }
            return List.copyOf(out);
        });
    }

    private static Variant<?> pixmapVariant(List<StatusNotifierItem.Pixmap> p) {
        return new Variant<>(p, "a(iiay)");
    }

    /** The item's properties in {@code state}, as the host reads them. */
    static Map<String, Variant<?>> itemProperties(TrayState s) {
        List<StatusNotifierItem.Pixmap> icon = pixmaps(s.mood());
        Map<String, Variant<?>> p = new LinkedHashMap<>();
        p.put("Category", new Variant<>("ApplicationStatus"));
        p.put("Id", new Variant<>(NoticeStyle.DESKTOP_ENTRY));
        p.put("Title", new Variant<>(TrayState.APP_NAME));
        p.put("Status", new Variant<>(s.sniStatus()));
        p.put("WindowId", new Variant<>(0));
        p.put("IconThemePath", new Variant<>(""));
        p.put("IconName", new Variant<>(""));
        p.put("IconPixmap", pixmapVariant(icon));
        p.put("OverlayIconName", new Variant<>(""));
        p.put("OverlayIconPixmap", pixmapVariant(List.of()));
        p.put("AttentionIconName", new Variant<>(""));
        p.put("AttentionIconPixmap", pixmapVariant(icon));
        p.put("AttentionMovieName", new Variant<>(""));
        p.put(
                "ToolTip",
                new Variant<>(
                        new StatusNotifierItem.ToolTip("", List.of(), TrayState.APP_NAME, s.detail()), "(sa(iiay)ss)"));
        p.put("ItemIsMenu", new Variant<>(false));
        p.put("Menu", new Variant<>(new DBusPath(DBusMenu.PATH)));
        return p;
    }

    private static Variant<?> variant(Object v) {
        return new Variant<>(v);
    }

    static DBusMenu.Node node(int id, TrayState s, int depth, List<String> names) {
        Map<String, Variant<?>> props = new LinkedHashMap<>();
        TrayMenu.properties(id, s).forEach((k, v) -> {
            if (names.isEmpty() || names.contains(k)) {
                props.put(k, variant(v));
            }
        });
        List<Variant<?>> children = new ArrayList<>();
        if (depth != 0) {
            for (int c : TrayMenu.children(id, s)) {
                children.add(new Variant<>(node(c, s, depth - 1, names), DBusMenu.NODE_SIGNATURE));
            }
        }
        return new DBusMenu.Node(id, props, children);
    }

    private final class Item implements StatusNotifierItem, Properties {
        @Override
        public void Activate(int x, int y) {
            callbacks.showHide().run();
        }

        @Override
        public void SecondaryActivate(int x, int y) {
            callbacks.showHide().run();
        }

        @Override
        public void ContextMenu(int x, int y) {
            // the host draws the menu it reads over dbusmenu
        }

        @Override
        public void Scroll(int delta, String orientation) {
            // nothing to scroll
        }

        @Override
        @SuppressWarnings("unchecked")
        public <A> A Get(String iface, String property) {
            Variant<?> v = GetAll(iface).get(property);
            if (v == null) {
                throw new DBusExecutionException("no property " + property + " on " + iface);
            }
            return (A) v;
        }

        @Override
        public <A> void Set(String iface, String property, A value) {
            throw new DBusExecutionException("property " + property + " is read-only");
        }

        @Override
        public Map<String, Variant<?>> GetAll(String iface) {
            return StatusNotifierItem.INTERFACE.equals(iface) ? itemProperties(current()) : Map.of();
        }

        @Override
        public String getObjectPath() {
            return StatusNotifierItem.PATH;
        }
    }

    private final class Menu implements DBusMenu, Properties {
        @Override
        public Pair<UInt32, Node> GetLayout(int parentId, int recursionDepth, List<String> propertyNames) {
            if (!TrayMenu.exists(parentId, current())) {
                throw new DBusExecutionException("no menu entry " + parentId);
            }
            return new Pair<>(new UInt32(revision), node(parentId, current(), recursionDepth, propertyNames));
        }

        @Override
        public List<ItemProperties> GetGroupProperties(List<Integer> ids, List<String> propertyNames) {
            TrayState s = current();
            List<ItemProperties> out = new ArrayList<>();
            for (int id : ids.isEmpty() ? TrayMenu.all(s) : ids) {
                if (TrayMenu.exists(id, s)) {
                    out.add(new ItemProperties(id, node(id, s, 0, propertyNames).getProperties()));
                }
            }
            return out;
        }

        @Override
        public Variant<?> GetProperty(int id, String name) {
            if (!TrayMenu.exists(id, current())) {
                throw new DBusExecutionException("no menu entry " + id);
            }
            Object v = TrayMenu.properties(id, current()).get(name);
            if (v == null) {
                throw new DBusExecutionException("no property " + name + " on menu entry " + id);
            }
            return variant(v);
        }

        @Override
        public void Event(int id, String eventId, Variant<?> data, UInt32 timestamp) {
            if ("clicked".equals(eventId)) {
                TrayMenu.clicked(id, current(), callbacks);
            }
        }

        @Override
        public List<Integer> EventGroup(List<MenuEvent> events) {
            List<Integer> missing = new ArrayList<>();
            for (MenuEvent e : events) {
                if (!TrayMenu.exists(e.getId(), current())) {
                    missing.add(e.getId());
                } else {
                    Event(e.getId(), e.getEventId(), e.getData(), e.getTimestamp());
                }
            }
            return missing;
        }

        @Override
        public boolean AboutToShow(int id) {
            return false;
        }

        @Override
        public Pair<List<Integer>, List<Integer>> AboutToShowGroup(List<Integer> ids) {
            return new Pair<>(List.of(), List.of());
        }

        @Override
        @SuppressWarnings("unchecked")
        public <A> A Get(String iface, String property) {
            Variant<?> v = GetAll(iface).get(property);
            if (v == null) {
                throw new DBusExecutionException("no property " + property + " on " + iface);
            }
            return (A) v;
        }

        @Override
        public <A> void Set(String iface, String property, A value) {
            throw new DBusExecutionException("property " + property + " is read-only");
        }

        @Override
        public Map<String, Variant<?>> GetAll(String iface) {
            if (!DBusMenu.INTERFACE.equals(iface)) {
                return Map.of();
            }
            Map<String, Variant<?>> p = new LinkedHashMap<>();
            p.put("Version", new Variant<>(new UInt32(3)));
            p.put("TextDirection", new Variant<>("ltr"));
            p.put("Status", new Variant<>("normal"));
            p.put("IconThemePath", new Variant<>(List.of(), "as"));
            return p;
        }

        @Override
        public String getObjectPath() {
            return DBusMenu.PATH;
        }
    }
}
