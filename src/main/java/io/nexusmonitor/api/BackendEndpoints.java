package io.nexusmonitor.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexusmonitor.control.BackendControl;
import io.nexusmonitor.control.ControlException;
import io.nexusmonitor.json.BackendJson;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSettings;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.Credential;
import io.nexusmonitor.registry.WakeOnLan;
import io.nexusmonitor.registry.WakeTargets;
import java.time.Instant;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** {@code /api/backends}: the registry as the README's 'HTTP API' shows it, and the changes a user may make. */
final class BackendEndpoints {
    private static final int MAX_BODY = 64 * 1024;
    private static final Set<String> ADD_FIELDS =
            Set.of("url", "name", "type", "priority", "max_concurrent", "weight", "api_key", "forward_client_auth");

    private final BackendControl control;

    /** The token and content-type rules for changes are the front door's ({@link ApiHandler}). */
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
        exchange.json(200, BackendJson.toJsonWithHistory(b, now()));
    }

    /** {@code GET /api/backends/{id}} with the backend's telemetry under {@code stats}. */
    void get(Exchange exchange, java.util.function.Function<Backend, JsonNode> stats) {
        String id = exchange.param("id");
        Backend b = control.registry().get(id).orElseThrow(() -> ControlException.notFound(id));
        ObjectNode o = BackendJson.toJsonWithHistory(b, now());
        o.set("stats", stats.apply(b));
        exchange.json(200, o);
    }

    /**
     * {@code POST /api/backends}: {@code {"url", "name"?, "type"?, "priority"?, "max_concurrent"?, "weight"?,
     * "api_key"?, "forward_client_auth"?}} → 201 with the new backend.
     */
    void add(Exchange exchange) {
        exchange.readJson(MAX_BODY, body -> ex -> {
            for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!ADD_FIELDS.contains(f)) {
                    throw ApiError.badRequest(
                                    "invalid_backend",
                                    "unknown field '" + f
                                            + "'; expected url, name, type, priority, max_concurrent, weight, api_key, "
                                            + "forward_client_auth")
                            .asException();
                }
            }
            String url = Objects.requireNonNull(text(body, "url", true)); // required: text() refuses a missing one
            String name = text(body, "name", false);
            String typeText = text(body, "type", false);
            BackendType type = null;
            if (typeText != null) {
                type = BackendType.parse(typeText)
                        .orElseThrow(() -> ApiError.badRequest(
                                        "invalid_backend",
                                        "'type' must be one of " + BackendType.choices() + ", got '" + typeText + "'")
                                .asException());
            }
            Integer priority = null;
            JsonNode p = body.get("priority");
            if (p != null && !p.isNull()) {
                if (!p.canConvertToInt() || !p.isIntegralNumber()) {
                    throw ApiError.badRequest(
                                    "invalid_backend", "'priority' must be a whole number (lower is preferred)")
                            .asException();
                }
                priority = p.intValue();
            }
            Backend b = control.addManual(url, name, type, priority, settings(body));
            ex.response().getHeaders().put("Location", "/api/backends/" + b.id());
            ex.json(201, BackendJson.toJson(b, now()));
        });
    }

    /**
     * {@code max_concurrent} (capacity, source config), {@code weight}, {@code api_key},
     * {@code forward_client_auth}. No error message repeats the key.
     */
    private static BackendSettings settings(ObjectNode body) {
        BackendSettings s = BackendSettings.DEFAULTS;
        Integer max =
                whole(body, "max_concurrent", 1, BackendSettings.MAX_CAPACITY, "requests the backend runs at once");
        if (max != null) {
            s = s.withCapacity(max, BackendSettings.CapacitySource.CONFIG);
        }
        Integer weight = whole(body, "weight", 1, BackendSettings.MAX_WEIGHT, "its share of traffic among equals");
        if (weight != null) {
            s = s.withWeight(weight);
        }
        JsonNode fwd = body.get("forward_client_auth");
        boolean forward = false;
        if (fwd != null && !fwd.isNull()) {
            if (!fwd.isBoolean()) {
                throw ApiError.badRequest("invalid_backend", "'forward_client_auth' must be true or false")
                        .asException();
            }
            forward = fwd.booleanValue();
        }
        JsonNode k = body.get("api_key");
        String key = null;
        if (k != null && !k.isNull()) {
            if (!k.isTextual()) {
                throw ApiError.badRequest("invalid_backend", "'api_key' must be a string")
                        .asException();
            }
            String why = Credential.problem(k.asText());
            if (why != null) {
                throw ApiError.badRequest("invalid_backend", "'api_key': " + why)
                        .asException();
            }
            key = k.asText();
        }
        return key != null || forward ? s.withCredential(new Credential(key, null, forward)) : s;
    }

    private static @Nullable Integer whole(ObjectNode body, String field, int min, int max, String what) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < min || n.intValue() > max) {
            throw ApiError.badRequest(
                            "invalid_backend",
                            "'" + field + "' must be a whole number from " + min + " to " + max + " (" + what + ")")
                    .asException();
        }
        return n.intValue();
    }

    private static @Nullable String text(ObjectNode body, String field, boolean required) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw ApiError.badRequest(
                                "invalid_backend",
                                "'" + field + "' is required, e.g. " + "{\"url\": \"http://192.168.1.10:11434\"}")
                        .asException();
            }
            return null;
        }
        if (!n.isTextual()) {
            throw ApiError.badRequest("invalid_backend", "'" + field + "' must be a string")
                    .asException();
        }
        return n.asText();
    }

    /** {@code DELETE /api/backends/{id}}: removes a manual or discovered backend; answers it as it was. */
    void remove(Exchange exchange) {
        Backend b = control.remove(exchange.param("id"));
        exchange.json(200, BackendJson.toJson(b, now()));
    }

    /**
     * {@code POST /api/backends/{id}/pin}, with an optional body {@code {"mac"?, "wake_on_lan"?,
     * "wake_broadcast"?, "wake_timeout_seconds"?}} that sets its Wake-on-LAN settings too.
     */
    void pin(Exchange exchange) {
        if (exchange.request().getHeaders().getLongField(org.eclipse.jetty.http.HttpHeader.CONTENT_LENGTH) <= 0) {
            exchange.json(200, BackendJson.toJson(control.pin(exchange.param("id")), now()));
            return;
        }
        exchange.readJson(MAX_BODY, body -> ex -> {
            for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!WAKE_FIELDS.contains(f)) {
                    throw ApiError.badRequest(
                                    "invalid_backend",
                                    "unknown field '" + f
                                            + "'; expected mac, wake_on_lan, wake_broadcast, wake_timeout_seconds")
                            .asException();
                }
            }
            String id = ex.param("id");
            Backend current = control.registry().get(id).orElseThrow(() -> ControlException.notFound(id));
            WakeOnLan w = wakeSettings(body, current.settings().wake());
            control.pin(id);
            ex.json(200, BackendJson.toJson(control.setWake(id, w), now()));
        });
    }

    private static final java.util.Set<String> WAKE_FIELDS =
            java.util.Set.of("mac", "wake_on_lan", "wake_broadcast", "wake_timeout_seconds");

    /** The body's Wake-on-LAN fields over what the backend had. */
    private static WakeOnLan wakeSettings(ObjectNode body, @Nullable WakeOnLan was) {
        String mac = text(body, "mac", false);
        if (mac != null && WakeOnLan.normalizeMac(mac) == null) {
            throw ApiError.badRequest("invalid_backend", "'mac': " + WakeOnLan.macProblem())
                    .asException();
        }
        String broadcast = text(body, "wake_broadcast", false);
        if (broadcast != null) {
            String why = WakeTargets.problem(broadcast);
            if (why != null) {
                throw ApiError.badRequest("invalid_backend", "'wake_broadcast': " + why)
                        .asException();
            }
        }
        JsonNode on = body.get("wake_on_lan");
        if (on != null && !on.isNull() && !on.isBoolean()) {
            throw ApiError.badRequest("invalid_backend", "'wake_on_lan' must be true or false")
                    .asException();
        }
        Integer timeout = whole(
                body,
                "wake_timeout_seconds",
                1,
                WakeOnLan.MAX_TIMEOUT_SECONDS,
                "seconds a request waits for the box to wake");
        return new WakeOnLan(
                mac != null ? mac : was == null ? null : was.mac(),
                (on != null && !on.isNull()) ? on.booleanValue() : (mac != null || (was != null && was.enabled())),
                broadcast != null ? broadcast.strip() : was == null ? null : was.broadcast(),
                timeout != null ? timeout : was == null ? WakeOnLan.DEFAULT_TIMEOUT_SECONDS : was.timeoutSeconds());
    }

    /**
     * {@code POST /api/backends/{id}/wake}: sends the magic packet and answers 202 at once with the
     * backend; it shows {@code healthy} once the box answers. 409 when no MAC is known.
     */
    void wake(Exchange exchange) {
        String id = exchange.param("id");
        var unused = control.wake(id); // answered at once: the backend shows healthy once the box answers
        Backend b = control.registry().get(id).orElseThrow(() -> ControlException.notFound(id));
        exchange.json(202, BackendJson.toJson(b, now()));
    }

    /**
     * {@code POST /api/backends/{id}/check}: health-checks the backend now and answers 202 at once with
     * it as it is; the check's outcome arrives as a change ({@code /api/events}).
     */
    void check(Exchange exchange) {
        String id = exchange.param("id");
        control.checkNow(id);
        Backend b = control.registry().get(id).orElseThrow(() -> ControlException.notFound(id));
        exchange.json(202, BackendJson.toJson(b, now()));
    }

    /** {@code POST /api/backends/{id}/unpin}: 409 for a backend from the config file. */
    void unpin(Exchange exchange) {
        exchange.json(200, BackendJson.toJson(control.unpin(exchange.param("id")), now()));
    }

    private Instant now() {
        return control.registry().clock().instant();
    }
}
