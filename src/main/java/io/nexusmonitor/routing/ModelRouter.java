package io.nexusmonitor.routing;

import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.Registry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides where a request for a model goes: aliases first, then the routable backends (healthy
 * and approved) that list the model, ordered by the strategy; when none has it, the configured
 * fallbacks in order. The result carries up to {@code max_retries + 1} candidates, the retry plan.
 * Pure logic over the registry's lock-free reads; no HTTP here.
 */
public final class ModelRouter {
    private static final int MAX_LISTED = 10;

    private final Registry registry;
    private final NexusConfig.Routing config;
    private final AliasResolver aliases;
    private final SelectionStrategy strategy;
    private final RouteStats stats;

    /** A router with its own {@link RouteStats} (tests, benchmarks). */
    public ModelRouter(Registry registry, NexusConfig.Routing config) {
        this(registry, config, new RouteStats(registry));
    }

    /** A router whose cost model reads {@code stats}, which the gateway feeds from the requests it proxies. */
    public ModelRouter(Registry registry, NexusConfig.Routing config, RouteStats stats) {
        this.registry = Objects.requireNonNull(registry);
        this.config = Objects.requireNonNull(config);
        this.aliases = new AliasResolver(config.aliases());
        this.stats = Objects.requireNonNull(stats);
        this.strategy = SelectionStrategy.of(
                config.strategy(),
                PriorityTrust.of(config.trustAddedPriority()),
                stats,
                config.coldStartSeconds() * 1000);
    }

    public RouteStats stats() {
        return stats;
    }

    /**
     * For the strategies that do not weigh load ({@code round_robin}, {@code priority_only},
     * {@code random}): a candidate at capacity moves behind the ones with a free slot, keeping the
     * strategy's order otherwise, so a busy backend spills to the next. {@code smart} weighs load itself.
     */
    private List<Candidate> freeFirst(List<Candidate> chosen) {
        if (strategy instanceof SmartStrategy || chosen.isEmpty()) {
            return chosen;
        }
        List<Candidate> free = new ArrayList<>(chosen.size());
        List<Candidate> full = new ArrayList<>(0);
        for (Candidate c : chosen) {
            Integer cap = c.backend().capacity();
            if (cap == null || stats.inFlight(c.backend().id()) < cap) {
                free.add(c);
            } else {
                full.add(c.withFree(false));
            }
        }
        if (full.isEmpty()) {
            return chosen;
        }
        free.addAll(full);
        return free;
    }

    /**
     * The backends that list a model: {@code smart} reads each once per decision (so it reads them
     * live, without a copy of a thousand references); the other strategies get a stable copy.
     */
    private List<Backend> listed(String model) {
        return strategy instanceof SmartStrategy
                ? registry.backendsForModelLive(model)
                : registry.backendsForModel(model);
    }

    /** How many backends one request may try: the first plus {@code max_retries}. */
    public int attempts() {
        return Math.max(0, config.maxRetries()) + 1;
    }

    /** The model names the config itself gives: alias names and models with fallbacks. */
    public Set<String> configuredModelNames() {
        Set<String> names = new HashSet<>(config.aliases().keySet());
        names.addAll(config.fallbacks().keySet());
        return names;
    }

    /** The model a request for this name asks the backends for, after aliases (fallbacks aside). */
    public String resolve(String requestedModel) {
        return aliases.resolve(requestedModel);
    }

    public RouteDecision route(String requestedModel) {
        List<String> chain = aliases.chain(requestedModel);
        String model = chain.get(chain.size() - 1);
        String via = chain.size() > 1 ? "alias " + String.join(" -> ", chain) : "";
        List<Backend> listed = listed(model);
        List<Candidate> candidates = freeFirst(strategy.select(model, listed, attempts()));
        if (!candidates.isEmpty()) {
            return new RouteDecision.Route(requestedModel, model, null, candidates, via);
        }
        boolean anyListed = !listed.isEmpty();
        List<String> why = new ArrayList<>();
        if (anyListed) {
            why.add(explain(model, listed));
        }
        for (String fallback : fallbacksFor(requestedModel, model)) {
            String target = aliases.resolve(fallback);
            List<Backend> fbListed = listed(target);
            List<Candidate> fbCandidates = freeFirst(strategy.select(target, fbListed, attempts()));
            if (!fbCandidates.isEmpty()) {
                String how = (via.isEmpty() ? "" : via + "; ") + "fallback " + model + " -> " + target;
                return new RouteDecision.Route(requestedModel, target, target, fbCandidates, how);
            }
            if (!fbListed.isEmpty()) {
                anyListed = true;
                why.add("fallback " + explain(target, fbListed));
            }
        }
        if (!anyListed) {
            return new RouteDecision.NoRoute(
                    RouteDecision.Reason.MODEL_NOT_FOUND, notFoundMessage(requestedModel, model));
        }
        return new RouteDecision.NoRoute(
                RouteDecision.Reason.NO_HEALTHY_BACKEND,
                "no healthy backend for model '" + requestedModel + "': " + String.join("; ", why));
    }

    private List<String> fallbacksFor(String requested, String model) {
        List<String> list = config.fallbacks().get(model);
        if (list == null && !requested.equals(model)) {
            list = config.fallbacks().get(requested);
        }
        return list == null ? List.of() : list;
    }

    /** {@code 'llama3:70b' is on gpu-a (unhealthy: connection refused), gpu-b (awaiting approval)}. */
    private String explain(String model, List<Backend> listed) {
        List<String> parts = new ArrayList<>();
        for (Backend b : listed) {
            if (parts.size() == MAX_LISTED) {
                parts.add("and " + (listed.size() - MAX_LISTED) + " more");
                break;
            }
            String state;
            if (b.status() == BackendStatus.HEALTHY && !b.approved()) {
                state = "awaiting approval (pin it to route to it)";
            } else {
                state = b.status().wire() + (b.lastError() == null ? "" : ": " + b.lastError());
            }
            parts.add(registry.label(b) + " (" + state + ")");
        }
        return "'" + model + "' is on " + String.join(", ", parts);
    }

    private String notFoundMessage(String requested, String model) {
        TreeSet<String> known = new TreeSet<>(registry.modelIds());
        String name =
                requested.equals(model) ? "'" + requested + "'" : "'" + requested + "' (alias of '" + model + "')";
        if (known.isEmpty()) {
            return "model " + name + " does not exist: no backend lists any model yet";
        }
        List<String> some = new ArrayList<>();
        for (String k : known) {
            if (some.size() == MAX_LISTED) {
                some.add("...");
                break;
            }
            some.add(k);
        }
        return "model " + name + " does not exist on any backend; known models: " + String.join(", ", some);
    }
}
