package io.nexusmonitor.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexusmonitor.control.BackendControl;
import io.nexusmonitor.control.ControlException;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendJson;
import java.time.Instant;

/** {@code /api/backends}: the registry as product.md §5 shows it. */
final class BackendEndpoints {
    private final BackendControl control;

    BackendEndpoints(BackendControl control) {
        this.control = control;
    }

    /** {@code GET /api/backends}: every backend, oldest first. */
    void list(Exchange exchange) {
        exchange.json(200, listJson(control));
    }

    static ObjectNode listJson(BackendControl control) {
        Instant now = control.registry().clock().instant();
        ObjectNode o = BackendJson.MAPPER.createObjectNode();
        ArrayNode arr = o.putArray("backends");
        for (Backend b : control.registry().all()) {
            arr.add(BackendJson.toJson(b, now));
        }
        return o;
    }

    /** {@code GET /api/backends/{id}}: one backend with its history. */
    void get(Exchange exchange) {
        String id = exchange.param("id");
        Backend b = control.registry().get(id).orElseThrow(() -> ControlException.notFound(id));
        exchange.json(200, BackendJson.toJsonWithHistory(b, control.registry().clock().instant()));
    }
}
