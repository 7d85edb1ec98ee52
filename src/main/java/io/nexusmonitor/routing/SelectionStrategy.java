package io.nexusmonitor.routing;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.Backend;
import java.util.ArrayList;
import java.util.List;

/**
 * Orders the routable backends (healthy and approved) for one model and keeps the first
 * {@code count}: the first gets the request, the rest are the retries. Implementations pick the
 * top few without sorting the whole list, since a model may be on a thousand backends and this
 * runs on every request.
 */
public interface SelectionStrategy {

    /**
     * @param listed every backend that lists the model, whatever its status
     * @return the candidates in order; empty when none is routable
     */
    List<Candidate> select(String model, List<Backend> listed, int count);

    /**
     * The routable ones among {@code listed}, in their order, split by {@link PriorityTrust#tier}:
     * the first rank's list first, then the other's; empty lists are left out.
     */
    static List<List<Backend>> routableByTier(List<Backend> listed, PriorityTrust trust) {
        List<Backend> first = new ArrayList<>(listed.size());
        List<Backend> rest = null;
        for (Backend b : listed) {
            if (!b.routable()) {
                continue;
            }
            if (trust.tier(b) == 0) {
                first.add(b);
            } else {
                if (rest == null) {
                    rest = new ArrayList<>();
                }
                rest.add(b);
            }
        }
        if (rest == null) {
            return first.isEmpty() ? List.of() : List.of(first);
        }
        return first.isEmpty() ? List.of(rest) : List.of(first, rest);
    }

    static SelectionStrategy of(
            NexusConfig.Strategy strategy, PriorityTrust trust, RouteStats stats, double defaultColdStartMs) {
        return switch (strategy) {
            case SMART -> new SmartStrategy(trust, stats, defaultColdStartMs);
            case ROUND_ROBIN -> new RoundRobinStrategy(trust);
            case PRIORITY_ONLY -> new PriorityOnlyStrategy(trust);
            case RANDOM -> new RandomStrategy(trust);
        };
    }
}
