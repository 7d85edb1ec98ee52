package io.nexusmonitor.routing;

import io.nexusmonitor.registry.Backend;

/**
 * One backend to try, in the order the strategy chose.
 *
 * @param reason      why it was picked, for {@code X-Nexus-Route-Reason}
 *                    ({@code mid: qwen2:7b loaded, 1/2 busy, predicted first token 0.3 s})
 * @param free        whether it has a free slot now (requests in flight below its capacity, or capacity unknown)
 * @param predictedMs {@code smart}'s predicted time to first token, NaN for the other strategies
 */
public record Candidate(Backend backend, String reason, boolean free, double predictedMs) {
    public Candidate(Backend backend, String reason) {
        this(backend, reason, true, Double.NaN);
    }

    Candidate withFree(boolean f) {
        return new Candidate(backend, reason, f, predictedMs);
    }
}
