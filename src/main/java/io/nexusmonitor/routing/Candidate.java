package io.nexusmonitor.routing;

import io.nexusmonitor.registry.Backend;

/**
 * One backend to try, in the order the strategy chose.
 *
 * @param reason why it was picked, for {@code X-Nexus-Route-Reason} ({@code smart: priority 1, 0 in flight, 12 ms})
 */
public record Candidate(Backend backend, String reason) {
}
