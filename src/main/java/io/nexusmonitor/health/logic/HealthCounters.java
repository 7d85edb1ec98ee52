package io.nexusmonitor.health.logic;

import io.nexusmonitor.registry.BackendStatus;

/**
 * Consecutive check results for one backend, and the status they were counted against: when
 * something else changes the status (discovery marks it unknown, a user drains it), the counts no
 * longer mean anything and start again.
 */
public record HealthCounters(BackendStatus countedFor, int failures, int successes) {

    public static HealthCounters start(BackendStatus status) {
        return new HealthCounters(status, 0, 0);
    }

    /** These counters if they were counted against {@code status}, else fresh ones. */
    public HealthCounters against(BackendStatus status) {
        return status == countedFor ? this : start(status);
    }
}
