package io.nexusmonitor.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexusmonitor.gpu.GpuJson;
import io.nexusmonitor.gpu.GpuSummary;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSettings;
import io.nexusmonitor.registry.HistoryEntry;
import io.nexusmonitor.registry.MdnsInfo;
import io.nexusmonitor.registry.ModelInfo;
import io.nexusmonitor.registry.WakeOnLan;
import io.nexusmonitor.registry.WakeTargets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The JSON view of a backend, exactly as the README's 'HTTP API' shows it: snake_case fields, ISO-8601
 * times, {@code grace} with the removal time and whole seconds left, or null.
 */
public final class BackendJson {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private BackendJson() {}

    /** The backend as {@code GET /api/backends} lists it (no history). */
    public static ObjectNode toJson(Backend b, Instant now) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("id", b.id());
        o.put("name", b.name());
        o.put("url", b.url());
        o.put("type", b.type().wire());
        o.put("status", b.status().wire());
        o.put("source", b.source().wire());
        o.put("site", b.site()); // [federation]: the site that publishes it; null for this monitor's own
        o.put("pinned", b.pinned());
        o.put("approved", b.approved());
        o.put("priority", b.priority());
        ArrayNode models = o.putArray("models");
        for (ModelInfo m : b.models()) {
            ObjectNode mo = models.addObject();
            mo.put("id", m.id());
            if (m.contextLength() == null) {
                mo.putNull("context_length");
            } else {
                mo.put("context_length", m.contextLength());
            }
            if (m.loaded() == null) {
                mo.putNull("loaded");
            } else {
                mo.put("loaded", m.loaded());
            }
            mo.put("size_bytes", m.sizeBytes());
            ArrayNode caps = mo.putArray("capabilities");
            m.capabilities().forEach(caps::add);
        }
        o.put("pending_requests", b.pendingRequests());
        o.put("total_requests", b.totalRequests());
        putSettings(o, b.settings());
        putWake(o, b);
        if (b.avgLatencyMs() == null) {
            o.putNull("avg_latency_ms");
        } else {
            o.put("avg_latency_ms", Math.round(b.avgLatencyMs() * 10.0) / 10.0);
        }
        putTime(o, "last_health_check", b.lastHealthCheck());
        if (b.lastError() == null) {
            o.putNull("last_error");
        } else {
            o.put("last_error", b.lastError());
        }
        if (b.configLocation() == null) {
            o.putNull("config_location");
        } else {
            o.put("config_location", b.configLocation());
        }
        putTime(o, "added_at", b.addedAt());
        MdnsInfo md = b.mdns();
        if (md == null) {
            o.putNull("mdns");
        } else {
            ObjectNode m = putMdnsAnnouncement(o.putObject("mdns"), md);
            putTime(m, "first_seen", md.firstSeen());
            putTime(m, "last_seen", md.lastSeen());
        }
        o.set("gpus", GpuJson.summary(GpuSummary.of(b)));
        o.set("gpu_status", GpuJson.report(b.gpuReport()));
        if (b.graceDeadline() == null) {
            o.putNull("grace");
        } else {
            ObjectNode g = o.putObject("grace");
            putTime(g, "removal_at", b.graceDeadline());
            g.put("seconds_left", secondsLeft(b.graceDeadline(), now));
        }
        return o;
    }

    /**
     * Capacity with its source, weight, the server's own busy count and the credential as
     * {@code "api_key": "set"} or null: the key itself is never written here (nor anywhere a user
     * or a log can read it).
     */
    private static void putSettings(ObjectNode o, BackendSettings s) {
        if (s.capacity() == null) {
            o.putNull("capacity");
            o.putNull("capacity_source");
        } else {
            o.put("capacity", s.capacity());
            o.put("capacity_source", Objects.requireNonNull(s.capacitySource()).wire()); // set with the capacity
        }
        if (s.serverBusy() == null) {
            o.putNull("server_busy");
        } else {
            o.put("server_busy", s.serverBusy());
        }
        o.put("weight", s.weight());
        if (s.hasKey()) {
            o.put("api_key", "set");
        } else {
            o.putNull("api_key");
        }
        o.put("forward_client_auth", s.forwardsClientAuth());
    }

    /** {@code "wake": {"mac", "wake_on_lan", "wake_broadcast", "wake_timeout_seconds", "wakeable"}}: the MAC the user gave or TXT {@code mac}. */
    private static void putWake(ObjectNode o, Backend b) {
        WakeOnLan w = b.settings().wake();
        ObjectNode wo = o.putObject("wake");
        wo.put("mac", WakeOnLan.effectiveMac(b));
        wo.put("wake_on_lan", w != null && w.enabled());
        WakeTargets.Target t = WakeTargets.of(b);
        wo.put("wake_broadcast", t.host() + ":" + t.port());
        wo.put("wake_timeout_seconds", WakeOnLan.timeoutSeconds(b));
        wo.put("wakeable", WakeOnLan.wakeable(b));
    }

    /** The backend with its history, as {@code GET /api/backends/{id}} shows it. */
    public static ObjectNode toJsonWithHistory(Backend b, Instant now) {
        ObjectNode o = toJson(b, now);
        ArrayNode h = o.putArray("history");
        for (HistoryEntry e : b.history()) {
            ObjectNode he = h.addObject();
            putTime(he, "at", e.at());
            he.put("status", e.status().wire());
            he.put("cause", e.cause());
        }
        return o;
    }

    /**
     * Puts what the mDNS announcement said (instance, service type, host, addresses, TXT) into
     * {@code m} and returns it; the API and {@code pins.json} add the times each in their own form.
     */
    public static ObjectNode putMdnsAnnouncement(ObjectNode m, MdnsInfo md) {
        m.put("instance", md.instance());
        m.put("service_type", md.serviceType());
        m.put("host", md.host());
        ArrayNode addrs = m.putArray("addresses");
        md.addresses().forEach(addrs::add);
        ObjectNode txt = m.putObject("txt");
        md.txt().forEach(txt::put);
        return m;
    }

    /** Whole seconds until the deadline, rounded up, never negative: 0:42 stays 0:42 for a whole second. */
    public static long secondsLeft(Instant deadline, Instant now) {
        long ms = Duration.between(now, deadline).toMillis();
        return ms <= 0 ? 0 : (ms + 999) / 1000;
    }

    private static void putTime(ObjectNode o, String key, @Nullable Instant t) {
        if (t == null) {
            o.putNull(key);
        } else {
            o.put(key, t.truncatedTo(ChronoUnit.MILLIS).toString());
        }
    }
}
