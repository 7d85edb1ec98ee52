package io.nexusmonitor.health.logic;

import io.nexusmonitor.health.logic.CheckResult.Outcome;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSettings;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.WakeOnLan;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Applies one check result to a backend snapshot: status by the thresholds, models (kept when the
 * result has none), the latency figure (successes only; {@link LatencyEstimate} makes it), last check
 * time and last error. A backend in its
 * grace period keeps the {@code unknown} status discovery gave it; only the other fields change.
 * A success also carries what the server said about its slots: capacity (source {@code server},
 * never over a stronger source) and its own busy count.
 *
 * @param backend  the new snapshot
 * @param counters what to remember for the next check
 * @param cause    why, for the registry's history and events
 */
public record HealthUpdate(Backend backend, HealthCounters counters, String cause) {

    /** The cause of an update that changed no status. */
    public static final String ROUTINE = "health check";

    /** Shows this result's own latency (one sample, no estimate): for callers that keep no window. */
    public static HealthUpdate apply(
            Backend before, CheckResult r, HealthCounters counters, HealthThresholds thresholds, Instant now) {
        return apply(before, r, counters, thresholds, now, r.latencyMs());
    }

    /**
     * @param latencyMs the latency to show after a success (the backend's {@link LatencyEstimate});
     *                  null, or any other outcome, keeps the figure the backend has
     */
    public static HealthUpdate apply(
            Backend before,
            CheckResult r,
            HealthCounters counters,
            HealthThresholds thresholds,
            Instant now,
            @Nullable Double latencyMs) {
        Backend after = before.withLastHealthCheck(now).withLastError(r.error());
        if (r.models() != null) {
            after = after.withModels(r.models());
        } else if (r.outcome() == Outcome.LOADING && !after.models().isEmpty()) {
            after = after.withModels(Residency.noneLoaded(after.models())); // the models it had are not ready now
        }
        if (r.outcome() == Outcome.SUCCESS && latencyMs != null) {
            after = after.withLatencyMs(latencyMs);
        }
        if (r.outcome() == Outcome.SUCCESS) {
            // what the server says about its slots; config and TXT, being stronger, stay
            // (BackendSettings#offerCapacity)
            BackendSettings s = after.settings();
            BackendSettings t = s.withServerBusy(r.serverBusy());
            if (r.serverSlots() != null) {
                t = t.offerCapacity(r.serverSlots(), BackendSettings.CapacitySource.SERVER);
            }
            if (t != s) {
                after = after.withSettings(t);
            }
        }
        if (before.inGrace()) {
            return new HealthUpdate(after, HealthCounters.start(before.status()), ROUTINE);
        }
        // asleep is unhealthy to the thresholds: it takes recovery_threshold successes to be healthy again
        boolean asleep = before.status() == BackendStatus.ASLEEP;
        BackendStatus from = asleep ? BackendStatus.UNHEALTHY : before.status();
        HealthCounters c = asleep && counters.countedFor() == BackendStatus.ASLEEP
                ? new HealthCounters(from, counters.failures(), counters.successes())
                : counters;
        HealthThresholds.Step step = thresholds.next(from, c, r.outcome());
        BackendStatus to = step.status() == BackendStatus.UNHEALTHY ? WakeOnLan.downStatus(before) : step.status();
        HealthCounters kept = to == BackendStatus.ASLEEP
                ? new HealthCounters(
                        to, step.counters().failures(), step.counters().successes())
                : step.counters();
        after = after.withStatus(to);
        return new HealthUpdate(after, kept, cause(before.status(), to, r));
    }

    public boolean changedStatus(Backend before) {
        return backend.status() != before.status();
    }

    private static String cause(BackendStatus from, BackendStatus to, CheckResult r) {
        if (from == to) {
            return ROUTINE;
        }
        switch (to) {
            case HEALTHY:
                return from == BackendStatus.ASLEEP
                        ? "woke up"
                        : from == BackendStatus.UNHEALTHY
                                ? "recovered"
                                : from == BackendStatus.LOADING ? "model loaded" : "health check passed";
            case LOADING:
                return "loading model";
            case ASLEEP:
                return "asleep: not answering, wakeable by Wake-on-LAN";
            default:
                return r.cause() != null ? r.cause() : "health check failed";
        }
    }
}
