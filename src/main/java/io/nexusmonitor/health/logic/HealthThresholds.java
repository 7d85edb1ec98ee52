package io.nexusmonitor.health.logic;

import io.nexusmonitor.health.logic.CheckResult.Outcome;
import io.nexusmonitor.registry.BackendStatus;

/**
 * The status state machine. Unknown becomes Healthy on one success and Unhealthy on one failure
 * (nothing is known yet, so the first answer decides); Healthy turns Unhealthy on the
 * {@code failureThreshold}-th consecutive failure; Unhealthy turns Healthy on the
 * {@code recoveryThreshold}-th consecutive success; each result resets the opposite counter.
 * Loading (a server that answers "loading model") is shown as soon as it is seen, counts as
 * neither, and becomes Healthy on the next success. Draining is owned by whoever started it.
 */
public record HealthThresholds(int failureThreshold, int recoveryThreshold) {

    public HealthThresholds {
        if (failureThreshold < 1 || recoveryThreshold < 1) {
            throw new IllegalArgumentException("thresholds must be 1 or more");
        }
    }

    /** The status after one more check, and the counters to keep for the next one. */
    public record Step(BackendStatus status, HealthCounters counters) {}

    public Step next(BackendStatus status, HealthCounters counters, Outcome outcome) {
        HealthCounters c = counters.against(status);
        if (status == BackendStatus.DRAINING) {
            return new Step(status, c);
        }
        switch (outcome) {
            case SUCCESS: {
                int successes = c.successes() + 1;
                BackendStatus next = status == BackendStatus.UNHEALTHY && successes < recoveryThreshold
                        ? BackendStatus.UNHEALTHY
                        : BackendStatus.HEALTHY;
                return step(next, 0, successes);
            }
            case FAILURE: {
                int failures = c.failures() + 1;
                BackendStatus next;
                if (status == BackendStatus.HEALTHY || status == BackendStatus.LOADING) {
                    next = failures >= failureThreshold ? BackendStatus.UNHEALTHY : status;
                } else {
                    next = BackendStatus.UNHEALTHY;
                }
                return step(next, failures, 0);
            }
            default:
                return step(BackendStatus.LOADING, 0, 0);
        }
    }

    private static Step step(BackendStatus next, int failures, int successes) {
        return new Step(next, new HealthCounters(next, failures, successes));
    }
}
