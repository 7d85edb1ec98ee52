package io.nexusmonitor.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexusmonitor.control.BackendControl;
import io.nexusmonitor.json.BackendJson;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.stats.Heartbeats;
import io.nexusmonitor.stats.RequestStats;
import io.nexusmonitor.stats.Summary;
import io.nexusmonitor.stats.Telemetry;
import io.nexusmonitor.stats.Window;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/stats?window=1m|15m|1h|24h} (default {@code 1h}): the gateway's request figures
 * over the window for all requests, per backend, per model and per backend × model, the shape the
 * README's "Telemetry" shows; and the pieces {@code GET /api/backends/{id}} and the {@code stats}
 * event reuse.
 */
final class StatsEndpoint implements Endpoint {
    private final BackendControl control;
    private final Telemetry telemetry;

    StatsEndpoint(BackendControl control, Telemetry telemetry) {
        this.control = control;
        this.telemetry = telemetry;
    }

    @Override
    public void handle(Exchange exchange) {
        Window window = window(exchange.request());
        exchange.json(200, statsJson(window, true));
    }

    /** The {@code window} query parameter; 400 with the choices for anything else. */
    static Window window(Request request) {
        String raw;
        try {
            Fields query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
            raw = query.getValue("window");
        } catch (RuntimeException e) {
            throw ApiError.badRequest("invalid_query", "the query string cannot be read")
                    .asException();
        }
        if (raw == null) {
            return Window.H1;
        }
        Window w = Window.parse(raw);
        if (w == null) {
            throw ApiError.badRequest(
                            "invalid_window",
                            "window must be one of 1m, 15m, 1h, 24h; got '"
                                    + io.nexusmonitor.registry.LogText.of(
                                            raw.length() > 20 ? raw.substring(0, 20) + "..." : raw)
                                    + "'")
                    .asException();
        }
        return w;
    }

    /** The whole answer; {@code pairs} false leaves out the backend × model list (the SSE event). */
    ObjectNode statsJson(Window window, boolean pairs) {
        RequestStats rs = telemetry.requests();
        ObjectNode o = BackendJson.MAPPER.createObjectNode();
        o.put("window", window.wire());
        o.put("generated_at", Instant.ofEpochMilli(rs.now()).toString());
        o.set("total", summaryJson(rs.summary(window)));
        List<RequestStats.Pair> all = rs.pairs();
        Map<String, String> names = new LinkedHashMap<>();
        TreeSet<String> models = new TreeSet<>();
        for (RequestStats.Pair p : all) {
            names.putIfAbsent(p.key().backendUrl(), p.backendName());
            models.add(p.key().model());
        }
        ArrayNode backends = o.putArray("backends");
        for (Map.Entry<String, String> e : names.entrySet()) {
            Summary s = rs.backend(window, e.getKey());
            if (s.requests() == 0) {
                continue;
            }
            ObjectNode b = backendRef(e.getKey(), e.getValue());
            b.setAll(summaryJson(s));
            backends.add(b);
        }
        ArrayNode byModel = o.putArray("models");
        for (String m : models) {
            Summary s = rs.model(window, m);
            if (s.requests() == 0) {
                continue;
            }
            ObjectNode n = byModel.addObject();
            n.put("model", m);
            n.setAll(summaryJson(s));
        }
        if (pairs) {
            ArrayNode byPair = o.putArray("pairs");
            for (RequestStats.Pair p : all) {
                Summary s = rs.pair(window, p.key().backendUrl(), p.key().model());
                if (s.requests() == 0) {
                    continue;
                }
                ObjectNode n = backendRef(p.key().backendUrl(), p.backendName());
                n.put("model", p.key().model());
                n.setAll(summaryJson(s));
                byPair.add(n);
            }
        }
        return o;
    }

    /** A backend by URL: its current id and name from the registry where it is still there. */
    private ObjectNode backendRef(String url, @Nullable String storedName) {
        ObjectNode b = BackendJson.MAPPER.createObjectNode();
        Backend live = control.registry().findByUrl(url).orElse(null);
        if (live != null) {
            b.put("backend_id", live.id());
        } else {
            b.putNull("backend_id");
        }
        b.put("backend", live != null ? live.name() : storedName);
        b.put("url", url);
        return b;
    }

    /** The figures of one backend for {@code GET /api/backends/{id}}: each window, and the last checks. */
    ObjectNode backendStats(Backend b) {
        RequestStats rs = telemetry.requests();
        ObjectNode o = BackendJson.MAPPER.createObjectNode();
        ObjectNode windows = o.putObject("windows");
        for (Window w : Window.values()) {
            windows.set(w.wire(), summaryJson(rs.backend(w, b.url())));
        }
        ArrayNode checks = o.putArray("checks");
        for (Heartbeats.Beat beat : telemetry.heartbeats().of(b.id(), Heartbeats.KEEP)) {
            ObjectNode c = checks.addObject();
            c.put("at", Instant.ofEpochMilli(beat.atMillis()).toString());
            c.put("result", beat.kind().wire());
            number(c, "latency_ms", beat.latencyMs());
        }
        return o;
    }

    static ObjectNode summaryJson(Summary s) {
        ObjectNode o = BackendJson.MAPPER.createObjectNode();
        o.put("requests", s.requests());
        o.put("errors", s.errors());
        o.put("client_errors", s.clientErrors());
        o.put("cancelled", s.cancelled());
        o.put("error_rate", Math.round(s.errorRate() * 10000) / 10000.0);
        o.put("tokens_in", s.promptTokens());
        o.put("tokens_out", s.completionTokens());
        o.put("estimated", s.estimated());
        ObjectNode ttft = o.putObject("ttft_ms");
        number(ttft, "p50", s.ttftP50());
        number(ttft, "p95", s.ttftP95());
        number(ttft, "p99", s.ttftP99());
        ObjectNode d = o.putObject("duration_ms");
        number(d, "p50", s.durationP50());
        number(d, "p95", s.durationP95());
        number(d, "p99", s.durationP99());
        number(o, "tokens_per_second", s.tokensPerSecond());
        return o;
    }

    private static void number(ObjectNode o, String name, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            o.putNull(name);
        } else {
            o.put(name, Math.round(v * 100) / 100.0);
        }
    }
}
