package io.nexusmonitor.routing;

import io.nexusmonitor.registry.Backend;
import java.util.ArrayList;
import java.util.List;

/** {@code priority_only}: the lowest priority number wins; equal priorities are ordered by id, so one box takes all. */
final class PriorityOnlyStrategy implements SelectionStrategy {
    @Override
    public List<Candidate> select(String model, List<Backend> routable, int count) {
        List<Candidate> out = new ArrayList<>(count);
        for (Backend b : TopK.smallest(routable, count, b -> b.priority())) {
            out.add(new Candidate(b, "priority_only: priority " + b.priority() + " of " + routable.size()));
        }
        return out;
    }
}
