package io.nexusmonitor.gpu;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexusmonitor.registry.GpuReading;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code announce}'s status endpoint, {@code GET /status}: {@code {"gpus":[…],"read_at":"…"}},
 * written by the announcer and read by the monitor (the one place both sides spell it). What a
 * host on the LAN sends is checked before use: a field of the wrong type is unknown (null), never
 * a guess, and a body that is not that shape is refused with a sentence.
 */
public final class GpuStatusJson {
    /** The endpoint's only path. */
    public static final String PATH = "/status";
    /** The most bytes of an answer the monitor reads: 1024 GPUs of about 200 bytes each, and room. */
    public static final int MAX_BYTES = 256 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A status body the monitor cannot use; the message is a sentence for the history. */
    public static final class BadStatus extends Exception {
        private static final long serialVersionUID = 1L;

        BadStatus(String message) {
            super(message);
        }
    }

    /** What the body says: the GPUs and when the host read them. */
    public record Status(List<GpuReading> gpus, Instant readAt) {
        public Status {
            gpus = List.copyOf(gpus);
        }
    }

    private GpuStatusJson() {}

    /** The body for these readings. */
    public static String write(Status s) {
        ObjectNode o = JSON.createObjectNode();
        o.set("gpus", GpuJson.readings(s.gpus()));
        o.put("read_at", s.readAt().truncatedTo(ChronoUnit.MILLIS).toString());
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    /**
     * Reads a body.
     *
     * @throws BadStatus when it is not JSON, not an object with a {@code gpus} array and a {@code
     *                   read_at} time, or a GPU has no index or name
     */
    public static Status parse(byte[] body) throws BadStatus {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new BadStatus("the status endpoint's answer is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new BadStatus("the status endpoint's answer is not a JSON object");
        }
        JsonNode gpus = root.get("gpus");
        if (gpus == null || !gpus.isArray()) {
            throw new BadStatus("the status endpoint's answer has no \"gpus\" array");
        }
        if (gpus.size() > GpuSummary.MAX_GPUS) {
            throw new BadStatus("the status endpoint lists " + gpus.size() + " GPUs, more than " + GpuSummary.MAX_GPUS);
        }
        JsonNode at = root.get("read_at");
        Instant readAt;
        try {
            readAt = Instant.parse(at == null || !at.isTextual() ? "" : at.asText());
        } catch (DateTimeParseException e) {
            throw new BadStatus("the status endpoint's answer has no valid \"read_at\" time");
        }
        List<GpuReading> out = new ArrayList<>(gpus.size());
        for (JsonNode g : gpus) {
            JsonNode index = g.get("index");
            JsonNode name = g.get("name");
            if (!g.isObject()
                    || index == null
                    || !index.canConvertToInt()
                    || !index.isIntegralNumber()
                    || name == null
                    || !name.isTextual()) {
                throw new BadStatus("a GPU in the status endpoint's answer has no \"index\" or \"name\"");
            }
            String clean = name.asText().replaceAll("\\p{Cntrl}", "");
            out.add(new GpuReading(
                    index.asInt(),
                    clean,
                    number(g.get("vram_total_mb"), GpuSummary.MAX_MB),
                    number(g.get("vram_used_mb"), GpuSummary.MAX_MB),
                    percentOrDegrees(g.get("utilization_percent"), 100),
                    percentOrDegrees(g.get("temperature_c"), 200)));
        }
        return new Status(out, readAt);
    }

    private static @Nullable Long number(@Nullable JsonNode n, long max) {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
            return null;
        }
        long v = n.asLong();
        return v < 0 || v > max ? null : v;
    }

    private static @Nullable Integer percentOrDegrees(@Nullable JsonNode n, int max) {
        Long v = number(n, max);
        return v == null ? null : v.intValue();
    }
}
