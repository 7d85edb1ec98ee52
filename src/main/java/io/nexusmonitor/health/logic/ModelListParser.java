package io.nexusmonitor.health.logic;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.nexusmonitor.registry.ModelInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the model lists servers answer with. Lenient about extra fields (every server adds its
 * own), strict about the list itself: a body that is not JSON, or has no list where one belongs,
 * is a {@link ModelListException} whose message says what and where.
 */
public final class ModelListParser {
    // trailing garbage after the list is as broken as a missing bracket
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    /** Fields servers use for a model's context window, most specific first. */
    private static final List<String> CONTEXT_FIELDS = List.of("max_model_len", "context_length",
            "max_context_length", "context_window", "n_ctx");

    private ModelListParser() {
    }

    /** Ollama {@code /api/tags}: {@code {"models":[{"name":"llama3:8b","details":{...}}]}}. */
    public static List<ModelInfo> ollamaTags(byte[] body) throws ModelListException {
        JsonNode list = listField(read(body), "models");
        Map<String, ModelInfo> out = new LinkedHashMap<>();
        for (JsonNode m : list) {
            String id = firstText(m, "name", "model");
            if (id != null) {
                Integer ctx = contextLength(m);
                if (ctx == null) {
                    ctx = contextLength(m.path("details"));
                }
                out.putIfAbsent(id, new ModelInfo(id, ctx, null, strings(m.path("capabilities"))));
            }
        }
        return List.copyOf(out.values());
    }

    /** Ollama {@code /api/ps}: the models in memory, with the context length they were loaded with. */
    public static Map<String, Integer> ollamaLoaded(byte[] body) throws ModelListException {
        JsonNode list = listField(read(body), "models");
        Map<String, Integer> out = new HashMap<>();
        for (JsonNode m : list) {
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
            out.add(new ModelInfo(m.id(), ctx, in, m.capabilities()));
        }
        return out;
    }

    /**
     * OpenAI {@code /v1/models}: {@code {"object":"list","data":[{"id":...}]}}, as vLLM
     * ({@code max_model_len}), llama.cpp ({@code meta.n_ctx_train}, and a {@code models} array with
     * {@code capabilities}), exo, LM Studio and others send it.
     */
    public static List<ModelInfo> openAiModels(byte[] body) throws ModelListException {
        JsonNode root = read(body);
        Map<String, List<String>> capsByName = new HashMap<>();
        JsonNode extra = root.path("models");
        if (extra.isArray()) {
            for (JsonNode m : extra) {
                List<String> caps = strings(m.path("capabilities"));
                for (String key : new String[] {"model", "name", "id"}) {
                    if (m.path(key).isTextual() && !caps.isEmpty()) {
                        capsByName.putIfAbsent(m.path(key).asText(), caps);
                    }
                }
            }
        }
        JsonNode list = root.has("data") || !extra.isArray() ? listField(root, "data") : extra;
        Map<String, ModelInfo> out = new LinkedHashMap<>();
        for (JsonNode m : list) {
            String id = firstText(m, "id", "model", "name");
            if (id != null) {
                Integer ctx = contextLength(m);
                if (ctx == null) {
                    ctx = positiveInt(m.path("meta").path("n_ctx_train"));
                }
                List<String> caps = strings(m.path("capabilities"));
                out.putIfAbsent(id, new ModelInfo(id, ctx, null, caps.isEmpty() ? capsByName.getOrDefault(id, List.of()) : caps));
            }
        }
        return List.copyOf(out.values());
    }

    /** True when a llama.cpp answer says it is still loading its model ({@code "loading model"}). */
    public static boolean saysLoading(byte[] body) {
        String s = new String(body, java.nio.charset.StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT);
        return s.contains("loading");
    }

    // --- helpers ------------------------------------------------------------------------------

    private static JsonNode read(byte[] body) throws ModelListException {
        if (body.length == 0) {
            throw new ModelListException("empty answer where a JSON model list was expected");
        }
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null || n.isMissingNode()) {
                throw new ModelListException("empty answer where a JSON model list was expected");
            }
            return n;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ModelListException("invalid JSON" + where);
        } catch (IOException e) {
            throw new ModelListException("unreadable answer: " + e.getMessage());
        }
    }

    private static JsonNode listField(JsonNode root, String field) throws ModelListException {
        JsonNode list = root.path(field);
        if (!list.isArray()) {
            if (list.isNull()) {
                return JSON.createArrayNode(); // Ollama sends "models": null when none are installed
            }
            throw new ModelListException("unexpected JSON: no \"" + field + "\" list in the answer");
        }
        return list;
    }

    private static String firstText(JsonNode m, String... fields) {
        for (String f : fields) {
            JsonNode v = m.path(f);
            if (v.isTextual() && !v.asText().isBlank()) {
                return v.asText();
            }
        }
        return null;
    }

    private static Integer contextLength(JsonNode m) {
        for (String f : CONTEXT_FIELDS) {
            Integer v = positiveInt(m.path(f));
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static Integer positiveInt(JsonNode v) {
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
            if (v.isTextual() && !out.contains(v.asText())) {
                out.add(v.asText());
            }
        }
        return out;
    }

}
