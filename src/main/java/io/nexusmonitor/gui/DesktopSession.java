package io.nexusmonitor.gui;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.control.BackendControl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What the window needs from the launcher, as plain Java (no JavaFX types, so the launcher can
 * build it without loading the toolkit).
 *
 * @param control       every user action and the registry; the window never sees the engine itself
 * @param start         starts the engine; run on a background thread once the window shows
 * @param stop          stops the engine; run once, off the FX thread, on quit
 * @param notifications {@code [notifications]}: which found/removed notices to show
 * @param gracePeriod   {@code [discovery].grace_period_seconds}: the full length of a countdown bar
 * @param stateDir      where {@code window.json} lives
 */
public record DesktopSession(
        BackendControl control,
        Runnable start,
        Runnable stop,
        NexusConfig.Notifications notifications,
        Duration gracePeriod,
        Path stateDir) {
    public DesktopSession {
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(stop, "stop");
        Objects.requireNonNull(notifications, "notifications");
        Objects.requireNonNull(gracePeriod, "gracePeriod");
        Objects.requireNonNull(stateDir, "stateDir");
    }
}
