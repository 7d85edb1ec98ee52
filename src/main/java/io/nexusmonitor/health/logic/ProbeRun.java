package io.nexusmonitor.health.logic;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.ModelInfo;
import java.net.URI;
import java.util.List;
import java.util.Map;

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
    /** Models the answer listed beyond {@link #maxModels}. */
    private int dropped;
    private int listed;
    private int index;
    private CheckResult result;
    /** Models read so far, null while unknown (keep the backend's). */
    private List<ModelInfo> models;
    private String softError;
    private Double latencyMs;

    public ProbeRun(List<ProbeStep> steps, int timeoutSeconds) {
        this(steps, timeoutSeconds, Integer.MAX_VALUE);
    }

    /** @param maxModels models kept from a list ({@code [limits] max_models_per_backend}); the rest are dropped and noted */
    public ProbeRun(List<ProbeStep> steps, int timeoutSeconds, int maxModels) {
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a check needs at least one probe");
        }
        this.steps = List.copyOf(steps);
        this.timeoutSeconds = timeoutSeconds;
        this.maxModels = maxModels;
        this.host = hostOf(steps.get(0).url());
    }

    public static ProbeRun forBackend(Backend backend, int timeoutSeconds) {
        return new ProbeRun(ProbePlan.forBackend(backend), timeoutSeconds);
    }

    public static ProbeRun forBackend(Backend backend, int timeoutSeconds, int maxModels) {
        return new ProbeRun(ProbePlan.forBackend(backend), timeoutSeconds, maxModels);
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

    /** The current probe was answered with this status and (capped) body after {@code ms}. */
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
            softError = detailFailed(step, f.sentence());
            finish();
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
        latencyMs = ms;
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
            softError = detailFailed(step, Failure.redirect(status, step.path()).sentence());
            finish();
            return;
        }
        if (status < 200 || status > 299) {
            softError = detailFailed(step, Failure.http(status, reason, step.path()).sentence());
            finish();
            return;
        }
        try {
            if (step.kind() == ProbeStep.Kind.OLLAMA_PS) {
                Map<String, Integer> loaded = ModelListParser.ollamaLoaded(body);
                models = ModelListParser.markLoaded(models, loaded);
            } else {
                models = parse(step.kind(), body);
            }
        } catch (ModelListException e) {
            softError = detailFailed(step, e.getMessage());
            finish();
            return;
        }
        advance();
    }

    /** A failed detail probe: Ollama versions without {@code /api/ps} are normal, so that one stays quiet. */
    private String detailFailed(ProbeStep step, String why) {
        if (step.kind() == ProbeStep.Kind.OLLAMA_PS) {
            return null;
        }
        return "answered, but the model list from " + step.path() + " failed: " + why;
    }

    private List<ModelInfo> parse(ProbeStep.Kind kind, byte[] body) throws ModelListException {
        ModelListParser.Parsed p = kind == ProbeStep.Kind.OLLAMA_TAGS ? ModelListParser.ollamaTags(body, maxModels)
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
        result = new CheckResult(CheckResult.Outcome.SUCCESS, models, null, error, latencyMs, dropped);
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
