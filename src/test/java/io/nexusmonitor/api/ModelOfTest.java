package io.nexusmonitor.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How the gateway reads {@code model} from a request body without building a tree. */
class ModelOfTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"model\":\"llama3\"}|llama3",
                "{\"messages\":[{\"model\":\"inner\"}],\"model\":\"outer\"}|outer",
                "{\"stream\":true,\"model\":\"qwen2:7b\",\"options\":{\"a\":[1,2,{\"b\":null}]}}|qwen2:7b",
                "  {\"model\" : \"x\" }  |x"
            })
    void findsTheTopLevelModel(String body, String model) {
        assertThat(GatewayEndpoint.modelOf(b(body))).isEqualTo(model);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{not json|invalid_json",
                "[1,2]|invalid_json",
                "{\"model\":\"a\"} {}|invalid_json",
                "{\"model\":\"a\"|invalid_json",
                "|invalid_json",
                "{}|missing_model",
                "{\"model\":null}|missing_model",
                "{\"x\":{\"model\":\"nested\"}}|missing_model",
                "{\"model\":42}|invalid_model",
                "{\"model\":{\"id\":\"a\"}}|invalid_model",
                "{\"model\":\"  \"}|invalid_model"
            })
    void refusesBadBodiesWithTheRightCode(String body, String code) {
        assertThatThrownBy(() -> GatewayEndpoint.modelOf(b(body == null ? "" : body)))
                .isInstanceOfSatisfying(ApiError.Failure.class, f -> {
                    assertThat(f.error().status()).isEqualTo(400);
                    assertThat(f.error().code()).isEqualTo(code);
                });
    }

    @org.junit.jupiter.api.Test
    void rewritingTheModelKeepsEverythingElse() throws Exception {
        byte[] out =
                GatewayEndpoint.withModel(b("{\"model\":\"gpt-4\",\"stream\":true,\"messages\":[]}"), "llama3:70b");
        assertThat(new String(out, StandardCharsets.UTF_8))
                .isEqualTo("{\"model\":\"llama3:70b\",\"stream\":true,\"messages\":[]}");
    }
}
