package io.nexusmonitor.routing;

import io.nexusmonitor.registry.Backend;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code priority_only}: the lowest priority number wins; equal priorities are ordered by id, so one
 * box takes all. Config backends rank before the others ({@link PriorityTrust}).
 */
final class PriorityOnlyStrategy implements SelectionStrategy {
    private final PriorityTrust trust;

    PriorityOnlyStrategy() {
        this(PriorityTrust.CONFIG_FIRST);
    }

    PriorityOnlyStrategy(PriorityTrust trust) {
        this.trust = trust;
    }

    @Override
    public List<Candidate> select(String model, List<Backend> listed, int count) {
        TopK.Result top = TopK.smallestRoutable(listed, count, trust, b -> b.priority());
        List<Candidate> out = new ArrayList<>(top.best().size());
        for (Backend b : top.best()) {
            out.add(new Candidate(
                    b, "priority_only: priority " + b.priority() + trust.note(b) + " of " + top.routable()));
        }
        return out;
    }
}
