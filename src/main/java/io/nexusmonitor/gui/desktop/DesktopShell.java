package io.nexusmonitor.gui.desktop;

import io.nexusmonitor.gui.notify.NoticeSink;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The tray icon and the notice sink this desktop gets, chosen once at start in the order of
 * {@link DesktopRoute}: a StatusNotifierItem and D-Bus notices, then AWT's tray and its balloons,
 * then the in-window banner. Open it from a worker thread, never the FX thread (it talks to the bus
 * and may start AWT).
 */
public final class DesktopShell implements AutoCloseable {
    private final DesktopRoute route;
    private final @Nullable Tray tray;
    private final NoticeSink notices;
    private final @Nullable BusNotices busNotices;
    private final @Nullable DesktopBus bus;

    private DesktopShell(
            DesktopRoute route,
            @Nullable Tray tray,
            NoticeSink notices,
            @Nullable BusNotices busNotices,
            @Nullable DesktopBus bus) {
        this.route = route;
        this.tray = tray;
        this.notices = notices;
        this.busNotices = busNotices;
        this.bus = bus;
    }

    /**
     * @param bus      the session bus, if one answered
     * @param initial  what the icon shows first
     * @param awtTray  installs AWT's tray icon; asked only where no StatusNotifierItem host is
     * @param banner   the in-window banner; must accept notices from any thread
     */
    public static DesktopShell open(
            Optional<DesktopBus> bus,
            TrayState initial,
            Tray.Callbacks callbacks,
            BusNotices.Actions actions,
            NoticeSink banner,
            Supplier<Optional<? extends Tray>> awtTray) {
        Tray sni = bus.flatMap(b -> SniTray.open(b, callbacks, initial)).orElse(null);
        Tray awt = DesktopRoute.tryAwtTray(sni != null) ? awtTray.get().orElse(null) : null;
        if (awt != null) {
            awt.update(initial);
        }
        NoticeSink fallback = awt != null ? awt.balloons().orElse(banner) : banner;
        BusNotices desktop =
                bus.flatMap(b -> BusNotices.open(b, actions, fallback)).orElse(null);
        DesktopRoute route = DesktopRoute.choose(sni != null, awt != null, desktop != null);
        NoticeSink sink = desktop != null ? desktop : fallback;
        DesktopBus used = sni != null || desktop != null ? bus.orElse(null) : null;
        if (used == null) {
            bus.ifPresent(DesktopBus::close); // nothing on it for us
        }
        return new DesktopShell(route, sni != null ? sni : awt, sink, desktop, used);
    }

    public DesktopRoute route() {
        return route;
    }

    /** The tray icon, if there is one. */
    public Optional<Tray> tray() {
        return Optional.ofNullable(tray);
    }

    /** Where notices go. */
    public NoticeSink notices() {
        return notices;
    }

    /** Takes the icon away and leaves the bus; on quit, off the FX thread. */
    @Override
    public void close() {
        if (tray != null) {
            tray.remove();
        }
        if (busNotices != null) {
            busNotices.close();
        }
        if (bus != null) {
            bus.close();
        }
    }
}
