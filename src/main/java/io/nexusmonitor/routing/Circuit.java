package io.nexusmonitor.routing;

import io.nexusmonitor.health.logic.CheckResult.Outcome;
import io.nexusmonitor.health.logic.HealthCounters;
import io.nexusmonitor.health.logic.HealthThresholds;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.registry.WakeOnLan;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Health from live traffic: proxied requests that fail count toward the backend's failure
 * threshold by the health checker's own rule ({@link HealthThresholds}, {@code [health_check]
 * failure_threshold} failures in a row turn a healthy backend unhealthy; an answer resets the
 * count). A refused connection opens the circuit at once: nothing listens there, so the next
 * request would fail the same way. Timeouts and 5xx answers other than 503 count one each (503
 * means busy or loading, not dead). An open circuit is the backend marked unhealthy, with the
 * cause ({@code proxy: connection refused}) in its history, or {@code asleep} for a box that can be
 * woken ({@link WakeOnLan#downStatus}); it receives no traffic until the health checker's probes
 * bring it back ({@code recovery_threshold} successes).
 */
public final class Circuit {
    /** A refused connection opens the circuit at once (one failure), whatever failure_threshold says. */
    private static final HealthThresholds AT_ONCE = new HealthThresholds(1, 1);

    private final Registry registry;
    private final HealthThresholds thresholds;
    private final Map<String, HealthCounters> counters = new ConcurrentHashMap<>();

    public Circuit(Registry registry, int failureThreshold, int recoveryThreshold) {
        this.registry = registry;
        this.thresholds = new HealthThresholds(Math.max(1, failureThreshold), Math.max(1, recoveryThreshold));
    }

    /** What went wrong with a proxied request, as the history names it. */
    public enum Failure {
        CONNECTION_REFUSED("proxy: connection refused", true),
        CONNECT_FAILED("proxy: request failed", false),
        TIMEOUT("proxy: timeout", false),
        SERVER_ERROR("proxy: HTTP 5xx", false);

        final String cause;
        final boolean opensAtOnce;

        Failure(String cause, boolean opensAtOnce) {
            this.cause = cause;
            this.opensAtOnce = opensAtOnce;
        }
    }

    /** A proxied request got an answer (not a 5xx): the count of failures in a row starts again. */
    public void success(String backendId) {
        if (!counters.isEmpty()) {
            counters.remove(backendId);
        }
    }

    /**
     * A proxied request failed.
     *
     * @param detail e.g. {@code HTTP 502}; null for the failure's own name
     * @return true when this opened the circuit (the backend is now unhealthy, or asleep)
     */
    public boolean failure(String backendId, Failure f, @Nullable String detail) {
        String cause = detail == null ? f.cause : "proxy: " + detail;
        boolean[] opened = {false};
        counters.compute(backendId, (id, c) -> {
            HealthCounters now = c == null ? HealthCounters.start(BackendStatus.HEALTHY) : c;
            HealthThresholds rule = f.opensAtOnce ? AT_ONCE : thresholds;
            HealthThresholds.Step step = rule.next(BackendStatus.HEALTHY, now, Outcome.FAILURE);
            if (step.status() != BackendStatus.UNHEALTHY) {
                return step.counters();
            }
            opened[0] = true;
            return null;
        });
        if (!opened[0]) {
            return false;
        }
        return registry.update(
                        backendId,
                        cause,
                        b -> b.status() == BackendStatus.HEALTHY
                                ? b.withStatus(WakeOnLan.downStatus(b)).withLastError(cause)
                                : b)
                .map(b -> b.status() != BackendStatus.HEALTHY)
                .orElse(false);
    }
}
