package io.nexusmonitor.stats;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decides when a backend has become degraded: over the last 15 minutes, with at least
 * {@value #MIN_REQUESTS} requests, its error rate (5xx and timeouts) or its p95 time to first
 * token is above the threshold. A backend is reported once when it crosses, and again only after
 * it has recovered (both figures back under their thresholds). Plain Java; one caller at a time.
 */
public final class DegradedWatch {
    public static final int MIN_REQUESTS = 5;

    private final double errorRate;
    private final double ttftP95Ms;
    private final Set<String> degraded = new HashSet<>();

    /** @param errorPercent 1 to 100; @param ttftP95Seconds 1 or more */
    public DegradedWatch(int errorPercent, int ttftP95Seconds) {
        this.errorRate = errorPercent / 100.0;
        this.ttftP95Ms = ttftP95Seconds * 1000.0;
    }

    /** A backend that just became degraded: its name and why, in words. */
    public record Degraded(String backendUrl, String name, String why) {}

    /** The backends that crossed a threshold since the last call. */
    public List<Degraded> check(RequestStats stats) {
        Map<String, String> names = new LinkedHashMap<>();
        for (RequestStats.Pair p : stats.pairs()) {
            names.putIfAbsent(p.key().backendUrl(), p.backendName());
        }
        List<Degraded> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, String> e : names.entrySet()) {
            String url = e.getKey();
            seen.add(url);
            Summary s = stats.backend(Window.M15, url);
            if (s.requests() < MIN_REQUESTS) {
                continue;
            }
            boolean errors = s.errorRate() > errorRate;
            boolean slow = !Double.isNaN(s.ttftP95()) && s.ttftP95() > ttftP95Ms;
            if (errors || slow) {
                if (degraded.add(url)) {
                    List<String> why = new ArrayList<>(2);
                    if (errors) {
                        why.add(String.format(
                                Locale.ROOT, "%.0f %% of %d requests failed", 100 * s.errorRate(), s.requests()));
                    }
                    if (slow) {
                        why.add(String.format(Locale.ROOT, "time to first token p95 %.1f s", s.ttftP95() / 1000));
                    }
                    out.add(new Degraded(url, e.getValue(), String.join(", ", why) + " in the last 15 min"));
                }
            } else {
                degraded.remove(url);
            }
        }
        degraded.retainAll(seen);
        return out;
    }
}
