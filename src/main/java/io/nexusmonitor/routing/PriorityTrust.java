package io.nexusmonitor.routing;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;

/**
 * Whose priority counts: the one rule that keeps a backend added through the API or announced by
 * mDNS from taking the traffic of the backends the user wrote into {@code [[backends]]}. Anyone who
 * can reach the API or the LAN can add a backend with {@code priority: 0} and a popular model
 * name; by default such a backend ranks after every routable config backend for that model,
 * whatever its priority, and serves the model when none of them is routable (or as their retry).
 * Among config backends, and among the others, priority and the strategy decide as before.
 * {@code [routing] trust_added_priority = true} lets every backend's priority count alike.
 */
public final class PriorityTrust {
    /** Config backends outrank the others (the default). */
    public static final PriorityTrust CONFIG_FIRST = new PriorityTrust(false);
    /** Every backend's priority counts alike. */
    public static final PriorityTrust ALL_ALIKE = new PriorityTrust(true);

    private final boolean trustAdded;

    private PriorityTrust(boolean trustAdded) {
        this.trustAdded = trustAdded;
    }

    public static PriorityTrust of(boolean trustAddedPriority) {
        return trustAddedPriority ? ALL_ALIKE : CONFIG_FIRST;
    }

    /** 0 for the first rank (config backends, or every backend when trusted), 1 for added and discovered ones. */
    public int tier(Backend b) {
        return tier(b.source() == BackendSource.STATIC);
    }

    /** {@link #tier(Backend)} for a backend known to come from the config file or not. */
    int tier(boolean configBackend) {
        return trustAdded || configBackend ? 0 : 1;
    }

    /** For the route reason: {@code ", after config backends"} when {@code b} ranks behind them, else empty. */
    String note(Backend b) {
        return tier(b) == 0 ? "" : ", " + b.source().wire() + " ranked after config backends";
    }
}
