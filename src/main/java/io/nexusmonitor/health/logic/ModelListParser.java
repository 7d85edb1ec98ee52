package io.nexusmonitor.health.logic;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.nexusmonitor.registry.ModelInfo;
import io.nexusmonitor.registry.RegistryLimits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the model lists servers answer with. Lenient about extra fields (every server adds its
 * own), strict about the list itself: a body that is not JSON, or has no list where one belongs,
 * is a {@link ModelListException} whose message says what and where.
 */
public final class ModelListParser {
    // trailing garbage after the list is as broken as a missing bracket (checked by readLists)
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** Fields servers use for a model's context window, most specific first. */
    private static final List<String> CONTEXT_FIELDS =
            List.of("max_model_len", "context_length", "max_context_length", "context_window", "n_ctx");

    private ModelListParser() {}

    /**
     * A model list as read: at most the cap of models (the first ones, in the server's order),
     * how many entries the answer's list had, and how many of them were skipped past the cap.
     */
    public record Parsed(List<ModelInfo> models, int listed, int dropped) {
        public Parsed {
            models = List.copyOf(models);
        }
    }

    /** Ollama {@code /api/tags}: {@code {"models":[{"name":"llama3:8b","details":{...}}]}}. */
    public static List<ModelInfo> ollamaTags(byte[] body) throws ModelListException {
        return ollamaTags(body, Integer.MAX_VALUE).models();
    }

    /**
     * Like {@link #ollamaTags(byte[])}, keeping at most {@code max} models. The list is read one
     * entry at a time and entries past the cap are skipped unread, so a huge answer costs its bytes,
     * not a tree of objects for every entry.
     */
    public static Parsed ollamaTags(byte[] body, int max) throws ModelListException {
        Lists lists = readLists(body, max, "models");
        Field list = lists.list("models");
        Map<String, ModelInfo> out = new LinkedHashMap<>();
        for (JsonNode m : list.items()) {
            String id = firstText(m, "name", "model");
            if (id != null) {
                Integer ctx = contextLength(m);
                if (ctx == null) {
                    ctx = contextLength(m.path("details"));
                }
                out.putIfAbsent(id, new ModelInfo(id, ctx, null, strings(m.path("capabilities")), size(m.get("size"))));
            }
        }
        return new Parsed(
                List.copyOf(out.values()),
                list.total(),
                list.total() - list.items().size());
    }

