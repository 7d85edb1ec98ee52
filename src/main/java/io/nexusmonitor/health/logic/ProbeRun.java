package io.nexusmonitor.health.logic;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.ModelInfo;
import java.net.URI;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One health check in progress: which request to send next and what the answers so far mean.
 * The HTTP adapter sends {@link #current()}, reports the answer or the failure, and repeats
 * while {@link #done()} is false; then {@link #result()} says what the check found.
 *
 * <p>Rules (the README's 'Health checks'): a non-2xx or failed primary probe fails the check; 2xx with a body that
 * is not a readable model list is a success that keeps the known models; an empty list clears
 * them; llama.cpp's 503 "loading model" is {@code loading}. Secondary probes (Ollama {@code /api/ps},
 * llama.cpp's model list) only add detail: when they fail the check still succeeds.
 *
 * <p>Not thread-safe: one check's callbacks run one after another.
 */
public final class ProbeRun {
    private final List<ProbeStep> steps;
    private final int timeoutSeconds;
    private final int maxModels;
    private final String host;
    /** The backend's type, for its residency rule; null: no rule (loaded stays as the answers say). */
    private final @Nullable BackendType type;

    private @Nullable Integer serverSlots;
    private @Nullable Integer serverBusy;
    /** Models the answer listed beyond {@link #maxModels}. */
    private int dropped;

    private int listed;
    private int index;
    private @Nullable CheckResult result;
    /** Models read so far, null while unknown (keep the backend's). */
    private @Nullable List<ModelInfo> models;

    private @Nullable String softError;
    private @Nullable Double latencyMs;
    /** The primary probe is sent twice and the first good answer only warms up: see {@link #warmingUp()}. */
    private boolean warmUp;

    public ProbeRun(List<ProbeStep> steps, int timeoutSeconds) {
        this(steps, timeoutSeconds, Integer.MAX_VALUE);
    }

    /** @param maxModels models kept from a list ({@code [limits] max_models_per_backend}); the rest are dropped and noted */
    public ProbeRun(List<ProbeStep> steps, int timeoutSeconds, int maxModels) {
        this(steps, timeoutSeconds, maxModels, null);
    }

    /** @param type the backend's type, whose {@link Residency} rule marks the models; null for none */
    public ProbeRun(List<ProbeStep> steps, int timeoutSeconds, int maxModels, @Nullable BackendType type) {
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a check needs at least one probe");
        }
        this.steps = List.copyOf(steps);
        this.timeoutSeconds = timeoutSeconds;
        this.maxModels = maxModels;
        this.host = hostOf(steps.get(0).url());
        this.type = type;
    }

    public static ProbeRun forBackend(Backend backend, int timeoutSeconds) {
        return new ProbeRun(ProbePlan.forBackend(backend), timeoutSeconds, Integer.MAX_VALUE, backend.type());
    }

    public static ProbeRun forBackend(Backend backend, int timeoutSeconds, int maxModels) {
        return new ProbeRun(ProbePlan.forBackend(backend), timeoutSeconds, maxModels, backend.type());
    }

    /**
     * Sends the primary probe twice when it succeeds and measures the second: the first request to a
     * backend pays for the monitor's warm-up (classes loaded, code not yet compiled, on a start-up
     * with hundreds of checks a busy client), which is not the backend's answer time. The second goes
     * over the connection the first opened. A failing first answer is the result as usual (no repeat).
     * Call before the first answer.
     *
     * @return this run
     */
    public ProbeRun warmingUp() {
        if (index > 0 || result != null) {
            throw new IllegalStateException("warm-up is decided before the first answer");
        }
        warmUp = true;
        return this;
    }

    public ProbeStep current() {
        if (done()) {
            throw new IllegalStateException("the check is finished");
        }
        return steps.get(index);
    }

    public boolean done() {
        return result != null;
    }

    public CheckResult result() {
        if (result == null) {
            throw new IllegalStateException("the check is still running");
        }
        return result;
    }

    /**
     * The current probe was answered with this status and (capped) body; {@code ms} is its answer time,
     * from the request going out to the last byte (negative: not measured).
     */
    public void onAnswer(int status, String reason, byte[] body, double ms) {
        ProbeStep step = current();
        if (step.primary()) {
            onPrimary(step, status, reason, body, ms);
        } else {
            onSecondary(step, status, reason, body);
        }
    }

    /** The current probe failed before an answer (refused, timed out, too large, ...). */
    public void onFailure(Throwable error) {
        ProbeStep step = current();
        Failure f = Failure.of(error, timeoutSeconds, host);
        if (step.primary()) {
            result = CheckResult.failure(f);
        } else {
            detailFailed(step, f.sentence());
        }
    }

    private void onPrimary(ProbeStep step, int status, String reason, byte[] body, double ms) {
        if (step.kind() == ProbeStep.Kind.LLAMACPP_HEALTH && status == 503 && ModelListParser.saysLoading(body)) {
            result = new CheckResult(CheckResult.Outcome.LOADING, null, "loading model", null, null);
            return;
        }
        if (status >= 300 && status <= 399) {
            result = CheckResult.failure(Failure.redirect(status, step.path()));
            return;
        }
        if (status < 200 || status > 299) {
            result = CheckResult.failure(Failure.http(status, reason, step.path()));
            return;
        }
        if (warmUp) {
            warmUp = false; // current() is the same probe again: the adapter sends it once more
            return;
        }
        latencyMs = ms < 0 ? null : ms;
        if (step.kind() != ProbeStep.Kind.LLAMACPP_HEALTH) {
            try {
                models = parse(step.kind(), body);
            } catch (ModelListException e) {
                softError = "answered, but the model list from " + step.path() + " is unreadable: " + e.getMessage();
                finish(); // no list to add detail to
                return;
            }
        }
        advance();
    }

    private void onSecondary(ProbeStep step, int status, String reason, byte[] body) {
        if (status >= 300 && status <= 399) {
            detailFailed(step, Failure.redirect(status, step.path()).sentence());
            return;
        }
        if (status < 200 || status > 299) {
            detailFailed(step, Failure.http(status, reason, step.path()).sentence());
            return;
        }
        try {
            switch (step.kind()) {
                case OLLAMA_PS:
                    if (models != null) {
                        models = ModelListParser.markLoaded(models, ModelListParser.ollamaLoaded(body));
                    }
                    break;
                case LLAMACPP_PROPS:
                    serverSlots = ModelListParser.llamaCppTotalSlots(body);
                    break;
                case LLAMACPP_SLOTS:
                    int[] slots = ModelListParser.llamaCppSlots(body);
                    serverBusy = slots[1];
                    if (serverSlots == null
                            && slots[0] > 0
                            && slots[0] <= io.nexusmonitor.registry.BackendSettings.MAX_CAPACITY) {
                        serverSlots = slots[0]; // a server without total_slots in /props: one entry per slot
                    }
                    break;
                case LMSTUDIO_MODELS:
                    if (models != null) {
                        models = Residency.withStates(models, ModelListParser.lmStudioStates(body, maxModels));
                    }
                    break;
                default:
                    models = parse(step.kind(), body);
                    break;
            }
        } catch (ModelListException e) {
            detailFailed(step, e.getMessage());
            return;
        }
        advance();
    }

    /**
     * A failed detail probe. The quiet ones (not every version has them) leave no trace; a failed
     * model list is the {@code last_error}. Either way the remaining details are still asked for.
     */
    private void detailFailed(ProbeStep step, @Nullable String why) {
        if (!step.kind().quiet() && softError == null) {
            softError = "answered, but the model list from " + step.path() + " failed: " + why;
        }
        advance();
    }

    private List<ModelInfo> parse(ProbeStep.Kind kind, byte[] body) throws ModelListException {
        ModelListParser.Parsed p = kind == ProbeStep.Kind.OLLAMA_TAGS
                ? ModelListParser.ollamaTags(body, maxModels)
                : ModelListParser.openAiModels(body, maxModels);
        dropped = p.dropped();
        listed = p.listed();
        return p.models();
    }

    private void advance() {
        index++;
        if (index >= steps.size()) {
            finish();
        }
    }

    private void finish() {
        String error = softError;
        if (dropped > 0) {
            String note = "lists " + listed + " models; only the first " + maxModels
                    + " are kept ([limits] max_models_per_backend)";
            error = error == null ? note : error + "; " + note;
        }
        List<ModelInfo> found = models;
        if (found != null && type != null && Residency.listedMeansLoaded(type)) {
            found = Residency.allLoaded(found);
        }
        result = new CheckResult(
                CheckResult.Outcome.SUCCESS, found, null, error, latencyMs, dropped, serverSlots, serverBusy);
    }

    private static String hostOf(String url) {
        try {
            URI u = URI.create(url);
            return u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort();
        } catch (IllegalArgumentException e) {
            return url;
        }
    }
}
