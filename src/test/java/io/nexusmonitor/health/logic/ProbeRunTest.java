package io.nexusmonitor.health.logic;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.health.logic.CheckResult.Outcome;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.ModelInfo;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** What a sequence of answers means, without sockets. */
class ProbeRunTest {

    private static ProbeRun run(BackendType type) {
        return ProbeRun.forBackend(
                Backend.create("id", "b", "http://h:1", type, BackendSource.MANUAL, 50, Instant.EPOCH), 5);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void warmingUpRepeatsAGoodPrimaryAnswerAndMeasuresTheSecond() {
        ProbeRun r = run(BackendType.OLLAMA).warmingUp();
        r.onAnswer(200, "OK", b("{\"models\":[{\"name\":\"a\"}]}"), 240);
        assertThat(r.done()).isFalse();
        assertThat(r.current().path()).isEqualTo("/api/tags");
        r.onAnswer(200, "OK", b("{\"models\":[{\"name\":\"a\"}]}"), 0.4);
        assertThat(r.current().path()).isEqualTo("/api/ps");
        r.onAnswer(200, "OK", b("{\"models\":[]}"), 0.3);
        assertThat(r.result().latencyMs()).isEqualTo(0.4);
        assertThat(r.result().models()).extracting(ModelInfo::id).containsExactly("a");
    }

    @Test
    void warmingUpDoesNotRepeatAFailedAnswer() {
        ProbeRun r = run(BackendType.OLLAMA).warmingUp();
        r.onAnswer(500, "Server Error", b("oops"), 3);
        assertThat(r.result().outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(r.result().latencyMs()).isNull();
    }

    @Test
    void anUnmeasuredAnswerHasNoLatency() {
        ProbeRun r = run(BackendType.VLLM);
        r.onAnswer(200, "OK", b("{\"object\":\"list\",\"data\":[]}"), -1);
        assertThat(r.result().latencyMs()).isNull();
    }

    @Test
    void ollamaTagsThenPsGiveModelsWithLoadedFlags() {
        ProbeRun r = run(BackendType.OLLAMA);
        assertThat(r.current().path()).isEqualTo("/api/tags");
        r.onAnswer(200, "OK", b("{\"models\":[{\"name\":\"a\"},{\"name\":\"b\"}]}"), 3.5);
        assertThat(r.done()).isFalse();
        assertThat(r.current().path()).isEqualTo("/api/ps");
        r.onAnswer(200, "OK", b("{\"models\":[{\"name\":\"b\",\"context_length\":4096}]}"), 1);
        assertThat(r.result())
                .isEqualTo(new CheckResult(
                        Outcome.SUCCESS,
                        List.of(new ModelInfo("a", null, false, List.of()), new ModelInfo("b", 4096, true, List.of())),
                        null,
                        null,
                        3.5));
    }

    @Test
    void ollamaWithoutPsStillSucceedsQuietly() {
        ProbeRun r = run(BackendType.OLLAMA);
        r.onAnswer(200, "OK", b("{\"models\":[{\"name\":\"a\"}]}"), 2);
        r.onAnswer(404, "Not Found", b("404 page not found"), 1);
        assertThat(r.result().outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(r.result().models()).containsExactly(ModelInfo.of("a"));
        assertThat(r.result().error()).isNull();
    }

    @Test
    void badJsonOnThePrimaryProbeIsSuccessThatKeepsModels() {
        ProbeRun r = run(BackendType.VLLM);
        r.onAnswer(200, "OK", b("{\"data\":["), 2);
        CheckResult res = r.result();
        assertThat(res.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(res.models()).isNull();
        assertThat(res.error())
                .startsWith("answered, but the model list from /v1/models is unreadable: invalid JSON at line 1");
        assertThat(res.latencyMs()).isEqualTo(2.0);
    }

    @Test
    void emptyListIsSuccessWithNoModels() {
        ProbeRun r = run(BackendType.OPENAI);
        r.onAnswer(200, "OK", b("{\"object\":\"list\",\"data\":[]}"), 2);
        assertThat(r.result().models()).isEmpty();
    }

    @Test
    void non2xxIsAFailure() {
        ProbeRun r = run(BackendType.GENERIC);
        r.onAnswer(500, "Server Error", b("oops"), 2);
        assertThat(r.result())
                .isEqualTo(new CheckResult(
                        Outcome.FAILURE, null, "HTTP 500", "HTTP 500 Server Error from /v1/models", null));
    }

    @Test
    void transportFailureIsAFailureWithItsSentence() {
        ProbeRun r = run(BackendType.EXO);
        r.onFailure(new TimeoutException("Total timeout 5000 ms elapsed"));
        assertThat(r.result())
                .isEqualTo(new CheckResult(Outcome.FAILURE, null, "timeout", "timed out after 5 s", null));
    }

    @Test
    void llamaCppLoadingIsLoadingAndAsksNothingMore() {
        ProbeRun r = run(BackendType.LLAMACPP);
        r.onAnswer(503, "Service Unavailable", b("{\"error\":{\"code\":503,\"message\":\"Loading model\"}}"), 1);
        assertThat(r.done()).isTrue();
        assertThat(r.result().outcome()).isEqualTo(Outcome.LOADING);
        assertThat(r.result().cause()).isEqualTo("loading model");
    }

    @Test
    void llamaCpp503ForAnotherReasonIsAFailure() {
        ProbeRun r = run(BackendType.LLAMACPP);
        r.onAnswer(503, "Service Unavailable", b("{\"status\":\"no slot available\"}"), 1);
        assertThat(r.result().outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(r.result().cause()).isEqualTo("HTTP 503");
    }

    @Test
    void llamaCppHealthyButModelListFailingIsHealthyWithTheReason() {
        ProbeRun r = run(BackendType.LLAMACPP);
        r.onAnswer(200, "OK", b("{\"status\":\"ok\"}"), 1.5);
        assertThat(r.current().path()).isEqualTo("/v1/models");
        r.onFailure(new ConnectException("Connection refused"));
        // the slot details are still asked for (issue 12); servers without them stay quiet
        assertThat(r.current().path()).isEqualTo("/props");
        r.onAnswer(404, "Not Found", b("{}"), 1);
        assertThat(r.current().path()).isEqualTo("/slots");
        r.onAnswer(501, "Not Implemented", b("{}"), 1);
        CheckResult res = r.result();
        assertThat(res.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(res.models()).isNull();
        assertThat(res.serverSlots()).isNull();
        assertThat(res.latencyMs()).isEqualTo(1.5);
        assertThat(res.error()).startsWith("answered, but the model list from /v1/models failed: connection refused");
    }

    @Test
    void llamaCppListsItsModelAsLoadedAndReportsItsSlots() {
        ProbeRun r = run(BackendType.LLAMACPP);
        r.onAnswer(200, "OK", b("{\"status\":\"ok\"}"), 1);
        r.onAnswer(200, "OK", b("{\"object\":\"list\",\"data\":[{\"id\":\"m.gguf\"}]}"), 1);
        r.onAnswer(200, "OK", b("{\"total_slots\":3,\"model_path\":\"/m.gguf\"}"), 1);
        r.onAnswer(
                200, "OK", b("[{\"id\":0,\"is_processing\":true},{\"id\":1,\"state\":0},{\"id\":2,\"state\":1}]"), 1);
        CheckResult res = r.result();
        assertThat(res.models()).containsExactly(new ModelInfo("m.gguf", null, true, List.of()));
        assertThat(res.serverSlots()).isEqualTo(3);
        assertThat(res.serverBusy()).isEqualTo(2);
        assertThat(res.error()).isNull();
    }

    @Test
    void llamaCppWithoutTotalSlotsCountsTheSlotsList() {
        ProbeRun r = run(BackendType.LLAMACPP);
        r.onAnswer(200, "OK", b("{}"), 1);
        r.onAnswer(200, "OK", b("{\"data\":[]}"), 1);
        r.onAnswer(200, "OK", b("{\"total_slots\":\"many\"}"), 1);
        r.onAnswer(200, "OK", b("[{\"id\":0},{\"id\":1}]"), 1);
        assertThat(r.result().serverSlots()).isEqualTo(2);
        assertThat(r.result().serverBusy()).isZero();
    }

    @Test
    void lmStudioStatesMarkLoadedAndABrokenStateListIsQuiet() {
        ProbeRun r = run(BackendType.LMSTUDIO);
        r.onAnswer(200, "OK", b("{\"data\":[{\"id\":\"a\"},{\"id\":\"b\"},{\"id\":\"c\"}]}"), 1);
        r.onAnswer(
                200,
                "OK",
                b("{\"data\":[{\"id\":\"a\",\"state\":\"loaded\"},{\"id\":\"b\",\"state\":\"not-loaded\"}]}"),
                1);
        assertThat(r.result().models()).extracting(ModelInfo::loaded).containsExactly(true, false, null);

        ProbeRun broken = run(BackendType.LMSTUDIO);
        broken.onAnswer(200, "OK", b("{\"data\":[{\"id\":\"a\"}]}"), 1);
        broken.onAnswer(200, "OK", b("not json"), 1);
        assertThat(broken.result().error()).isNull();
        assertThat(broken.result().models()).extracting(ModelInfo::loaded).containsExactly((Boolean) null);
    }

    @Test
    void vllmAndHostedOpenAiModelsAreLoadedGenericOnesUnknown() {
        for (BackendType t : List.of(BackendType.VLLM, BackendType.OPENAI)) {
            ProbeRun r = run(t);
            r.onAnswer(200, "OK", b("{\"data\":[{\"id\":\"a\"}]}"), 1);
            assertThat(r.result().models()).extracting(ModelInfo::loaded).containsExactly(true);
        }
        for (BackendType t : List.of(BackendType.GENERIC, BackendType.EXO)) {
            ProbeRun r = run(t);
            r.onAnswer(200, "OK", b("{\"data\":[{\"id\":\"a\"}]}"), 1);
            assertThat(r.result().models()).extracting(ModelInfo::loaded).containsExactly((Boolean) null);
        }
    }
}
