package io.nexusmonitor.health.logic;

/**
 * One HTTP GET of a health check.
 *
 * @param url     absolute URL to fetch
 * @param kind    what the answer means and how to read it
 * @param primary true for the step that decides up or down (and whose time is the latency sample);
 *                the steps after it only add detail, so their failure never fails the check
 */
public record ProbeStep(String url, Kind kind, boolean primary) {

    public enum Kind {
        /** Ollama {@code GET /api/tags}: liveness and the installed models. */
        OLLAMA_TAGS,
        /** Ollama {@code GET /api/ps}: which models are loaded in memory. */
        OLLAMA_PS,
        /** OpenAI-style {@code GET <api>/models}. */
        OPENAI_MODELS,
        /** llama.cpp {@code GET /health}: 200 ready, 503 "loading model". */
        LLAMACPP_HEALTH,
        /** llama.cpp {@code GET /props}: {@code total_slots}, the server's parallel slots. */
        LLAMACPP_PROPS,
        /** llama.cpp {@code GET /slots}: which slots are processing now (off with {@code --no-slots}). */
        LLAMACPP_SLOTS,
        /** LM Studio {@code GET /api/v0/models}: each model's {@code state}, loaded or not-loaded. */
        LMSTUDIO_MODELS;

        /**
         * True for a detail only some versions of a server answer: its failure is normal and says
         * nothing ({@code last_error} stays clear) and the remaining steps still run.
         */
        public boolean quiet() {
            return this == OLLAMA_PS || this == LLAMACPP_PROPS || this == LLAMACPP_SLOTS || this == LMSTUDIO_MODELS;
        }
    }

    /** The path part, for messages ("HTTP 404 from /api/tags"). */
    public String path() {
        int scheme = url.indexOf("://");
        int slash = scheme < 0 ? -1 : url.indexOf('/', scheme + 3);
        return slash < 0 ? "/" : url.substring(slash);
    }
}