    /** Ollama {@code /api/ps}: the models in memory, with the context length they were loaded with. */
    /** A size in bytes: a whole number from 0 to 2^50 (a petabyte); null for anything else. */
    static @Nullable Long size(@Nullable JsonNode n) {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
            return null;
        }
        long v = n.asLong();
        return v < 0 || v > (1L << 50) ? null : v;
    }

    public static Map<String, Integer> ollamaLoaded(byte[] body) throws ModelListException {
        // models in memory at once: a handful; past this many the answer is not a real one
        Field list =
                readLists(body, RegistryLimits.MAX_TXT_ENTRIES * 16, "models").list("models");
        Map<String, Integer> out = new HashMap<>();
        for (JsonNode m : list.items()) {
            String id = firstText(m, "name", "model");
            if (id != null) {
                out.put(id, contextLength(m));
            }
        }
        return out;
    }

    /**
     * Marks which tags are loaded ({@code loaded} true/false) and fills a missing context length
     * from {@code /api/ps}.
     */
    public static List<ModelInfo> markLoaded(List<ModelInfo> models, Map<String, Integer> loaded) {
        List<ModelInfo> out = new ArrayList<>(models.size());
        for (ModelInfo m : models) {
            boolean in = loaded.containsKey(m.id());
            Integer ctx = m.contextLength() != null ? m.contextLength() : in ? loaded.get(m.id()) : null;
            out.add(new ModelInfo(m.id(), ctx, in, m.capabilities(), m.sizeBytes()));
        }
        return out;
    }

    /**
     * OpenAI {@code /v1/models}: {@code {"object":"list","data":[{"id":...}]}}, as vLLM
     * ({@code max_model_len}), llama.cpp ({@code meta.n_ctx_train}, and a {@code models} array with
     * {@code capabilities}), exo, LM Studio and others send it.
     */
    public static List<ModelInfo> openAiModels(byte[] body) throws ModelListException {
        return openAiModels(body, Integer.MAX_VALUE).models();
    }

    /** Like {@link #openAiModels(byte[])}, keeping at most {@code max} models (read as {@link #ollamaTags(byte[], int)}). */
    public static Parsed openAiModels(byte[] body, int max) throws ModelListException {
        Lists lists = readLists(body, max, "data", "models");
        Map<String, List<String>> capsByName = new HashMap<>();
        Field extra = lists.fields().get("models");
        boolean extraIsList = extra != null && extra.kind() == JsonToken.START_ARRAY;
        if (extraIsList && extra != null) {
            for (JsonNode m : extra.items()) {
                List<String> caps = strings(m.path("capabilities"));
                for (String key : new String[] {"model", "name", "id"}) {
                    if (m.path(key).isTextual() && !caps.isEmpty()) {
                        capsByName.putIfAbsent(m.path(key).asText(), caps);
                    }
                }
            }
        }
        Field list = lists.fields().containsKey("data") || !extraIsList
                ? lists.list("data")
                : Objects.requireNonNull(extra); // extraIsList
        Map<String, ModelInfo> out = new LinkedHashMap<>();
        for (JsonNode m : list.items()) {
            String id = firstText(m, "id", "model", "name");
            if (id != null) {
                Integer ctx = contextLength(m);
                if (ctx == null) {
                    ctx = positiveInt(m.path("meta").path("n_ctx_train"));
                }
                List<String> caps = strings(m.path("capabilities"));
                out.putIfAbsent(
                        id,
                        new ModelInfo(id, ctx, null, caps.isEmpty() ? capsByName.getOrDefault(id, List.of()) : caps));
            }
        }
        return new Parsed(
                List.copyOf(out.values()),
                list.total(),
                list.total() - list.items().size());
    }

    /** llama.cpp {@code /props}: {@code total_slots} (the server's {@code --parallel}), null when absent or not a positive number. */
    public static @Nullable Integer llamaCppTotalSlots(byte[] body) throws ModelListException {
        JsonNode root = tree(body);
        Integer n = positiveInt(root.path("total_slots"));
        return n == null || n > io.nexusmonitor.registry.BackendSettings.MAX_CAPACITY ? null : n;
    }

    /**
     * llama.cpp {@code /slots}: one entry per slot; busy ones have {@code is_processing: true}
     * (older servers: {@code state} other than 0).
     *
     * @return the number of slots and how many are busy
     */
    public static int[] llamaCppSlots(byte[] body) throws ModelListException {
        JsonNode root = tree(body);
        if (!root.isArray()) {
            throw new ModelListException("unexpected JSON: no list of slots in the answer");
        }
        int busy = 0;
        for (JsonNode slot : root) {
            JsonNode processing = slot.path("is_processing");
            if (processing.isBoolean()
                    ? processing.asBoolean()
                    : slot.path("state").asInt(0) != 0) {
                busy++;
            }
        }
        return new int[] {root.size(), busy};
    }

    /** LM Studio {@code /api/v0/models}: {@code {"data":[{"id","state":"loaded"|"not-loaded"}]}} as id → loaded. */
    public static Map<String, Boolean> lmStudioStates(byte[] body, int max) throws ModelListException {
        Field list = readLists(body, max, "data").list("data");
        Map<String, Boolean> out = new HashMap<>();
        for (JsonNode m : list.items()) {
            String id = firstText(m, "id", "model");
            JsonNode state = m.path("state");
            if (id != null && state.isTextual()) {
                out.putIfAbsent(id, "loaded".equalsIgnoreCase(state.asText()));
            }
        }
        return out;
    }

    private static JsonNode tree(byte[] body) throws ModelListException {
        if (body.length == 0) {
            throw new ModelListException("empty answer where JSON was expected");
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ModelListException(
                    "invalid JSON" + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
        } catch (IOException e) {
            throw new ModelListException("unreadable answer");
        }
    }

    /** True when a llama.cpp answer says it is still loading its model ({@code "loading model"}). */
    public static boolean saysLoading(byte[] body) {
        String s = new String(body, java.nio.charset.StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT);
        return s.contains("loading");
    }

    // --- helpers ------------------------------------------------------------------------------

    /**
     * One top-level field of an answer: its kind ({@code START_ARRAY}, {@code VALUE_NULL}, ...),
     * the first entries of a list and how many it had.
     */
    private record Field(JsonToken kind, List<JsonNode> items, int total) {}

    /** The wanted top-level fields of an answer. */
    private record Lists(Map<String, Field> fields) {
        /** The list in {@code name}: null counts as empty (Ollama with no models), anything else is an error. */
        Field list(String name) throws ModelListException {
            Field f = fields.get(name);
            if (f != null && f.kind() == JsonToken.START_ARRAY) {
                return f;
            }
            if (f != null && f.kind() == JsonToken.VALUE_NULL) {
                return new Field(JsonToken.START_ARRAY, List.of(), 0);
            }
            throw new ModelListException("unexpected JSON: no \"" + name + "\" list in the answer");
        }
    }

    /**
     * Streams through the answer: lists in {@code names} are read entry by entry, the first
     * {@code max} entries as trees, the rest skipped; every other value is skipped. The whole
     * text must still be one well-formed JSON value.
     */
    private static Lists readLists(byte[] body, int max, String... names) throws ModelListException {
        if (body.length == 0) {
            throw new ModelListException("empty answer where a JSON model list was expected");
        }
        Set<String> wanted = Set.of(names);
        Map<String, Field> out = new HashMap<>();
        try (JsonParser p = JSON.getFactory().createParser(body)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new ModelListException("empty answer where a JSON model list was expected");
            }
            if (t == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    if (!wanted.contains(name)) {
                        p.skipChildren();
                    } else if (v == JsonToken.START_ARRAY) {
                        List<JsonNode> items = new ArrayList<>();
                        int total = 0;
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            total++;
                            if (items.size() < max) {
                                items.add(JSON.readTree(p));
                            } else {
                                p.skipChildren();
                            }
                        }
                        out.put(name, new Field(v, items, total)); // a repeated key: the last wins, as in a tree
                    } else {
                        p.skipChildren();
                        out.put(name, new Field(v, List.of(), 0));
                    }
                }
            } else {
                p.skipChildren();
            }
            if (p.nextToken() != null) {
                JsonLocation at = p.currentLocation();
                throw new ModelListException("invalid JSON at line " + at.getLineNr() + ", column " + at.getColumnNr()
                        + " (more after the end of the answer)");
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ModelListException("invalid JSON" + where);
        } catch (IOException e) {
            throw new ModelListException("unreadable answer");
        }
        return new Lists(out);
    }

    private static @Nullable String firstText(JsonNode m, String... fields) {
        for (String f : fields) {
            JsonNode v = m.path(f);
            if (v.isTextual() && !v.asText().isBlank()) {
                return v.asText();
            }
        }
        return null;
    }

    private static @Nullable Integer contextLength(JsonNode m) {
        for (String f : CONTEXT_FIELDS) {
            Integer v = positiveInt(m.path(f));
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static @Nullable Integer positiveInt(JsonNode v) {
        if (v.canConvertToInt() && v.isNumber() && v.asInt() > 0) {
            return v.asInt();
        }
        return null;
    }

    private static List<String> strings(JsonNode arr) {
        if (!arr.isArray()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (JsonNode v : arr) {
            if (out.size() >= RegistryLimits.MAX_CAPABILITIES) {
                break; // a list of thousands would cost a quadratic scan and say nothing more
            }
            if (v.isTextual() && !out.contains(v.asText())) {
                out.add(v.asText());
            }
        }
        return out;
    }
}
