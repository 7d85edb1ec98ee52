package io.nexusmonitor.registry;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One GPU as a host's tool reported it. Every measurement is null when the tool did not say
 * (a MIG instance's {@code [N/A]}, a field the driver does not support, an older tool).
 *
 * @param index       the tool's GPU index (nvidia-smi {@code index}, rocm-smi {@code cardN}, DRM {@code cardN})
 * @param name        product name, {@code NVIDIA GeForce RTX 4090}
 * @param vramTotalMb memory in MiB
 * @param vramUsedMb  memory in use in MiB
 * @param utilPercent GPU utilisation, 0..100
 * @param tempC       temperature in degrees Celsius (rocm-smi: the edge sensor)
 */
public record GpuReading(
        int index,
        String name,
        @Nullable Long vramTotalMb,
        @Nullable Long vramUsedMb,
        @Nullable Integer utilPercent,
        @Nullable Integer tempC) {
    /** Longest name kept; product names are 10 to 40 characters. */
    public static final int MAX_NAME = 64;

    public GpuReading {
        Objects.requireNonNull(name, "name");
        name = name.strip();
        if (name.length() > MAX_NAME) {
            name = name.substring(0, MAX_NAME);
        }
    }
}
