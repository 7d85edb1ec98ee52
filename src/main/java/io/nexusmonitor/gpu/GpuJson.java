package io.nexusmonitor.gpu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexusmonitor.registry.GpuReading;
import io.nexusmonitor.registry.GpuReport;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** GPUs as JSON, the same field names in {@code announce}'s status endpoint and the monitor's API. */
public final class GpuJson {
    private GpuJson() {}

    /** {@code [{"index":0,"name":…,"vram_total_mb":…,"vram_used_mb":…,"utilization_percent":…,"temperature_c":…}]}. */
    public static ArrayNode readings(List<GpuReading> gpus) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (GpuReading g : gpus) {
            ObjectNode o = a.addObject();
            o.put("index", g.index());
            o.put("name", g.name());
            putNumber(o, "vram_total_mb", g.vramTotalMb());
            putNumber(o, "vram_used_mb", g.vramUsedMb());
            putNumber(
                    o,
                    "utilization_percent",
                    g.utilPercent() == null ? null : g.utilPercent().longValue());
            putNumber(o, "temperature_c", g.tempC() == null ? null : g.tempC().longValue());
        }
        return a;
    }

    /**
     * The last poll of the announcer's status endpoint: {@code {"gpus":[…],"read_at","polled_at","error"}}
     * ({@code error} null when it answered), or a JSON null when it is not polled.
     */
    public static JsonNode report(@Nullable GpuReport r) {
        if (r == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.set("gpus", readings(r.gpus()));
        o.put(
                "read_at",
                r.readAt() == null
                        ? null
                        : r.readAt().truncatedTo(ChronoUnit.MILLIS).toString());
        o.put("polled_at", r.polledAt().truncatedTo(ChronoUnit.MILLIS).toString());
        o.put("error", r.problem());
        return o;
    }

    /** {@code {"name":…,"count":…,"vram_mb":…,"vram_used_mb":…}} or a JSON null. */
    public static @Nullable ObjectNode summary(@Nullable GpuSummary s) {
        if (s == null) {
            return null;
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", s.name());
        o.put("count", s.count());
        putNumber(o, "vram_mb", s.vramMb());
        putNumber(o, "vram_used_mb", s.usedMb());
        return o;
    }

    private static void putNumber(ObjectNode o, String key, @Nullable Long v) {
        if (v == null) {
            o.putNull(key);
        } else {
            o.put(key, v);
        }
    }
}
