package io.nexusmonitor.routing;

import io.nexusmonitor.registry.Backend;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code round_robin}: each model has its own turn counter; the backends, ordered by id, take
 * turns, and the retries are the ones whose turn comes next. Ordering by id (rather than the
 * registry's set order) keeps the rotation fair when backends come and go.
 */
final class RoundRobinStrategy implements SelectionStrategy {
    private final Map<String, AtomicLong> turns = new ConcurrentHashMap<>();

    @Override
    public List<Candidate> select(String model, List<Backend> routable, int count) {
        int n = routable.size();
        if (n == 0) {
            return List.of();
        }
        long turn = turns.computeIfAbsent(model, m -> new AtomicLong()).getAndIncrement();
        int start = (int) Math.floorMod(turn, (long) n);
        List<Backend> sorted = new ArrayList<>(routable);
        sorted.sort(Comparator.comparing(Backend::id));
        int k = Math.min(count, n);
        List<Candidate> out = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            Backend b = sorted.get((start + i) % n);
            out.add(new Candidate(b, "round_robin: turn " + (turn + 1) + ", " + ((start + i) % n + 1) + " of " + n));
        }
        return out;
    }
}
