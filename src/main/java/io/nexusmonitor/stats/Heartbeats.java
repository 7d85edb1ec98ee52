package io.nexusmonitor.stats;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The last {@value #KEEP} health checks of every backend, for a heartbeat strip: what each
 * found and how long its probe took. Fed by the health checker's results, keyed by backend id
 * (a strip is about this run); a removed backend is {@link #forget forgotten}.
 */
public final class Heartbeats {
    public static final int KEEP = 60;

    /** What a check found. */
    public enum Kind {
        OK,
        LOADING,
        FAILED,
        TIMEOUT;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One check: when it ended, what it found, its probe's round trip in ms (NaN when it failed). */
    public record Beat(long atMillis, Kind kind, double latencyMs) {}

    private final Map<String, ArrayDeque<Beat>> beats = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();

    public void record(String backendId, Beat beat) {
        ArrayDeque<Beat> q = beats.computeIfAbsent(backendId, id -> new ArrayDeque<>(KEEP));
        synchronized (q) {
            if (q.size() == KEEP) {
                q.removeFirst();
            }
            q.addLast(beat);
        }
        version.incrementAndGet();
    }

    /** The checks of one backend, oldest first, at most {@code last} of them. */
    public List<Beat> of(String backendId, int last) {
        ArrayDeque<Beat> q = beats.get(backendId);
        if (q == null) {
            return List.of();
        }
        List<Beat> all;
        synchronized (q) {
            all = new ArrayList<>(q);
        }
        return all.size() <= last ? all : all.subList(all.size() - last, all.size());
    }

    public void forget(String backendId) {
        beats.remove(backendId);
        version.incrementAndGet();
    }

    /** Changes with every check recorded. */
    public long version() {
        return version.get();
    }
}
