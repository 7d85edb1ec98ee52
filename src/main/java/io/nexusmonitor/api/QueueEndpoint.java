package io.nexusmonitor.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexusmonitor.control.BackendControl;
import io.nexusmonitor.json.BackendJson;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.routing.RequestQueue;
import io.nexusmonitor.routing.RouteStats;
import java.util.Map;
import java.util.Objects;

/**
 * {@code GET /api/queue}: the gateway's queue per model (waiting now, the oldest wait, and since
 * start: dispatched after waiting, timed out, refused as full, left by their clients; {@code
 * waking}: of those waiting, how many wait for an asleep box to wake, {@code asleep}: answered 503
 * because it did not) and the
 * occupancy it schedules by, per backend: requests in flight through the gateway (in total and
 * per model), capacity with its source, and the learned figures (warm time to first token, model
 * load time, service time; null until measured).
 */
final class QueueEndpoint implements Endpoint {
    private final BackendControl control;
    private final RequestQueue queue;
    private final RouteStats stats;

    QueueEndpoint(BackendControl control, RequestQueue queue, RouteStats stats) {
        this.control = control;
        this.queue = queue;
        this.stats = stats;
    }

    @Override
    public void handle(Exchange exchange) {
        ObjectNode o = BackendJson.MAPPER.createObjectNode();
        o.put("waiting", queue.waiting());
        ArrayNode models = o.putArray("models");
        for (RequestQueue.ModelQueue q : queue.snapshot()) {
            ObjectNode m = models.addObject();
            m.put("model", q.model());
            m.put("depth", q.depth());
            m.put("oldest_wait_seconds", Math.round(q.oldestWaitSeconds() * 1000) / 1000.0);
            m.put("dispatched", q.dispatchedAfterWaiting());
            m.put("timed_out", q.timedOut());
            m.put("rejected", q.rejected());
            m.put("left", q.left());
            m.put("waking", q.waking());
            m.put("asleep", q.asleep());
        }
        ArrayNode backends = o.putArray("backends");
        for (Backend b : control.registry().all()) {
            ObjectNode j = backends.addObject();
            j.put("id", b.id());
            j.put("name", b.name());
            RouteStats.BackendFigures f = stats.backend(b.id());
            j.put("in_flight", f.inFlight());
            if (b.capacity() == null) {
                j.putNull("capacity");
                j.putNull("capacity_source");
            } else {
                j.put("capacity", b.capacity());
                j.put(
                        "capacity_source",
                        Objects.requireNonNull(b.settings().capacitySource()).wire()); // set with the capacity
            }
            ObjectNode per = j.putObject("in_flight_by_model");
            for (Map.Entry<String, Integer> e : stats.inFlightByModel(b.id()).entrySet()) {
                per.put(e.getKey(), e.getValue());
            }
            seconds(j, "warm_ttft_seconds", f.warmTtftMs());
            seconds(j, "cold_start_seconds", f.coldStartMs());
            seconds(j, "service_seconds", f.serviceMs());
        }
        exchange.json(200, o);
    }

    private static void seconds(ObjectNode j, String key, double ms) {
        if (Double.isNaN(ms)) {
            j.putNull(key);
        } else {
            j.put(key, Math.round(ms) / 1000.0);
        }
    }
}
