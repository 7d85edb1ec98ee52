package io.nexusmonitor.health.logic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nexusmonitor.registry.ModelInfo;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ModelListParserTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsOllamaTagsWithDetailsAndOptionalContextAndCapabilities() throws Exception {
        String json = """
                {"models":[
                  {"name":"llama3:8b","model":"llama3:8b","size":4661224676,
                   "details":{"format":"gguf","family":"llama","parameter_size":"8.0B","quantization_level":"Q4_0"}},
                  {"name":"llava:7b","model":"llava:7b","context_length":4096,"capabilities":["completion","vision"]},
                  {"model":"nomic-embed-text:latest","details":{"context_length":2048}}
                ]}""";
        assertThat(ModelListParser.ollamaTags(b(json)))
                .containsExactly(
                        new ModelInfo("llama3:8b", null, null, List.of(), 4661224676L),
                        new ModelInfo("llava:7b", 4096, null, List.of("completion", "vision")),
                        new ModelInfo("nomic-embed-text:latest", 2048, null, List.of()));
    }

    @Test
    void ollamaTagsWithNullOrEmptyListIsNoModels() throws Exception {
        assertThat(ModelListParser.ollamaTags(b("{\"models\":[]}"))).isEmpty();
        assertThat(ModelListParser.ollamaTags(b("{\"models\":null}"))).isEmpty();
    }

    @Test
    void ollamaPsMarksLoadedModelsAndFillsTheirContextLength() throws Exception {
        List<ModelInfo> tags = List.of(
                ModelInfo.of("llama3:8b"), ModelInfo.of("qwen2:7b"), new ModelInfo("phi3", 2048, null, List.of()));
        Map<String, Integer> ps = ModelListParser.ollamaLoaded(b("""
                {"models":[{"name":"llama3:8b","model":"llama3:8b","size_vram":5000,"context_length":8192,
                 "expires_at":"2026-11-24T19:00:00Z"},{"name":"phi3","context_length":4096}]}"""));
        assertThat(ModelListParser.markLoaded(tags, ps))
                .containsExactly(
                        new ModelInfo("llama3:8b", 8192, true, List.of()),
                        new ModelInfo("qwen2:7b", null, false, List.of()),
                        new ModelInfo("phi3", 2048, true, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "openai       | {\"object\":\"list\",\"data\":[{\"id\":\"gpt-local\",\"object\":\"model\",\"owned_by\":\"me\"}]} | gpt-local | ",
                "vllm         | {\"object\":\"list\",\"data\":[{\"id\":\"mistral\",\"object\":\"model\",\"max_model_len\":32768}]} | mistral | 32768",
                "exo          | {\"object\":\"list\",\"data\":[{\"id\":\"llama-3.2-1b\",\"owned_by\":\"exo\",\"ready\":true,\"context_length\":131072}]} | llama-3.2-1b | 131072",
                "lmstudio     | {\"data\":[{\"id\":\"qwen2.5-7b-instruct\",\"object\":\"model\",\"max_context_length\":32768}],\"object\":\"list\"} | qwen2.5-7b-instruct | 32768",
                "llamacpp     | {\"object\":\"list\",\"data\":[{\"id\":\"m.gguf\",\"meta\":{\"n_ctx_train\":8192,\"n_vocab\":32000}}]} | m.gguf | 8192",
            })
    void readsOpenAiModelListsAsEachServerSendsThem(String server, String json, String id, Integer ctx)
            throws Exception {
        assertThat(ModelListParser.openAiModels(b(json))).containsExactly(new ModelInfo(id, ctx, null, List.of()));
    }

    @Test
    void llamaCppCapabilitiesComeFromItsModelsArray() throws Exception {
        String json = """
                {"models":[{"name":"qwen.gguf","model":"qwen.gguf","capabilities":["completion","multimodal"]}],
                 "object":"list","data":[{"id":"qwen.gguf","object":"model","meta":{"n_ctx_train":32768}}]}""";
        assertThat(ModelListParser.openAiModels(b(json)))
                .containsExactly(new ModelInfo("qwen.gguf", 32768, null, List.of("completion", "multimodal")));
    }

    @Test
    void duplicateIdsAreListedOnce() throws Exception {
        assertThat(ModelListParser.openAiModels(b("{\"data\":[{\"id\":\"a\"},{\"id\":\"a\"},{\"id\":\"b\"}]}")))
                .extracting(ModelInfo::id)
                .containsExactly("a", "b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"data\":[{\"id\":}", "not json", "{\"data\":[]} trailing", "{\"data\":[\n{\"id\" 1}]}"})
    void brokenJsonSaysWhere(String json) {
        assertThatThrownBy(() -> ModelListParser.openAiModels(b(json)))
                .isInstanceOf(ModelListException.class)
                .hasMessageMatching("invalid JSON at line \\d+, column \\d+");
    }

    @Test
    void brokenJsonOnTheSecondLineNamesThatLine() {
        assertThatThrownBy(() -> ModelListParser.ollamaTags(b("{\"models\":[\n  {\"name\": oops}]}")))
                .hasMessage("invalid JSON at line 2, column 12");
    }

    @Test
    void jsonWithoutTheListIsUnexpected() {
        assertThatThrownBy(() -> ModelListParser.openAiModels(b("{\"object\":\"list\"}")))
                .hasMessage("unexpected JSON: no \"data\" list in the answer");
        assertThatThrownBy(() -> ModelListParser.ollamaTags(b("[]")))
                .hasMessage("unexpected JSON: no \"models\" list in the answer");
    }

    @Test
    void emptyBodyIsNotAList() {
        assertThatThrownBy(() -> ModelListParser.openAiModels(new byte[0]))
                .hasMessage("empty answer where a JSON model list was expected");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"error\":{\"code\":503,\"message\":\"Loading model\",\"type\":\"unavailable_error\"}} | true",
                "{\"status\":\"loading model\"} | true",
                "{\"status\":\"no slot available\"} | false"
            })
    void recognisesLlamaCppLoadingAnswers(String body, boolean loading) {
        assertThat(ModelListParser.saysLoading(b(body))).isEqualTo(loading);
    }
}
