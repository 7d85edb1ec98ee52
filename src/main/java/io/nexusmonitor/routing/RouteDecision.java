package io.nexusmonitor.routing;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** What the router decided for one request: where to send it, or why it cannot be served. */
public sealed interface RouteDecision permits RouteDecision.Route, RouteDecision.NoRoute {

    /**
     * Send it to the first candidate; on a connect failure or a 5xx before anything reached the
     * client, to the next (the list is already cut to {@code max_retries + 1}).
     *
     * @param requestedModel what the client asked for
     * @param model          what the backends are asked for (after aliases and fallbacks)
     * @param fallbackModel  the fallback that serves it, or null when the model itself is served
     * @param via            how {@code model} was reached ({@code alias gpt-4 -> llama3:70b}), empty when directly
     */
    record Route(
            String requestedModel, String model, @Nullable String fallbackModel, List<Candidate> candidates, String via)
            implements RouteDecision {
        public Route {
            candidates = List.copyOf(candidates);
        }

        /**
         * The best candidate has no free slot: the request waits in the gateway's queue (every
         * candidate is at capacity, or waiting for the best is predicted cheaper than the others).
         */
        public boolean mustWait() {
            return !candidates.get(0).free();
        }
    }

    /** Nothing can serve it: no backend knows the model, or none that does is healthy and approved. */
    record NoRoute(Reason reason, String message) implements RouteDecision {}

    enum Reason {
        /** No backend lists the model (nor any fallback): HTTP 404 {@code model_not_found}. */
        MODEL_NOT_FOUND,
        /** Some backend lists it, none is routable now: HTTP 503 {@code no_healthy_backend}. */
        NO_HEALTHY_BACKEND
    }
}
