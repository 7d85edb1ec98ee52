package io.nexusmonitor.control;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSettings;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.registry.WakeOnLan;
import org.jspecify.annotations.Nullable;

/**
 * What a user can do to the registry, from the HTTP API, the window or the CLI. The engine
 * implements it; adapters depend on this interface, never on the engine, so the API and the GUI
 * behave the same in window and headless mode and can be tested against a small fake.
 */
public interface BackendControl {

    Registry registry();

    /**
     * Adds a manual backend; it is health-checked at once.
     *
     * @param name     null: derived from the URL's host
     * @param type     null: {@link BackendType#GENERIC} unless the URL's port says Ollama (11434)
     * @param priority null: {@link Backend#DEFAULT_PRIORITY}
     * @throws ControlException INVALID for a bad URL, CONFLICT when the URL exists
     */
    default Backend addManual(
            String url, @Nullable String name, @Nullable BackendType type, @Nullable Integer priority) {
        return addManual(url, name, type, priority, BackendSettings.DEFAULTS);
    }

    /**
     * Like {@link #addManual(String, String, BackendType, Integer)}, with the user's capacity
     * ({@code max_concurrent}, source config), weight and key ({@link BackendSettings}); a pin keeps them.
     *
     * @param settings null: {@link BackendSettings#DEFAULTS}
     */
    Backend addManual(
            String url,
            @Nullable String name,
            @Nullable BackendType type,
            @Nullable Integer priority,
            @Nullable BackendSettings settings);

    /**
     * Removes a manual or discovered backend (a pinned one is unpinned first).
     *
     * @throws ControlException NOT_FOUND, or CONFLICT for a backend from the config file
     */
    Backend remove(String id);

    /** Pins (and approves) a backend: it is never removed by discovery and comes back on the next start. */
    Backend pin(String id);

    /**
     * Unpins: the backend returns to the rules of its source.
     *
     * @throws ControlException CONFLICT for a config backend, naming the file and line
     */
    Backend unpin(String id);

    /**
     * Health-checks one backend now (asynchronously), which re-reads its models and which of them are
     * loaded (Ollama {@code /api/ps}, llama.cpp {@code /props} and {@code /slots}, LM Studio
     * {@code /api/v0/models}). The gateway calls it after a proxied request that may have loaded a
     * model; calls while a check is running collapse into one follow-up check.
     *
     * @throws ControlException NOT_FOUND
     */
    void checkNow(String id);

    /** Health-checks every backend now (asynchronously). */
    void checkAll();

    /**
     * Sets a backend's Wake-on-LAN settings ({@code mac}, {@code wake_on_lan}, ...); a pin keeps them.
     *
     * @throws ControlException NOT_FOUND
     */
    default Backend setWake(String id, WakeOnLan wake) {
        return registry()
                .update(
                        id,
                        "wake-on-lan settings",
                        b -> b.withSettings(b.settings().withWake(wake)))
                .orElseThrow(() -> ControlException.notFound(id));
    }

    /**
     * Sends the backend's box a Wake-on-LAN magic packet and checks it until it answers or its
     * {@code wake_timeout_seconds} pass.
     *
     * @return completes true once it is healthy, false on the timeout
     * @throws ControlException NOT_FOUND, or CONFLICT when no MAC is known or the packet cannot be sent
     */
    default java.util.concurrent.CompletableFuture<Boolean> wake(String id) {
        if (registry().get(id).isEmpty()) {
            throw ControlException.notFound(id);
        }
        throw new ControlException(ControlException.Reason.CONFLICT, "Wake-on-LAN is not available in this mode");
    }

    /** Stops or resumes acting on mDNS announcements; backends already found stay. */
    void setDiscoveryPaused(boolean paused);

    /** What the status bar and {@code GET /health} show about the running parts. */
    EngineStatus status();

    /**
     * What mDNS discovery has heard on each interface address it browses (for "Check the network");
     * empty when discovery is off or not running.
     */
    default java.util.List<io.nexusmonitor.discovery.logic.InterfaceTraffic> mdnsTraffic() {
        return java.util.List.of();
    }

    /** What the gateway and the health checks measured; null where nothing measures (a control without an engine). */
    default io.nexusmonitor.stats.@Nullable Telemetry telemetry() {
        return null;
    }
}
