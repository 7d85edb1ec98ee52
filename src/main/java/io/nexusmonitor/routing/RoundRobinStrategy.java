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
 * change); the retries are the ones whose turn comes next. Config backends take the turns while
 * one of them is routable; the others follow as retries ({@link PriorityTrust}). No sorting, so a
 * turn costs the same at a thousand backends as at three.
 */
final class RoundRobinStrategy implements SelectionStrategy {
    private final Map<String, AtomicLong> turns = new ConcurrentHashMap<>();
    private final PriorityTrust trust;

    RoundRobinStrategy() {
        this(PriorityTrust.CONFIG_FIRST);
    }

    RoundRobinStrategy(PriorityTrust trust) {
        this.trust = trust;
    }

    @Override
    public List<Candidate> select(String model, List<Backend> listed, int count) {
        List<List<Backend>> tiers = SelectionStrategy.routableByTier(listed, trust);
        if (tiers.isEmpty()) {
            return List.of();
        }
        long turn = turns.computeIfAbsent(model, m -> new AtomicLong()).getAndIncrement();
        List<Candidate> out = new ArrayList<>(count);
        for (List<Backend> routable : tiers) {
            int n = routable.size();
            int start = (int) Math.floorMod(turn, (long) n);
            for (int i = 0; i < n && out.size() < count; i++) {
                int at = (start + i) % n;
                Backend b = routable.get(at);
                out.add(new Candidate(
                        b, "round_robin: turn " + (turn + 1) + ", " + (at + 1) + " of " + n + trust.note(b)));
            }
        }
        return out;
    }
}
