package io.nexusmonitor.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexusmonitor.json.BackendJson;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSettings;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.Credential;
import io.nexusmonitor.registry.LogText;
import io.nexusmonitor.registry.MdnsInfo;
import io.nexusmonitor.registry.ModelInfo;
import io.nexusmonitor.registry.UrlNormalizer;
import io.nexusmonitor.registry.WakeOnLan;
import io.nexusmonitor.registry.WakeTargets;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pins.json}: the pinned manual and discovered backends with their last known data, so
 * they come back on the next start. Config backends are not stored (the config file has them).
 */
public final class PinStore {
    private static final Logger log = LoggerFactory.getLogger(PinStore.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final int FORMAT = 1;

    private final StateFile file;

    /** {@code pins.json} may hold backend keys: it is written owner-only (mode 0600). */
    public PinStore(Path stateDir) {
        this(new StateFile(stateDir.resolve("pins.json"), java.time.Clock.systemUTC(), true));
    }

    public PinStore(StateFile file) {
        this.file = file;
    }

    public Path path() {
        return file.path();
    }

    /** True for the backends this store keeps: pinned and not from the config file. */
    public static boolean persists(Backend b) {
        return b.pinned() && b.source() != BackendSource.STATIC;
    }

    /**
     * The stored pins as backend templates: pinned, approved, status unknown, with their last known
     * name, type, priority, models and mDNS data. An unusable entry is skipped with a warning; a file
     * that is not a pin list is moved aside.
     */
    public List<Backend> load(Instant now) {
        Optional<JsonNode> json = file.read();
        if (json.isEmpty()) {
            return List.of();
        }
        JsonNode pins = json.get().get("pins");
        if (pins == null || !pins.isArray()) {
            file.moveAside("no \"pins\" list");
            return List.of();
        }
        List<Backend> out = new ArrayList<>();
        for (JsonNode p : pins) {
            try {
                out.add(fromJson(p, now));
            } catch (IllegalArgumentException | DateTimeParseException e) {
                log.warn(
                        "{}: skipping a pin that cannot be read ({}): {}",
                        file.path(),
                        LogText.of(e.getMessage()),
                        LogText.of(redacted(p)));
            }
        }
        return out;
    }

    /** Writes these backends' pins (only those {@link #persists} keeps), atomically. */
    public void save(Collection<Backend> backends) throws IOException {
        file.write(toJson(backends));
    }

    /** The file content for these backends. */
    public static ObjectNode toJson(Collection<Backend> backends) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        ArrayNode pins = root.putArray("pins");
        for (Backend b : backends) {
            if (persists(b)) {
                pins.add(toJson(b));
            }
        }
        return root;
    }

