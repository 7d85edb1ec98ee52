package io.nexusmonitor.health.logic;

import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.ModelInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which models a backend has in memory now, per server type: the one place this rule lives.
 *
 * <ul>
 *   <li>Ollama: {@code /api/ps} lists the loaded tags; every other tag is not loaded. Without
 *       {@code /api/ps} (old versions) {@code loaded} stays unknown.</li>
 *   <li>LM Studio: {@code /api/v0/models} {@code state} ("loaded" / "not-loaded"); unknown without it.</li>
 *   <li>vLLM, llama.cpp and hosted OpenAI-compatible servers serve what they list: every listed model
 *       is loaded (a llama.cpp server still loading answers 503 and is {@code loading}, not listed).</li>
 *   <li>exo and generic servers: unknown (null), they may list models they would first have to fetch.</li>
 * </ul>
 */
public final class Residency {
    private Residency() {}

    /** True for the types whose every listed model is in memory. */
    public static boolean listedMeansLoaded(BackendType type) {
        return type == BackendType.VLLM || type == BackendType.LLAMACPP || type == BackendType.OPENAI;
    }

    /** Marks every model whose {@code loaded} is still unknown as loaded. */
    public static List<ModelInfo> allLoaded(List<ModelInfo> models) {
        List<ModelInfo> out = new ArrayList<>(models.size());
        for (ModelInfo m : models) {
            out.add(m.loaded() != null ? m : m.withLoaded(true));
        }
        return out;
    }

    /** A server still loading its model (llama.cpp's 503 "loading model") has nothing ready: every model not loaded. */
    public static List<ModelInfo> noneLoaded(List<ModelInfo> models) {
        List<ModelInfo> out = new ArrayList<>(models.size());
        for (ModelInfo m : models) {
            out.add(Boolean.FALSE.equals(m.loaded()) ? m : m.withLoaded(false));
        }
        return out;
    }

    /** Sets {@code loaded} from a per-model state (LM Studio); models the map does not name keep theirs. */
    public static List<ModelInfo> withStates(List<ModelInfo> models, Map<String, Boolean> states) {
        List<ModelInfo> out = new ArrayList<>(models.size());
        for (ModelInfo m : models) {
            Boolean in = states.get(m.id());
            out.add(in == null ? m : m.withLoaded(in));
        }
        return out;
    }
}
