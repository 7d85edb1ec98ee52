package io.nexusmonitor.gui.desktop;

/** A tray icon, whichever protocol carries it; called from any thread, never blocks it. */
public interface Tray {
    /** Shows the state; only what changed reaches the desktop. */
    void update(TrayState state);

    /** Takes the icon away (on quit), waiting until it is gone. */
    void remove();

    /** The tray's own balloons for notices, where it has them (AWT's does, a StatusNotifierItem does not). */
    default java.util.Optional<io.nexusmonitor.gui.notify.NoticeSink> balloons() {
        return java.util.Optional.empty();
    }

    /**
     * Menu entries and clicks, handed back to the app; each must return quickly (hand off to the FX
     * thread). {@code wake} gets the id of the asleep box picked in the Wake submenu.
     */
    record Callbacks(
            Runnable showHide,
            java.util.function.Consumer<Boolean> pauseDiscovery,
            Runnable quit,
            java.util.function.Consumer<String> wake) {
        /** Without a Wake action. */
        public Callbacks(Runnable showHide, java.util.function.Consumer<Boolean> pauseDiscovery, Runnable quit) {
            this(showHide, pauseDiscovery, quit, id -> {});
        }
    }
}
