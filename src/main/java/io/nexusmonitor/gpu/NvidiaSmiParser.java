package io.nexusmonitor.gpu;

import io.nexusmonitor.registry.GpuReading;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the output of {@value #QUERY}: one line per GPU (or MIG-enabled GPU), fields comma-separated
 * in that order, numbers in MiB, percent and degrees; {@code [N/A]} or {@code [Not Supported]} where
 * the driver has no value. A line that does not have the six fields, or no index, is skipped.
 */
public final class NvidiaSmiParser {
    /** The fields asked for, in the order they are read. */
    public static final String QUERY = "index,name,memory.total,memory.used,utilization.gpu,temperature.gpu";

    /** The command line {@code announce} runs. */
    public static final List<String> COMMAND =
            List.of("nvidia-smi", "--query-gpu=" + QUERY, "--format=csv,noheader,nounits");

    private NvidiaSmiParser() {}

    public static List<GpuReading> parse(String output) {
        List<GpuReading> out = new ArrayList<>();
        for (String line : output.split("\\R", -1)) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length < 6) {
                continue;
            }
            // a product name holds no comma in practice; should one, the extra fields belong to the name
            int extra = f.length - 6;
            StringBuilder name = new StringBuilder(f[1]);
            for (int i = 0; i < extra; i++) {
                name.append(',').append(f[2 + i]);
            }
            Long index = GpuFields.number(f[0]);
            if (index == null || index > Integer.MAX_VALUE) {
                continue;
            }
            out.add(new GpuReading(
                    index.intValue(),
                    name.toString(),
                    GpuFields.number(f[2 + extra]),
                    GpuFields.number(f[3 + extra]),
                    GpuFields.percentOrDegrees(f[4 + extra]),
                    GpuFields.percentOrDegrees(f[5 + extra])));
        }
        return out;
    }
}
