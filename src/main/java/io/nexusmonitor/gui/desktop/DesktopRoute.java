package io.nexusmonitor.gui.desktop;

/**
 * Which way the tray icon and the notices reach the desktop, in the order of preference:
 * a StatusNotifierItem and freedesktop notifications over D-Bus, then AWT's (XEmbed) tray icon and
 * its balloons, then a banner in the window. With no tray at all, closing the window quits.
 */
public record DesktopRoute(TrayKind tray, NoticeKind notices) {
    public enum TrayKind {
        /** {@code org.kde.StatusNotifierItem}, registered with a watcher that has a host. */
        STATUS_NOTIFIER,
        /** AWT {@code SystemTray}: an XEmbed tray. */
        AWT,
        NONE
    }

    public enum NoticeKind {
        /** {@code org.freedesktop.Notifications}. */
        DESKTOP,
        /** The AWT tray icon's balloon. */
        TRAY_BALLOON,
        /** The banner at the top of the window. */
        BANNER
    }

    /** The AWT tray is tried only where no StatusNotifierItem host is (it would be a second icon). */
    public static boolean tryAwtTray(boolean statusNotifierHost) {
        return !statusNotifierHost;
    }

    /**
     * @param statusNotifierHost a watcher with a host took the item
     * @param awtTray            AWT's tray icon was installed (only tried without a host)
     * @param notificationServer the session bus has a notification server, or can start one
     */
    public static DesktopRoute choose(boolean statusNotifierHost, boolean awtTray, boolean notificationServer) {
        TrayKind tray = statusNotifierHost ? TrayKind.STATUS_NOTIFIER : awtTray ? TrayKind.AWT : TrayKind.NONE;
        NoticeKind notices = notificationServer
                ? NoticeKind.DESKTOP
                : tray == TrayKind.AWT ? NoticeKind.TRAY_BALLOON : NoticeKind.BANNER;
        return new DesktopRoute(tray, notices);
    }

    /** Closing the window hides it while there is a tray icon to bring it back; else it quits. */
    public boolean closeHides() {
        return tray != TrayKind.NONE;
    }

    /** One line for the event log. */
    public String describe() {
        String t = switch (tray) {
            case STATUS_NOTIFIER -> "tray icon (StatusNotifierItem): closing the window hides it to the tray";
            case AWT -> "tray icon (XEmbed): closing the window hides it to the tray";
            case NONE -> "no system tray: closing the window quits";
        };
        String n = switch (notices) {
            case DESKTOP -> "notices go to the desktop's notification server";
            case TRAY_BALLOON -> "notices show as tray balloons";
            case BANNER -> "notices show in this window";
        };
        return t + "; " + n;
    }
}
