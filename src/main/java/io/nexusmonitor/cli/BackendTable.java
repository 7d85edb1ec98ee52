package io.nexusmonitor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** {@code backends list} as a table a person reads: one row per backend, columns sized to fit. */
final class BackendTable {
    private static final String[] HEADER = {
        "ID", "NAME", "STATUS", "TYPE", "SOURCE", "URL", "MODELS", "LATENCY", "IN-FLIGHT"
    };

    private BackendTable() {}

    static String render(JsonNode backends) {
        if (backends == null || backends.isEmpty()) {
            return "no backends\n";
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (JsonNode b : backends) {
            rows.add(new String[] {
                b.path("id").asText(),
                b.path("name").asText(),
                status(b),
                b.path("type").asText(),
                b.path("source").asText()
                        + (b.path("site").isTextual() ? " (" + b.path("site").asText() + ")" : "")
                        + (b.path("pinned").asBoolean() ? " *" : ""),
                b.path("url").asText(),
                models(b.path("models")),
                b.path("avg_latency_ms").isNull()
                        ? "-"
                        : Math.round(b.path("avg_latency_ms").asDouble()) + " ms",
                b.path("pending_requests").asText()
            });
        }
        int[] width = new int[HEADER.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i == r.length - 1 ? r[i] : pad(r[i], width[i] + 2));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        out.append(rows.size() - 1).append(" backend(s); * = pinned\n");
        return out.toString();
    }

    /**
     * {@code {"backends": [...]}} with only the backends of this site ({@code site} in the JSON);
     * {@code local} keeps this monitor's own (no site).
     */
    static JsonNode ofSite(JsonNode list, String site) {
        com.fasterxml.jackson.databind.node.ObjectNode out =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        com.fasterxml.jackson.databind.node.ArrayNode kept = out.putArray("backends");
        for (JsonNode b : list.path("backends")) {
            boolean match = site.equals("local")
                    ? !b.path("site").isTextual()
                    : site.equals(b.path("site").asText());
            if (match) {
                kept.add(b);
            }
        }
        return out;
    }

    private static String status(JsonNode b) {
        String s = b.path("status").asText();
        JsonNode grace = b.path("grace");
        if (grace.isObject()) {
            long left = grace.path("seconds_left").asLong();
            s += String.format(" (removed in %d:%02d)", left / 60, left % 60);
        }
        if (!b.path("approved").asBoolean(true)) {
            s += " (awaiting approval)";
        }
        return s;
    }

    private static String models(JsonNode models) {
        if (!models.isArray() || models.isEmpty()) {
            return "-";
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode m : models) {
            ids.add(m.path("id").asText());
        }
        String joined = String.join(",", ids);
        return joined.length() <= 40 ? joined : ids.size() + " models";
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }
}
