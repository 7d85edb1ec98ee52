package io.nexusmonitor.health.logic;

import io.nexusmonitor.registry.ModelInfo;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one health check found.
 *
 * @param outcome   up, loading or down
 * @param models    the model list to store, or null to keep the one the backend has
 * @param cause     short reason for history/events when the check failed or is loading, else null
 * @param error     the {@code last_error} sentence; null when everything went fine
 * @param latencyMs the primary probe's round trip, null when it failed
 * @param modelsDropped models the answer listed beyond {@code [limits] max_models_per_backend}, not kept
 * @param serverSlots   parallel slots the server reported (llama.cpp {@code /props} {@code total_slots}), null when it did not
 * @param serverBusy    slots the server reported busy (llama.cpp {@code /slots}), null when it did not
 */
public record CheckResult(
        Outcome outcome,
        @Nullable List<ModelInfo> models,
        @Nullable String cause,
        @Nullable String error,
        @Nullable Double latencyMs,
        int modelsDropped,
        @Nullable Integer serverSlots,
        @Nullable Integer serverBusy) {

    public enum Outcome {
        SUCCESS,
        LOADING,
        FAILURE
    }

    public CheckResult {
        models = models == null ? null : List.copyOf(models);
    }

    /** Nothing the server said about its slots. */
    public CheckResult(
            Outcome outcome,
            @Nullable List<ModelInfo> models,
            @Nullable String cause,
            @Nullable String error,
            @Nullable Double latencyMs,
            int modelsDropped) {
        this(outcome, models, cause, error, latencyMs, modelsDropped, null, null);
    }

    /** Nothing dropped. */
    public CheckResult(
            Outcome outcome,
            @Nullable List<ModelInfo> models,
            @Nullable String cause,
            @Nullable String error,
            @Nullable Double latencyMs) {
        this(outcome, models, cause, error, latencyMs, 0);
    }

    public static CheckResult failure(Failure f) {
        return new CheckResult(Outcome.FAILURE, null, f.cause(), f.sentence(), null);
    }
}
