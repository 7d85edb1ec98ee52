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

    /** The routable ones among {@code listed}, in their order. */
    static List<Backend> routable(List<Backend> listed) {
        List<Backend> out = new ArrayList<>(listed.size());
        for (Backend b : listed) {
            if (b.routable()) {
                out.add(b);
            }
        }
        return out;
    }

    static SelectionStrategy of(NexusConfig.Strategy strategy) {
        return switch (strategy) {
            case SMART -> new SmartStrategy();
            case ROUND_ROBIN -> new RoundRobinStrategy();
            case PRIORITY_ONLY -> new PriorityOnlyStrategy();
            case RANDOM -> new RandomStrategy();
        };
    }
}
