package io.nexusmonitor.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How much the registry holds ({@code [limits]}), and the one place that applies those caps to
 * what a source brings: model lists, names, TXT records. The registry applies them to every add
 * and update, whatever the source, so no announcement or answer can grow it without bound.
 *
 * @param maxBackends         backends of every source together; {@link Registry#add} refuses more
 * @param maxModelsPerBackend models kept per backend, in the order the backend listed them
 * @param maxNameLength       characters of a name; longer names are cut (manual adds refuse them earlier)
 * @param maxModelIdLength    characters of a model id; longer ids are dropped, never cut (a cut id names another model)
 */
public record RegistryLimits(int maxBackends, int maxModelsPerBackend, int maxNameLength, int maxModelIdLength) {
    /** TXT records kept per announcement (DNS-SD keeps each under 255 bytes; the count is what grows). */
    public static final int MAX_TXT_ENTRIES = 64;
    /** Characters of a TXT key or value, and of mDNS instance and host names. */
    public static final int MAX_TXT_LENGTH = 255;
    /** Capability strings kept per model. */
    public static final int MAX_CAPABILITIES = 32;

    public RegistryLimits {
        if (maxBackends < 1 || maxModelsPerBackend < 1 || maxNameLength < 1 || maxModelIdLength < 1) {
            throw new IllegalArgumentException("limits must be at least 1");
        }
    }

    public static RegistryLimits defaults() {
        return new RegistryLimits(1000, 2000, 128, 256);
    }

    /** A model id a client could ask for: not blank, not longer than the cap. */
    public boolean acceptsModelId(String id) {
        return id != null && !id.isBlank() && id.length() <= maxModelIdLength;
    }

    /** The models kept: ids within the length cap, at most {@link #maxModelsPerBackend}, capabilities capped. */
    public List<ModelInfo> models(List<ModelInfo> models) {
        boolean clean = models.size() <= maxModelsPerBackend;
        for (int i = 0; clean && i < models.size(); i++) {
            ModelInfo m = models.get(i);
            clean = acceptsModelId(m.id()) && m.capabilities().size() <= MAX_CAPABILITIES;
        }
        if (clean) {
            return models;
        }
        List<ModelInfo> out = new ArrayList<>(Math.min(models.size(), maxModelsPerBackend));
        for (ModelInfo m : models) {
            if (out.size() >= maxModelsPerBackend) {
                break;
            }
            if (acceptsModelId(m.id())) {
                out.add(
                        m.capabilities().size() <= MAX_CAPABILITIES
                                ? m
                                : new ModelInfo(
                                        m.id(),
                                        m.contextLength(),
                                        m.loaded(),
                                        m.capabilities().subList(0, MAX_CAPABILITIES),
                                        m.sizeBytes()));
            }
        }
        return out;
    }

    /** A name within the cap: longer ones are cut and end with {@code …}. */
    public String name(String name) {
        return cut(name, maxNameLength);
    }

    /** mDNS data within the caps: at most {@link #MAX_TXT_ENTRIES} TXT records, texts cut. */
    public @Nullable MdnsInfo mdns(@Nullable MdnsInfo m) {
        if (m == null) {
            return null;
        }
        boolean clean = m.txt().size() <= MAX_TXT_ENTRIES
                && fits(m.instance())
                && fits(m.host())
                && fits(m.serviceType())
                && m.addresses().size() <= MAX_TXT_ENTRIES;
        for (Map.Entry<String, String> e : m.txt().entrySet()) {
            clean &= fits(e.getKey()) && fits(e.getValue());
        }
        if (clean) {
            return m;
        }
        Map<String, String> txt = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : m.txt().entrySet()) {
            if (txt.size() >= MAX_TXT_ENTRIES) {
                break;
            }
            txt.putIfAbsent(cut(e.getKey(), MAX_TXT_LENGTH), cut(e.getValue(), MAX_TXT_LENGTH));
        }
        List<String> addresses = m.addresses().size() <= MAX_TXT_ENTRIES
                ? m.addresses()
                : m.addresses().subList(0, MAX_TXT_ENTRIES);
        return new MdnsInfo(
                cut(m.instance(), MAX_TXT_LENGTH),
                cutOrNull(m.serviceType(), MAX_TXT_LENGTH),
                cutOrNull(m.host(), MAX_TXT_LENGTH),
                addresses,
                txt,
                m.firstSeen(),
                m.lastSeen());
    }

    /** The backend with every cap applied (the same object when nothing needed cutting). */
    Backend apply(Backend b) {
        return apply(null, b);
    }

    /**
     * The changed backend with every cap applied, skipping the parts the change left as they were
     * in {@code before} (same object), which passed these caps when it was stored: a health update
     * or a counter change does not walk 2000 models and the TXT records again.
     *
     * @param before the stored backend, or null for a new one
     */
    Backend apply(@Nullable Backend before, Backend after) {
        Backend out = after;
        if (before == null || !after.name().equals(before.name())) {
            String n = name(after.name());
            if (!n.equals(after.name())) {
                out = out.withName(n);
            }
        }
        if (before == null || after.models() != before.models()) {
            List<ModelInfo> models = models(after.models());
            if (models != after.models()) {
                out = out.withModels(models);
            }
        }
        if (before == null || after.mdns() != before.mdns()) {
            MdnsInfo mdns = mdns(after.mdns());
            if (mdns != after.mdns()) {
                out = out.withMdns(mdns);
            }
        }
        return out;
    }

    private static boolean fits(@Nullable String s) {
        return s == null || s.length() <= MAX_TXT_LENGTH;
    }

    private static @Nullable String cutOrNull(@Nullable String s, int max) {
        return s == null ? null : cut(s, max);
    }

    private static String cut(String s, int max) {

        if (s == null || s.length() <= max) {
            return s;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "…";
    }
}
