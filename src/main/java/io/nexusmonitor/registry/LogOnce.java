package io.nexusmonitor.registry;

import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Remembers which keys were logged already, so a refusal repeated by every announcement or
 * request is logged once. Bounded without forgetting: once {@code capacity} keys are remembered,
 * new keys are no longer logged, and the first of them is reported instead as "further ones are
 * not logged", so a flood of made-up names can grow neither memory nor the log. The one rule for
 * every "logged once" in the program (refused hosts and origins, dropped announcements, loops,
 * truncated model lists). Thread-safe.
 */
public final class LogOnce {
    /** What to do with one key. */
    public enum Verdict {
        /** Not seen before: log it. */
        FIRST,
        /** Seen already, or new after the overflow was reported: say nothing. */
        SEEN,
        /** The first new key past capacity: log that further ones go unlogged. */
        OVERFLOW
    }

    private final int capacity;
    private final Set<String> seen = new HashSet<>();
    private boolean overflowReported;

    public LogOnce(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    public synchronized Verdict see(String key) {
        if (seen.contains(key)) {
            return Verdict.SEEN;
        }
        if (seen.size() >= capacity) {
            if (overflowReported) {
                return Verdict.SEEN;
            }
            overflowReported = true;
            return Verdict.OVERFLOW;
        }
        seen.add(key);
        return Verdict.FIRST;
    }

    /**
     * True the first time a key is seen (log now). Past capacity it is false, and the first such key
     * logs, at warn on {@code log}, that further {@code what} are not logged.
     */
    public boolean first(String key, Logger log, String what) {
        Verdict v = see(key);
        if (v == Verdict.OVERFLOW) {
            log.warn("more than {} different {}; further ones are not logged", capacity, what);
        }
        return v == Verdict.FIRST;
    }

    /** Forgets a key, so its next refusal is logged again (it was accepted meanwhile). */
    public synchronized void forget(String key) {
        seen.remove(key);
    }

    public synchronized int size() {
        return seen.size();
    }
}
