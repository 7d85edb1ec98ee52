package io.nexusmonitor.gui.desktop;

import io.nexusmonitor.gui.notify.Notice;
import io.nexusmonitor.gui.notify.NoticeSink;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.types.UInt32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices as freedesktop notifications ({@code org.freedesktop.Notifications.Notify}), styled by
 * {@link NoticeStyle}; the user's choice of an action ({@code ActionInvoked}) comes back to
 * {@link Actions}. {@link #show} returns at once: the call goes out on this sink's own thread. When
 * the server does not take a notice, that notice goes to the fallback sink (the next one is offered
 * to the server again: the desktop may have restarted it); once the bus itself is gone, every
 * notice goes to the fallback.
 */
public final class BusNotices implements NoticeSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BusNotices.class);
    /** Notices whose actions are still answered; older ones are forgotten. */
    private static final int REMEMBERED = 32;

    /** What a notice's actions do; called on a D-Bus thread, must hand off quickly. */
    public interface Actions {
        void show();

        void pin(String backendId);
    }

    private final DesktopBus bus;
    private final Notifications server;
    private final Set<String> capabilities;
    private final Actions actions;
    private final NoticeSink fallback;
    private final ExecutorService sender;
    private final Map<Long, Notice> shown = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Notice> eldest) {
            return size() > REMEMBERED;
        }
    };
    private final AutoCloseable actionHandler;
    private final AutoCloseable closedHandler;
    private volatile boolean failed;
    /** The last Notify failed while the bus was up (logged once until one succeeds). */
    private boolean serverTrouble;

    private BusNotices(
            DesktopBus bus, Notifications server, Set<String> capabilities, Actions actions, NoticeSink fallback)
            throws DBusException {
        this.bus = bus;
        this.server = server;
        this.capabilities = capabilities;
        this.actions = actions;
        this.fallback = fallback;
        this.sender = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "nexus-dbus-notices");
            t.setDaemon(true);
            return t;
        });
        this.actionHandler = bus.connection()
                .addSigHandler(Notifications.ActionInvoked.class, s -> onAction(s.getId(), s.getActionKey()));
        this.closedHandler =
                bus.connection().addSigHandler(Notifications.NotificationClosed.class, s -> forget(s.getId()));
    }

    /**
     * The notification server on {@code bus}, when it has one (or can start one) that answers
     * {@code GetCapabilities}; empty otherwise (logged once).
     *
     * @param fallback where notices go once the server is gone; must accept them from any thread
     */
    public static Optional<BusNotices> open(DesktopBus bus, Actions actions, NoticeSink fallback) {
        if (!bus.ownedOrActivatable(Notifications.BUS_NAME)) {
            log.info("no notification server on the session bus ({})", Notifications.BUS_NAME);
            return Optional.empty();
        }
        try {
            Notifications server =
                    bus.connection().getRemoteObject(Notifications.BUS_NAME, Notifications.PATH, Notifications.class);
            Set<String> caps = Set.copyOf(server.GetCapabilities());
            log.info(
                    "desktop notifications through {} (capabilities: {})",
                    Notifications.BUS_NAME,
                    String.join(", ", caps));
            return Optional.of(new BusNotices(bus, server, caps, actions, fallback));
        } catch (DBusException | RuntimeException e) {
            log.warn("the notification server did not answer ({}): notices show in the window", e.getMessage());
            return Optional.empty();
        }
    }

    /** What the server said it can do. */
    public Set<String> capabilities() {
        return capabilities;
    }

    @Override
    public void show(Notice notice) {
        // every notice goes through the one sender thread, even once the bus is lost, so that
        // notices reach the server or the fallback in the order they were shown
        try {
            sender.execute(() -> send(notice));
        } catch (RejectedExecutionException closed) {
            fallback.show(notice);
        }
    }

    private void send(Notice n) {
        if (failed || bus.lost()) {
            fallback.show(n);
            return;
        }
        try {
            UInt32 id = server.Notify(
                    NoticeStyle.APP_NAME,
                    new UInt32(0),
                    NoticeStyle.DESKTOP_ENTRY,
                    n.title(),
                    NoticeStyle.body(n, capabilities),
                    NoticeStyle.actions(n, capabilities),
                    NoticeStyle.hints(n),
                    -1);
            if (id != null) {
                synchronized (shown) {
                    shown.put(id.longValue(), n);
                }
            }
            serverTrouble = false;
        } catch (RuntimeException e) {
            if (!bus.connection().isConnected()) {
                failed = true; // the bus is gone for good: every later notice goes to the fallback at once
                bus.markLost(e);
            } else if (!serverTrouble) {
                serverTrouble = true; // the server went away; D-Bus may start a new one for the next notice
                log.warn(
                        "the notification server did not take a notice ({}): it shows in the window or tray instead",
                        e.getMessage());
            }
            fallback.show(n);
        }
    }

    private void onAction(UInt32 id, String key) {
        Notice n;
        synchronized (shown) {
            n = shown.get(id.longValue());
        }
        if (n == null) {
            return; // another application's notice, or one long gone
        }
        switch (key) {
            case NoticeStyle.ACTION_DEFAULT, NoticeStyle.ACTION_SHOW -> actions.show();
            case NoticeStyle.ACTION_PIN -> {
                if (n.found().size() == 1) {
                    actions.pin(n.found().get(0));
                }
            }
            default -> log.debug("unknown notice action {}", key);
        }
    }

    private void forget(UInt32 id) {
        synchronized (shown) {
            shown.remove(id.longValue());
        }
    }

    @Override
    public void close() {
        sender.shutdown();
        for (AutoCloseable h : new AutoCloseable[] {actionHandler, closedHandler}) {
            try {
                h.close();
            } catch (Exception e) {
                log.debug("removing a signal handler failed", e);
            }
        }
    }
}
