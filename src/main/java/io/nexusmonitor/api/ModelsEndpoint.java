package io.nexusmonitor.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexusmonitor.control.BackendControl;
import io.nexusmonitor.json.BackendJson;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.ModelInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /v1/models}: OpenAI's model list, one entry per model id that some routable
 * (healthy, approved) backend serves; {@code backends} (an extra field SDKs ignore) says which.
 */
final class ModelsEndpoint implements Endpoint {
    private final BackendControl control;

    ModelsEndpoint(BackendControl control) {
        this.control = control;
    }

    @Override
    public void handle(Exchange exchange) {
        Map<String, List<String>> byModel = new TreeMap<>();
        for (Backend b : control.registry().all()) {
            if (!b.routable()) {
                continue;
            }
            for (ModelInfo m : b.models()) {
                byModel.computeIfAbsent(m.id(), k -> new ArrayList<>()).add(b.name());
            }
        }
        long created = control.status().startedAt() == null
                ? 0
                : control.status().startedAt().getEpochSecond();
        ObjectNode o = BackendJson.MAPPER.createObjectNode();
        o.put("object", "list");
        ArrayNode data = o.putArray("data");
        for (Map.Entry<String, List<String>> e : byModel.entrySet()) {
            ObjectNode m = data.addObject();
            m.put("id", e.getKey());
            m.put("object", "model");
            m.put("created", created);
            m.put("owned_by", "nexus-monitor");
            ArrayNode backends = m.putArray("backends");
            e.getValue().forEach(backends::add);
        }
        exchange.json(200, o);
    }
}
