package io.nexusmonitor.gui;

import io.nexusmonitor.control.BackendControl;
import io.nexusmonitor.control.ControlException;
import io.nexusmonitor.control.EngineStatus;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.DuplicateBackendException;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.registry.UrlNormalizer;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A small BackendControl over a real Registry that records every call the window makes. */
final class FakeControl implements BackendControl {
    final Registry registry = new Registry();
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile boolean paused;
    /** What {@link #telemetry()} gives: null (nothing measures) unless a test sets one. */
    volatile io.nexusmonitor.stats.Telemetry telemetry;
    /** What {@link #mdnsTraffic()} reports: nothing heard, unless a test sets it. */
    volatile List<io.nexusmonitor.discovery.logic.InterfaceTraffic> traffic = List.of();

    @Override
    public Registry registry() {
        return registry;
    }

    @Override
    public Backend addManual(
            String url,
            String name,
            BackendType type,
            Integer priority,
            io.nexusmonitor.registry.BackendSettings settings) {
        calls.add("add " + url);
        String normalized;
        try {
            normalized = UrlNormalizer.normalize(url);
        } catch (IllegalArgumentException e) {
            throw new ControlException(ControlException.Reason.INVALID, e.getMessage());
        }
        String n =
                name != null && !name.isBlank() ? name : URI.create(normalized).getHost();
        try {
            return registry.add(
                    Backend.create(
                                    "",
                                    n,
                                    normalized,
                                    type == null ? BackendType.GENERIC : type,
                                    BackendSource.MANUAL,
                                    50,
                                    Instant.now())
                            .withSettings(settings),
                    "added by user");
        } catch (DuplicateBackendException e) {
            throw new ControlException(ControlException.Reason.CONFLICT, e.getMessage());
        }
    }

    @Override
    public Backend remove(String id) {
        calls.add("remove " + id);
        return registry.remove(id, "removed by user").orElseThrow(() -> ControlException.notFound(id));
    }

    @Override
    public Backend pin(String id) {
        calls.add("pin " + id);
        return registry.update(id, "pinned", b -> b.withPinned(true)).orElseThrow(() -> ControlException.notFound(id));
    }

    @Override
    public Backend unpin(String id) {
        calls.add("unpin " + id);
        Backend b = registry.get(id).orElseThrow(() -> ControlException.notFound(id));
        if (b.source() == BackendSource.STATIC) {
            throw new ControlException(
                    ControlException.Reason.CONFLICT,
                    "backend '" + b.name() + "' is defined in nexus.toml:3 and is always pinned");
        }
        return registry.update(id, "unpinned", x -> x.withPinned(false)).orElseThrow();
    }

    @Override
    public void checkNow(String id) {
        calls.add("check " + id);
    }

    @Override
    public java.util.concurrent.CompletableFuture<Boolean> wake(String id) {
        calls.add("wake " + id);
        return java.util.concurrent.CompletableFuture.completedFuture(true);
    }

    @Override
    public void checkAll() {
        calls.add("check all");
    }

    @Override
    public void setDiscoveryPaused(boolean p) {
        calls.add(p ? "pause" : "resume");
        paused = p;
    }

    @Override
    public EngineStatus status() {
        return new EngineStatus(
                "test",
                Instant.now(),
                paused ? "paused" : "running",
                List.of("lo 127.0.0.1"),
                "http://127.0.0.1:8000",
                true);
    }

    @Override
    public List<io.nexusmonitor.discovery.logic.InterfaceTraffic> mdnsTraffic() {
        return traffic;
    }

    @Override
    public io.nexusmonitor.stats.Telemetry telemetry() {
        return telemetry;
    }

    /** Adds a backend as discovery would. */
    Backend discover(String name, String url) {
        return registry.add(
                Backend.create("", name, url, BackendType.OLLAMA, BackendSource.MDNS, 50, Instant.now()), "found");
    }
}
