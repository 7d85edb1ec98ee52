package io.nexusmonitor.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.ModelInfo;
import io.nexusmonitor.registry.UrlNormalizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What crosses the wire for one backend: the value under {@code <prefix>backends/<site>/<id>}.
 * URL, type, name, models with residency, status, capacity, in flight, priority, pin and site;
 * never a credential (the backend's {@code api_key} stays on the monitor that has it), never a
 * request or a prompt.
 */
record PublishedBackend(
        String site,
        String url,
        String name,
        BackendType type,
        BackendStatus status,
        List<ModelInfo> models,
        @Nullable Integer capacity,
        long inFlight,
        int priority,
        boolean pinned) {

    /** Most models a record may carry; more are cut (a registry's own cap applies on import too). */
    static final int MAX_MODELS = 4096;

    static PublishedBackend of(Backend b, String site) {
        return new PublishedBackend(
                site,
                b.url(),
                b.name(),
                b.type(),
                b.status(),
                b.models(),
                b.capacity(),
                b.pendingRequests(),
                b.priority(),
                b.pinned());
    }

    String toJson() {
        ObjectNode o = EtcdGateway.MAPPER.createObjectNode();
        o.put("v", 1);
        o.put("site", site);
        o.put("url", url);
        o.put("name", name);
        o.put("type", type.wire());
        o.put("status", status.wire());
        ArrayNode ms = o.putArray("models");
        for (ModelInfo m : models) {
            ObjectNode mo = ms.addObject().put("id", m.id());
            if (m.loaded() != null) {
                mo.put("loaded", m.loaded());
            }
            if (m.contextLength() != null) {
                mo.put("context_length", m.contextLength());
            }
            if (!m.capabilities().isEmpty()) {
                ArrayNode caps = mo.putArray("capabilities");
                m.capabilities().forEach(caps::add);
            }
        }
        if (capacity != null) {
            o.put("capacity", capacity);
        }
        o.put("in_flight", inFlight);
        o.put("priority", priority);
        o.put("pinned", pinned);
        return o.toString();
    }

    /** The record in a value, or empty when it is not one (another program's key, a newer format, garbage). */
    static Optional<PublishedBackend> parse(String json) {
        JsonNode o;
        try {
            o = EtcdGateway.MAPPER.readTree(json);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (o == null
                || !o.isObject()
                || o.path("v").asInt() != 1
                || !o.path("url").isTextual()) {
            return Optional.empty();
        }
        String url;
        try {
            url = UrlNormalizer.normalize(o.get("url").asText());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        BackendStatus status;
        try {
            status = BackendStatus.fromWire(o.path("status").asText("unknown"));
        } catch (IllegalArgumentException e) {
            status = BackendStatus.UNKNOWN;
        }
        List<ModelInfo> models = new ArrayList<>();
        for (JsonNode m : o.path("models")) {
            if (models.size() >= MAX_MODELS) {
                break;
            }
            if (!m.path("id").isTextual() || m.get("id").asText().isEmpty()) {
                continue;
            }
            List<String> caps = new ArrayList<>();
            m.path("capabilities").forEach(c -> caps.add(c.asText()));
            models.add(new ModelInfo(
                    m.get("id").asText(),
                    m.path("context_length").isInt() ? m.get("context_length").asInt() : null,
                    m.path("loaded").isBoolean() ? m.get("loaded").asBoolean() : null,
                    caps));
        }
        String name = o.path("name").asText("").trim();
        return Optional.of(new PublishedBackend(
                o.path("site").asText(""),
                url,
                name.isEmpty() ? url : name,
                BackendType.parse(o.path("type").asText("generic").toLowerCase(Locale.ROOT))
                        .orElse(BackendType.GENERIC),
                status,
                models,
                o.path("capacity").isInt() && o.get("capacity").asInt() > 0
                        ? o.get("capacity").asInt()
                        : null,
                Math.max(0, o.path("in_flight").asLong()),
                Math.max(0, o.path("priority").asInt(Backend.DEFAULT_PRIORITY)),
                o.path("pinned").asBoolean(false)));
    }
}
