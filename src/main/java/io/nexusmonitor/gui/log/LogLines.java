package io.nexusmonitor.gui.log;

import io.nexusmonitor.gui.model.Formats;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.LogText;
import io.nexusmonitor.registry.RegistryEvent;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Turns registry events into event-log lines: found, removed (and grace expiry), status changes,
 * grace started/cancelled, pin changes. Other updates (models, latency, last check) are not
 * worth a line; the table shows them. Plain Java so the wording is unit-tested.
 */
public final class LogLines {
    private LogLines() {}

    public static Optional<String> line(RegistryEvent e) {
        Backend b = e.backend();
        // names, URLs and causes come from the network: escaped, so none can fake a line of its own
        String who = LogText.of(b.name()) + " (" + LogText.of(b.url()) + ")";
        String what = switch (e.kind()) {
            case BACKEND_ADDED -> "found " + who + " as " + b.source().wire();
            case BACKEND_REMOVED -> "removed " + who;
            case STATUS_CHANGED ->
                who + ": " + Objects.requireNonNull(e.previous()).status().wire() + " → "
                        + b.status().wire();
            case GRACE_STARTED -> who + ": no longer announced, removal at " + Formats.clock(b.graceDeadline());
            case GRACE_CANCELLED -> who + ": back, removal cancelled";
            case BACKEND_UPDATED -> pinChange(e);
        };
        if (what == null) {
            return Optional.empty();
        }
        String cause = e.cause() == null || e.cause().isBlank() ? "" : "  — " + LogText.of(e.cause());
        return Optional.of(Formats.clock(e.at()) + "  " + what + cause);
    }

    private static @Nullable String pinChange(RegistryEvent e) {
        Backend b = e.backend();
        if (e.previous() == null || e.previous().pinned() == b.pinned()) {
            return null;
        }
        return (b.pinned() ? "pinned " : "unpinned ") + LogText.of(b.name()) + " (" + LogText.of(b.url()) + ")";
    }

    /** A line for something the window itself reports (a notice, a failed action). */
    public static String note(java.time.Instant at, String text) {
        return Formats.clock(at) + "  " + LogText.of(text, 1000);
    }
}
