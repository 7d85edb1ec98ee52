package io.nexusmonitor.stats;

import org.jspecify.annotations.Nullable;

/**
 * One row of the telemetry history: one backend × model over one minute or one hour. The
 * percentiles are there for a person with {@code sqlite3}; the histograms (HdrHistogram's
 * compressed encoding, µs) let the figures be merged exactly again after a restart.
 */
public record HistoryRow(
        boolean hourly,
        long startMillis,
        String backendUrl,
        @Nullable String backendName,
        String model,
        long requests,
        long errors,
        long clientErrors,
        long cancelled,
        long promptTokens,
        long completionTokens,
        long estimated,
        long genTokens,
        long genNanos,
        double ttftP50Ms,
        double ttftP95Ms,
        double durationP50Ms,
        double durationP95Ms,
        byte @Nullable [] ttftHistogram,
        byte @Nullable [] durationHistogram) {}
