package io.nexusmonitor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.nexusmonitor.stats.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nexus-monitor stats [--window 1h] [--json]}: a running instance's {@code GET /api/stats} as a table. */
@Command(
        name = "stats",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Show a running instance's request figures per backend x model: requests, errors, tokens, "
                + "time to first token, tokens/s (a table; --json for the API's JSON).")
final class StatsCommand implements Callable<Integer> {
    private static final String[] HEADER = {
        "BACKEND", "MODEL", "REQUESTS", "ERRORS", "TOKENS IN", "TOKENS OUT", "TTFT P50", "TTFT P95", "TOKENS/S"
    };

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ApiOptions api;

    @Option(
            names = "--window",
            paramLabel = "W",
            defaultValue = "1h",
            description = "1m, 15m, 1h or 24h (default: ${DEFAULT-VALUE}).")
    String window;

    @Option(names = "--json", description = "Print the API's JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() {
        Window w = Window.parse(window);
        if (w == null) {
            spec.commandLine()
                    .getErr()
                    .println("nexus-monitor: --window must be one of 1m, 15m, 1h, 24h; got '" + window + "'");
            return ExitCodes.USAGE;
        }
        return BackendsCommand.run(spec, () -> {
            JsonNode stats = api.client().get("/api/stats?window=" + w.wire());
            return json ? BackendsCommand.pretty(stats) : render(stats);
        });
    }

    static String render(JsonNode stats) {
        String window = stats.path("window").asText();
        JsonNode pairs = stats.path("pairs");
        if (!pairs.isArray() || pairs.isEmpty()) {
            return "no requests through the gateway in the last " + window + "\n";
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        boolean estimated = false;
        for (JsonNode p : pairs) {
            rows.add(row(p.path("backend").asText(), p.path("model").asText(), p));
            estimated |= p.path("estimated").asLong() > 0;
        }
        rows.add(row("all", "", stats.path("total")));
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
                String cell = i >= 2 ? padLeft(r[i], width[i]) : pad(r[i], width[i]);
                line.append(cell).append(i == r.length - 1 ? "" : "  ");
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        out.append("last ").append(window).append("; errors = 5xx and timeouts");
        if (estimated) {
            out.append("; ~ = tokens counted from stream chunks (the backend sent no usage)");
        }
        return out.append('\n').toString();
    }

    private static String[] row(String backend, String model, JsonNode s) {
        long errors = s.path("errors").asLong();
        String errorText = errors == 0
                ? "0"
                : errors
                        + String.format(
                                Locale.ROOT,
                                " (%.1f%%)",
                                100 * s.path("error_rate").asDouble());
        return new String[] {
            backend,
            model,
            s.path("requests").asText(),
            errorText,
            s.path("tokens_in").asText(),
            (s.path("estimated").asLong() > 0 ? "~" : "") + s.path("tokens_out").asText(),
            ms(s.path("ttft_ms").path("p50")),
            ms(s.path("ttft_ms").path("p95")),
            rate(s.path("tokens_per_second"))
        };
    }

    static String ms(JsonNode v) {
        if (!v.isNumber()) {
            return "-";
        }
        double ms = v.asDouble();
        return ms >= 10_000
                ? String.format(Locale.ROOT, "%.1f s", ms / 1000)
                : ms >= 10 ? Math.round(ms) + " ms" : String.format(Locale.ROOT, "%.1f ms", ms);
    }

    private static String rate(JsonNode v) {
        return v.isNumber() ? String.format(Locale.ROOT, "%.1f", v.asDouble()) : "-";
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }

    private static String padLeft(String s, int w) {
        return s.length() >= w ? s : " ".repeat(w - s.length()) + s;
    }
}
