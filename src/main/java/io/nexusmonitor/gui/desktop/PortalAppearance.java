package io.nexusmonitor.gui.desktop;

import io.nexusmonitor.gui.theme.Appearance;
import io.nexusmonitor.gui.theme.DesktopPreference;
import java.util.Optional;
import java.util.function.Consumer;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.types.Variant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desktop's light/dark preference as the XDG desktop portal states it
 * ({@code org.freedesktop.appearance color-scheme}), read once and then followed through
 * {@code SettingChanged}. Off the FX thread; a missing portal or a failed call states nothing.
 */
public final class PortalAppearance {
    private static final Logger log = LoggerFactory.getLogger(PortalAppearance.class);

    private PortalAppearance() {}

    /** The portal's colour scheme now; empty without a portal, with no preference, or on any failure. */
    public static Optional<Appearance> read(DesktopBus bus) {
        if (!bus.ownedOrActivatable(PortalSettings.BUS_NAME)) {
            return Optional.empty();
        }
        try {
            PortalSettings settings = bus.connection()
                    .getRemoteObject(PortalSettings.BUS_NAME, PortalSettings.PATH, PortalSettings.class);
            return fromValue(settings.Read(PortalSettings.APPEARANCE, PortalSettings.COLOR_SCHEME));
        } catch (DBusException | RuntimeException e) {
            log.debug("the desktop portal's color-scheme could not be read: {}", e.toString());
            return Optional.empty();
        }
    }

    /** Calls {@code onChange} (on the bus's thread) whenever the portal's colour scheme changes. */
    public static void follow(DesktopBus bus, Consumer<Optional<Appearance>> onChange) {
        try {
            bus.connection().addSigHandler(PortalSettings.SettingChanged.class, s -> {
                if (PortalSettings.APPEARANCE.equals(s.getNamespace())
                        && PortalSettings.COLOR_SCHEME.equals(s.getKey())) {
                    onChange.accept(fromValue(s.getValue()));
                }
            });
        } catch (DBusException | RuntimeException e) {
            log.debug("cannot follow the desktop portal's color-scheme: {}", e.toString());
        }
    }

    /** The colour scheme in a portal answer: a number, possibly inside one or two variants. */
    public static Optional<Appearance> fromValue(@Nullable Object value) {
        Object v = value;
        for (int i = 0; i < 3 && v instanceof Variant<?> variant; i++) {
            v = variant.getValue();
        }
        return v instanceof Number n ? DesktopPreference.fromPortal(n.longValue()) : Optional.empty();
    }
}
