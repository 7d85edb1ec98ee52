package io.nexusmonitor.gui.desktop;

import io.nexusmonitor.gui.status.StatusBar;

/**
 * What the tray icon shows, whichever tray draws it (StatusNotifierItem or AWT): the icon's colour
 * by state, the tooltip, whether it asks for attention, the pause toggle and the Show/Hide label.
 *
 * @param healthy     healthy backends
 * @param total       all backends
 * @param queued      requests waiting in the gateway's queue
 * @param attention   a backend was lost since the user last looked at the window
 * @param paused      discovery is paused
 * @param windowShown the window is on screen (the menu then offers Hide)
 * @param activity    the gateway's speed and queue as {@link io.nexusmonitor.stats.Telemetry#trayText} says them
 *                    ({@code 42 tokens/s · 2 queued}); empty where nothing measures
 * @param sleeping    the asleep boxes that can be woken, in the menu's order (the Wake submenu)
 */
public record TrayState(
        long healthy,
        long total,
        int queued,
        boolean attention,
        boolean paused,
        boolean windowShown,
        String activity,
        java.util.List<Sleeping> sleeping) {
    public static final String APP_NAME = "Nexus Monitor";

    /** An asleep, wakeable box: its id and the name the menu shows. */
    public record Sleeping(String id, String label) {}

    public TrayState {
        sleeping = java.util.List.copyOf(sleeping);
    }

    /** With nothing asleep. */
    public TrayState(
            long healthy,
            long total,
            int queued,
            boolean attention,
            boolean paused,
            boolean windowShown,
            String activity) {
        this(healthy, total, queued, attention, paused, windowShown, activity, java.util.List.of());
    }

    /** Before the first tick: nothing known, window shown. */
    public static final TrayState INITIAL = new TrayState(0, 0, 0, false, false, true);

    /** Without telemetry: the tooltip says the queue only. */
    public TrayState(long healthy, long total, int queued, boolean attention, boolean paused, boolean windowShown) {
        this(healthy, total, queued, attention, paused, windowShown, "");
    }

    /** Grey with no backends or none healthy, green with all healthy, orange otherwise. */
    public TrayImages.Mood mood() {
        if (total == 0 || healthy == 0) {
            return TrayImages.Mood.IDLE;
        }
        return healthy == total ? TrayImages.Mood.GOOD : TrayImages.Mood.MIXED;
    }

    /**
     * {@code 3 / 5 healthy · 42 tokens/s · 2 queued} with telemetry; without it {@code 3 / 5 healthy},
     * with {@code · 2 queued} while requests wait.
     */
    public String detail() {
        String backends = healthy + " / " + total + " healthy";
        if (!activity.isEmpty()) {
            return backends + " · " + activity;
        }
        return backends + (queued > 0 ? " · " + StatusBar.queuedText(queued) : "");
    }

    /** The one-line tooltip: {@code Nexus Monitor: 3 / 5 healthy · 42 tokens/s · 2 queued}. */
    public String tooltip() {
        return APP_NAME + ": " + detail();
    }

    /** The StatusNotifierItem's {@code Status}: {@code NeedsAttention} after a loss, else {@code Active}. */
    public String sniStatus() {
        return attention ? "NeedsAttention" : "Active";
    }

    /** The first menu entry's label. */
    public String showHideLabel() {
        return windowShown ? "Hide window" : "Show window";
    }
}
