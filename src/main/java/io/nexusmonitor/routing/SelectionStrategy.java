package io.nexusmonitor.routing;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.Backend;
import java.util.List;

/**
 * Orders the routable backends for one model and keeps the first {@code count}: the first gets
 * the request, the rest are the retries. Implementations pick the top few without sorting the
 * whole list, since a model may be on a thousand backends and this runs on every request.
 */
public interface SelectionStrategy {

    List<Candidate> select(String model, List<Backend> routable, int count);

    static SelectionStrategy of(NexusConfig.Strategy strategy) {
        return switch (strategy) {
            case SMART -> new SmartStrategy();
            case ROUND_ROBIN -> new RoundRobinStrategy();
            case PRIORITY_ONLY -> new PriorityOnlyStrategy();
            case RANDOM -> new RandomStrategy();
        };
    }
}
