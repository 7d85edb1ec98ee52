package io.nexusmonitor.gui.notify;

import java.util.List;

/**
 * One notification as the user sees it: a short title ("5 backends found") and a body with names;
 * {@code found} holds the ids of the backends it announces as found (so a desktop notice can offer
 * to pin one), {@code removed} how many it announces as removed and {@code degraded} how many as
 * degraded (a loss or a degradation is more urgent than a find).
 */
public record Notice(String title, String body, List<String> found, int removed, int degraded) {
    public Notice {
        found = List.copyOf(found);
    }

    /** A notice of finds and losses only. */
    public Notice(String title, String body, List<String> found, int removed) {
        this(title, body, found, removed, 0);
    }

    /** A notice that announces no backend (a refused action, for the banner). */
    public Notice(String title, String body) {
        this(title, body, List.of(), 0, 0);
    }
}
