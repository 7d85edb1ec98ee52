package io.nexusmonitor.gui.desktop;

import io.nexusmonitor.gui.notify.Notice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.freedesktop.dbus.types.Variant;

/**
 * How a {@link Notice} becomes a freedesktop notification: urgency (a loss is more urgent than a
 * find), the {@code desktop-entry} hint that groups it under Nexus Monitor, a category, the actions
 * (only where the server advertises {@code actions}) and the body (escaped where the server reads
 * markup). Plain rules, no bus.
 */
public final class NoticeStyle {
    public static final String APP_NAME = TrayState.APP_NAME;
    /** The installed {@code .desktop} file's name without the suffix, and the icon's name. */
    public static final String DESKTOP_ENTRY = "nexus-monitor";

    public static final String ACTION_DEFAULT = "default";
    public static final String ACTION_SHOW = "show";
    public static final String ACTION_PIN = "pin";

    /** Urgency levels of the specification. */
    public static final byte LOW = 0;

    public static final byte NORMAL = 1;

    private NoticeStyle() {}

    /** Normal when the notice says a backend went away or degraded, low when it only announces finds. */
    public static byte urgency(Notice n) {
        return n.removed() > 0 || n.degraded() > 0 ? NORMAL : LOW;
    }

    /** {@code network.connected} for finds only, {@code network.disconnected} for losses only, else (degraded, mixed) {@code network}. */
    public static String category(Notice n) {
        if (n.degraded() > 0) {
            return "network"; // a backend that answers badly is neither connected nor gone
        }
        if (n.removed() == 0) {
            return "network.connected";
        }
        return n.found().isEmpty() ? "network.disconnected" : "network";
    }

    /**
     * Pairs of key and label: a click on the notice ({@code default}) and {@code Show} show the
     * window; {@code Pin} pins the backend when the notice announces exactly one found backend.
     * None when the server does not list {@code actions} among its capabilities.
     */
    public static List<String> actions(Notice n, Set<String> capabilities) {
        if (!capabilities.contains("actions")) {
            return List.of();
        }
        List<String> out = new ArrayList<>(List.of(ACTION_DEFAULT, "Show", ACTION_SHOW, "Show"));
        if (n.found().size() == 1) {
            out.add(ACTION_PIN);
            out.add("Pin");
        }
        return out;
    }

    /** The body as the server reads it: with {@code body-markup}, {@code & < >} are escaped. */
    public static String body(Notice n, Set<String> capabilities) {
        if (!capabilities.contains("body-markup")) {
            return n.body();
        }
        return n.body().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    public static Map<String, Variant<?>> hints(Notice n) {
        Map<String, Variant<?>> h = new LinkedHashMap<>();
        h.put("urgency", new Variant<>(urgency(n)));
        h.put("desktop-entry", new Variant<>(DESKTOP_ENTRY));
        h.put("category", new Variant<>(category(n)));
        return h;
    }
}
