package io.nexusmonitor.routing;

import io.nexusmonitor.registry.Backend;
import java.util.ArrayList;
import java.util.List;

/** {@code priority_only}: the lowest priority number wins; equal priorities are ordered by id, so one box takes all. */
final class PriorityOnlyStrategy implements SelectionStrategy {
    @Override
    public List<Candidate> select(String model, List<Backend> listed, int count) {
        TopK.Result top = TopK.smallestRoutable(listed, count, b -> b.priority());
        List<Candidate> out = new ArrayList<>(top.best().size());
        for (Backend b : top.best()) {
            out.add(new Candidate(b, "priority_only: priority " + b.priority() + " of " + top.routable()));
        }
        return out;
    }
}