    private static ObjectNode toJson(Backend b) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("url", b.url());
        o.put("name", b.name());
        o.put("type", b.type().wire());
        o.put("source", b.source().wire());
        o.put("priority", b.priority());
        ArrayNode models = o.putArray("models");
        for (ModelInfo m : b.models()) {
            ObjectNode mo = models.addObject();
            mo.put("id", m.id());
            if (m.contextLength() != null) {
                mo.put("context_length", m.contextLength());
            }
            if (m.sizeBytes() != null) {
                mo.put("size_bytes", m.sizeBytes()); // an asleep box's models keep their size for "room for a model"
            }
            ArrayNode caps = mo.putArray("capabilities");
            m.capabilities().forEach(caps::add);
        }
        BackendSettings s = b.settings();
        if (s.capacity() != null && s.capacitySource() == BackendSettings.CapacitySource.CONFIG) {
            o.put("max_concurrent", s.capacity()); // the user's; TXT, the server and the gateway say theirs again
        }
        o.put("weight", s.weight());
        if (s.hasKey()) {
            o.put(
                    "api_key",
                    Objects.requireNonNull(s.credential())
                            .key()); // the one place a key is written out: this file is 0600
        }
        if (s.forwardsClientAuth()) {
            o.put("forward_client_auth", true);
        }
        WakeOnLan w = s.wake();
        if (w != null) {
            ObjectNode wo = o.putObject("wake");
            wo.put("mac", w.mac());
            wo.put("wake_on_lan", w.enabled());
            wo.put("wake_broadcast", w.broadcast());
            wo.put("wake_timeout_seconds", w.timeoutSeconds());
            if (w.neighbourMac() != null) {
                wo.put("neighbour_mac", w.neighbourMac());
            }
        }
        MdnsInfo md = b.mdns();
        if (md != null) {
            ObjectNode m = BackendJson.putMdnsAnnouncement(o.putObject("mdns"), md);
            if (md.firstSeen() != null) {
                m.put("first_seen", md.firstSeen().toString());
            }
        }
        return o;
    }

    private static Backend fromJson(JsonNode p, Instant now) {
        String url = UrlNormalizer.normalize(text(p, "url"));
        String name = p.path("name").asText("");
        BackendType type = BackendType.parse(p.path("type").asText(null))
                .orElseThrow(() -> new IllegalArgumentException("unknown type " + p.path("type")));
        BackendSource source = "mdns".equals(p.path("source").asText()) ? BackendSource.MDNS : BackendSource.MANUAL;
        int priority = p.path("priority").asInt(Backend.DEFAULT_PRIORITY);
        List<ModelInfo> models = new ArrayList<>();
        for (JsonNode m : p.path("models")) {
            List<String> caps = new ArrayList<>();
            m.path("capabilities").forEach(c -> caps.add(c.asText()));
            Integer ctx =
                    m.hasNonNull("context_length") ? m.get("context_length").asInt() : null;
            Long size = m.path("size_bytes").isIntegralNumber()
                    ? m.get("size_bytes").asLong()
                    : null;
            models.add(new ModelInfo(text(m, "id"), ctx, null, caps, size));
        }
        MdnsInfo mdns = null;
        JsonNode md = p.get("mdns");
        if (md != null && md.isObject()) {
            List<String> addrs = new ArrayList<>();
            md.path("addresses").forEach(a -> addrs.add(a.asText()));
            Map<String, String> txt = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : md.path("txt").properties()) {
                txt.put(e.getKey(), e.getValue().asText());
            }
            Instant first = md.hasNonNull("first_seen")
                    ? Instant.parse(md.get("first_seen").asText())
                    : null;
            mdns = new MdnsInfo(
                    text(md, "instance"),
                    md.path("service_type").asText(null),
                    md.path("host").asText(null),
                    addrs,
                    txt,
                    first,
                    first);
        }
        return Backend.create("", name.isBlank() ? url : name, url, type, source, priority, now)
                .withPinned(true)
                .withApproved(true)
                .withModels(models)
                .withMdns(mdns)
                .withSettings(settings(p));
    }

    /** What the user gave the backend: max_concurrent, weight, key; a bad value skips the pin (with a warning). */
    private static BackendSettings settings(JsonNode p) {
        BackendSettings s = BackendSettings.DEFAULTS;
        if (p.hasNonNull("max_concurrent")) {
            s = s.withCapacity(wholeNumber(p, "max_concurrent"), BackendSettings.CapacitySource.CONFIG);
        }
        if (p.hasNonNull("weight")) {
            s = s.withWeight(wholeNumber(p, "weight"));
        }
        String key = p.hasNonNull("api_key") ? p.get("api_key").asText() : null;
        boolean forward = p.path("forward_client_auth").asBoolean(false);
        if (key != null || forward) {
            s = s.withCredential(new Credential(key, null, forward)); // a bad key: IllegalArgumentException, not echoed
        }
        JsonNode w = p.get("wake");
        if (w != null && w.isObject()) {
            String broadcast =
                    w.hasNonNull("wake_broadcast") ? w.get("wake_broadcast").asText() : null;
            if (broadcast != null && WakeTargets.parse(broadcast) == null) {
                throw new IllegalArgumentException("\"wake_broadcast\" is not an IPv4 address[:port]");
            }
            s = s.withWake(new WakeOnLan(
                    w.hasNonNull("mac") ? w.get("mac").asText() : null,
                    w.path("wake_on_lan").asBoolean(false),
                    broadcast,
                    w.hasNonNull("wake_timeout_seconds")
                            ? wholeNumber(w, "wake_timeout_seconds")
                            : WakeOnLan.DEFAULT_TIMEOUT_SECONDS,
                    w.hasNonNull("neighbour_mac")
                            ? WakeOnLan.normalizeMac(w.get("neighbour_mac").asText())
                            : null));
        }
        return s;
    }

    private static int wholeNumber(JsonNode p, String field) {
        JsonNode v = p.get(field);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException("\"" + field + "\" is not a whole number");
        }
        return v.intValue();
    }

    /** The entry as a log line may show it: a key is "(set)". */
    private static JsonNode redacted(JsonNode p) {
        if (p instanceof ObjectNode o && o.has("api_key")) {
            ObjectNode copy = o.deepCopy();
            copy.put("api_key", "(set)");
            return copy;
        }
        return p;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException("missing \"" + field + "\"");
        }
        return v.asText();
    }
}
