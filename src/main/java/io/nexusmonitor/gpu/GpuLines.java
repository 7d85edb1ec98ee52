package io.nexusmonitor.gpu;

import io.nexusmonitor.registry.GpuReading;
import io.nexusmonitor.registry.GpuReport;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A status endpoint's report as text, one line per GPU: {@code 0: RTX 4090, 3120 / 24564 MiB, 37 %, 51 °C}. */
public final class GpuLines {
    private GpuLines() {}

    public static String of(GpuReport r) {
        if (!r.ok()) {
            return "not read: " + r.problem();
        }
        if (r.gpus().isEmpty()) {
            return "no GPUs";
        }
        List<String> lines = new ArrayList<>(r.gpus().size());
        for (GpuReading g : r.gpus()) {
            lines.add(g.index() + ": " + g.name() + ", " + mb(g.vramUsedMb()) + " / " + mb(g.vramTotalMb()) + " MiB, "
                    + (g.utilPercent() == null ? "?" : g.utilPercent()) + " %, "
                    + (g.tempC() == null ? "?" : g.tempC()) + " °C");
        }
        return String.join("\n", lines);
    }

    private static String mb(@Nullable Long v) {
        return v == null ? "?" : Long.toString(v);
    }
}
