package io.nexusmonitor.registry;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a host's {@code announce --status-port} endpoint last said about its GPUs (issue 17), as
 * the monitor polled it with the health checks; or why the poll failed.
 *
 * @param gpus     per GPU, as the host read them (empty: the host has none, or the poll failed)
 * @param readAt   when the host read them (its own clock); null when the poll failed
 * @param polledAt when the monitor asked
 * @param problem  why the last poll failed, a sentence; null when it succeeded
 */
public record GpuReport(
        List<GpuReading> gpus,
        @Nullable Instant readAt,
        Instant polledAt,
        @Nullable String problem) {
    public GpuReport {
        gpus = List.copyOf(gpus);
        Objects.requireNonNull(polledAt, "polledAt");
    }

    /** A poll that answered. */
    public static GpuReport read(List<GpuReading> gpus, Instant readAt, Instant polledAt) {
        return new GpuReport(gpus, readAt, polledAt, null);
    }

    /** A poll that failed: {@code problem} says why. */
    public static GpuReport failed(String problem, Instant polledAt) {
        return new GpuReport(List.of(), null, polledAt, problem);
    }

    /** True when the last poll answered. */
    public boolean ok() {
        return problem == null;
    }
}
