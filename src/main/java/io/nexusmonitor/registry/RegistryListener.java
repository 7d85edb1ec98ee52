package io.nexusmonitor.registry;

/**
 * Receives registry changes. Called on the thread that made the change (or that drains the
 * event queue), never while the registry holds a lock, one event at a time, in order. A listener
 * must return quickly: adapters hand events to their own thread (the FX thread, an SSE buffer).
 */
@FunctionalInterface
public interface RegistryListener {
    void onEvent(RegistryEvent event);
}
