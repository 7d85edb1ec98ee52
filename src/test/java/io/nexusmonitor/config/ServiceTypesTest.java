package io.nexusmonitor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceTypesTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "ollama",
                "_ollama",
                "_ollama._tcp",
                "_ollama._tcp.example.com",
                "ollama._tcp.local",
                "_-bad._tcp.local",
                "_waytoolongservicename._tcp.local",
                "_ollama._sctp.local"
            })
    void rejectsInvalidServiceTypes(String bad) {
        assertThatThrownBy(() -> ServiceTypes.normalize(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("service type");
    }

    @ParameterizedTest
    @CsvSource({
        "_ollama._tcp.local,_ollama._tcp.local.",
        "_LLM._TCP.LOCAL.,_llm._tcp.local.",
        "' _openai-api._tcp.local ',_openai-api._tcp.local."
    })
    void acceptsServiceTypesWithOrWithoutTrailingDot(String raw, String normal) {
        assertThat(ServiceTypes.normalize(raw)).isEqualTo(normal);
    }
}
