package io.nexusmonitor.gui.desktop;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tray icon's menu as plain data: Show/Hide window, Pause discovery (a check mark), a separator,
 * Quit; and what a click on an entry does. The StatusNotifierItem serves it over dbusmenu.
 */
public final class TrayMenu {
    public static final int ROOT = 0;
    public static final int SHOW_HIDE = 1;
    public static final int PAUSE = 2;
    public static final int SEPARATOR = 3;
    public static final int QUIT = 4;
    public static final List<Integer> ENTRIES = List.of(SHOW_HIDE, PAUSE, SEPARATOR, QUIT);

    private TrayMenu() {}

    /** The dbusmenu properties of entry {@code id} in {@code state} (values as plain Java: String, Integer, Boolean). */
    public static Map<String, Object> properties(int id, TrayState state) {
        Map<String, Object> p = new LinkedHashMap<>();
        switch (id) {
            case ROOT -> p.put("children-display", "submenu");
            case SHOW_HIDE -> p.put("label", state.showHideLabel());
            case PAUSE -> {
                p.put("label", "Pause discovery");
                p.put("toggle-type", "checkmark");
                p.put("toggle-state", state.paused() ? 1 : 0);
            }
            case SEPARATOR -> p.put("type", "separator");
            case QUIT -> p.put("label", "Quit");
            default -> throw new IllegalArgumentException("no menu entry " + id);
        }
        return p;
    }

    public static boolean exists(int id) {
        return id == ROOT || ENTRIES.contains(id);
    }

    /** Runs what a click on entry {@code id} means; false for an entry that does nothing. */
    public static boolean clicked(int id, TrayState state, Tray.Callbacks callbacks) {
        switch (id) {
            case SHOW_HIDE -> callbacks.showHide().run();
            case PAUSE -> callbacks.pauseDiscovery().accept(!state.paused());
            case QUIT -> callbacks.quit().run();
            default -> {
                return false;
            }
        }
        return true;
    }
}
