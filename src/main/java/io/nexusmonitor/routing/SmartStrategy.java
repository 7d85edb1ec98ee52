package io.nexusmonitor.routing;

import io.nexusmonitor.registry.Backend;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code smart}: the best priority (lowest number) first; among equal priorities, the lowest
 * weighted cost of in-flight load and latency. One request in flight weighs as much as
 * {@value #MS_PER_PENDING_REQUEST} ms of average latency, so a fast box takes more traffic but a
 * busy fast box yields to an idle slower one. A backend with no latency sample yet counts as 0 ms
 * so that it gets tried (and measured). Ties go to the id, so the choice is repeatable. Config
 * backends rank before the others ({@link PriorityTrust}).
 */
final class SmartStrategy implements SelectionStrategy {
    static final double MS_PER_PENDING_REQUEST = 200.0;

    private final PriorityTrust trust;

    SmartStrategy() {
        this(PriorityTrust.CONFIG_FIRST);
    }

    SmartStrategy(PriorityTrust trust) {
        this.trust = trust;
    }

    /** Priority dominates: the cost of a backend stays far below the gap between two priorities. */
    private static final double PRIORITY_STEP = 1e12;

    static double cost(Backend b) {
        double latency = b.avgLatencyMs() == null ? 0 : b.avgLatencyMs();
        return b.pendingRequests() + latency / MS_PER_PENDING_REQUEST;
    }

    private static double key(Backend b) {
        return b.priority() * PRIORITY_STEP + Math.min(cost(b), PRIORITY_STEP / 2);
    }

    @Override
    public List<Candidate> select(String model, List<Backend> listed, int count) {
        TopK.Result top = TopK.smallestRoutable(listed, count, trust, SmartStrategy::key);
        List<Candidate> out = new ArrayList<>(top.best().size());
        for (Backend b : top.best()) {
            String latency = b.avgLatencyMs() == null ? "no latency yet" : Math.round(b.avgLatencyMs()) + " ms";
            out.add(new Candidate(b, "smart: priority " + b.priority() + ", " + b.pendingRequests() + " in flight, "
                    + latency + trust.note(b) + ", best of " + top.routable()));
        }
        return out;
    }
}
