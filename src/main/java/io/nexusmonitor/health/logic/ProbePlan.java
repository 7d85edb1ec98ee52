package io.nexusmonitor.health.logic;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendType;
import java.util.List;

/**
 * Which requests check a backend of each type (the README's 'Health checks'), in the order they are sent. After
 * the list of models come the residency details: Ollama {@code /api/ps}, llama.cpp {@code /props}
 * and {@code /slots}, LM Studio {@code /api/v0/models} (see {@link Residency}).
 */
public final class ProbePlan {
    private ProbePlan() {}

    public static List<ProbeStep> forBackend(Backend backend) {
        return forEndpoints(backend.type(), BackendEndpoints.of(backend));
    }

    public static List<ProbeStep> forEndpoints(BackendType type, BackendEndpoints at) {
        switch (type) {
            case OLLAMA:
                return List.of(
                        new ProbeStep(at.serverRoot() + "/api/tags", ProbeStep.Kind.OLLAMA_TAGS, true),
                        new ProbeStep(at.serverRoot() + "/api/ps", ProbeStep.Kind.OLLAMA_PS, false));
            case LLAMACPP:
                return List.of(
                        new ProbeStep(at.serverRoot() + "/health", ProbeStep.Kind.LLAMACPP_HEALTH, true),
                        new ProbeStep(at.apiRoot() + "/models", ProbeStep.Kind.OPENAI_MODELS, false),
                        new ProbeStep(at.serverRoot() + "/props", ProbeStep.Kind.LLAMACPP_PROPS, false),
                        new ProbeStep(at.serverRoot() + "/slots", ProbeStep.Kind.LLAMACPP_SLOTS, false));
            case LMSTUDIO:
                return List.of(
                        new ProbeStep(at.apiRoot() + "/models", ProbeStep.Kind.OPENAI_MODELS, true),
                        new ProbeStep(at.serverRoot() + "/api/v0/models", ProbeStep.Kind.LMSTUDIO_MODELS, false));
            default:
                return List.of(new ProbeStep(at.apiRoot() + "/models", ProbeStep.Kind.OPENAI_MODELS, true));
        }
    }
}
