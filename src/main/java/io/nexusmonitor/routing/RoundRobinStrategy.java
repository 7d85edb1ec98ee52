package io.nexusmonitor.routing;

import io.nexusmonitor.registry.Backend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code round_robin}: each model has its own turn counter and the backends take turns in the
 * registry's order for that model (fixed while the set of backends with the model does not
 * change); the retries are the ones whose turn comes next. No sorting, so a turn costs the same
 * at a thousand backends as at three.
 */
final class RoundRobinStrategy implements SelectionStrategy {
    private final Map<String, AtomicLong> turns = new ConcurrentHashMap<>();

    @Override
    public List<Candidate> select(String model, List<Backend> listed, int count) {
        List<Backend> routable = SelectionStrategy.routable(listed);
        int n = routable.size();
        if (n == 0) {
            return List.of();
        }
        long turn = turns.computeIfAbsent(model, m -> new AtomicLong()).getAndIncrement();
        int start = (int) Math.floorMod(turn, (long) n);
        int k = Math.min(count, n);
        List<Candidate> out = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            int at = (start + i) % n;
            out.add(new Candidate(routable.get(at), "round_robin: turn " + (turn + 1) + ", " + (at + 1) + " of " + n));
        }
        return out;
    }
}
