package io.nexusmonitor.registry;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers which keys were logged already, so a refusal repeated by every announcement (every
 * few seconds) is logged once. Bounded: past {@code capacity} keys the oldest is forgotten (and
 * would be logged again), so a flood of made-up instance names cannot grow memory. Thread-safe.
 */
public final class LogOnce {
    private final Map<String, Boolean> seen;

    public LogOnce(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.seen = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** True the first time a key is seen (log now), false while it is remembered. */
    public synchronized boolean first(String key) {
        return seen.put(key, Boolean.TRUE) == null;
    }

    /** Forgets a key, so its next refusal is logged again (it was accepted meanwhile). */
    public synchronized void forget(String key) {
        seen.remove(key);
    }

    public synchronized int size() {
        return seen.size();
    }
}
