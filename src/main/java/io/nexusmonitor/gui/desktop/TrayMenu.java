package io.nexusmonitor.gui.desktop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tray icon's menu as plain data: Show/Hide window, Pause discovery (a check mark), Wake (a
 * submenu of the asleep boxes that can be woken, shown only while there are some), a separator,
 * Quit; and what a click on an entry does. The StatusNotifierItem serves it over dbusmenu.
 */
public final class TrayMenu {
    public static final int ROOT = 0;
    public static final int SHOW_HIDE = 1;
    public static final int PAUSE = 2;
    public static final int SEPARATOR = 3;
    public static final int QUIT = 4;
    /** The Wake submenu; its entries are {@link #FIRST_SLEEPING} + the box's place in {@link TrayState#sleeping()}. */
    public static final int WAKE = 5;

    public static final int FIRST_SLEEPING = 1000;
    /** The fixed entries (Wake comes and goes). */
    public static final List<Integer> ENTRIES = List.of(SHOW_HIDE, PAUSE, SEPARATOR, QUIT);

    private TrayMenu() {}

    /** The entries under {@code id} in {@code state}, in order. */
    public static List<Integer> children(int id, TrayState state) {
        if (id == ROOT) {
            if (state.sleeping().isEmpty()) {
                return ENTRIES;
            }
            return List.of(SHOW_HIDE, PAUSE, WAKE, SEPARATOR, QUIT);
        }
        if (id == WAKE) {
            List<Integer> ids = new ArrayList<>(state.sleeping().size());
            for (int i = 0; i < state.sleeping().size(); i++) {
                ids.add(FIRST_SLEEPING + i);
            }
            return ids;
        }
        return List.of();
    }

    /** Every entry of the menu in {@code state}, the root's and the submenu's. */
    public static List<Integer> all(TrayState state) {
        List<Integer> ids = new ArrayList<>(children(ROOT, state));
        ids.addAll(children(WAKE, state));
        return ids;
    }

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
            case WAKE -> {
                p.put("label", "Wake");
                p.put("children-display", "submenu");
            }
            case SEPARATOR -> p.put("type", "separator");
            case QUIT -> p.put("label", "Quit");
            default -> {
                TrayState.Sleeping box = sleeping(id, state);
                if (box == null) {
                    throw new IllegalArgumentException("no menu entry " + id);
                }
                p.put("label", box.label());
            }
        }
        return p;
    }

    private static TrayState.@org.jspecify.annotations.Nullable Sleeping sleeping(int id, TrayState state) {
        int i = id - FIRST_SLEEPING;
        return i >= 0 && i < state.sleeping().size() ? state.sleeping().get(i) : null;
    }

    /** Whether entry {@code id} is the root or one of the fixed entries. */
    public static boolean exists(int id) {
        return id == ROOT || ENTRIES.contains(id);
    }

    /** Whether entry {@code id} is in the menu of {@code state}. */
    public static boolean exists(int id, TrayState state) {
        return id == ROOT || all(state).contains(id);
    }

    /** Runs what a click on entry {@code id} means; false for an entry that does nothing. */
    public static boolean clicked(int id, TrayState state, Tray.Callbacks callbacks) {
        switch (id) {
            case SHOW_HIDE -> callbacks.showHide().run();
            case PAUSE -> callbacks.pauseDiscovery().accept(!state.paused());
            case QUIT -> callbacks.quit().run();
            default -> {
                TrayState.Sleeping box = sleeping(id, state);
                if (box == null) {
                    return false;
                }
                callbacks.wake().accept(box.id());
            }
        }
        return true;
    }
}
