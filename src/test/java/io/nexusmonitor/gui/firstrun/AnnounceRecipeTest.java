package io.nexusmonitor.gui.firstrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nexusmonitor.registry.BackendType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnnounceRecipeTest {

    @ParameterizedTest
    @CsvSource({
        "OLLAMA,11434,nexus-monitor announce --type ollama --port 11434",
        "VLLM,8000,nexus-monitor announce --type vllm --port 8000",
        "LLAMACPP,8081,nexus-monitor announce --type llamacpp --port 8081",
        "LMSTUDIO,1234,nexus-monitor announce --type lmstudio --port 1234",
    })
    void commandNamesTheTypeAndPortWithAnnouncesFlags(BackendType type, int port, String command) {
        assertThat(new AnnounceRecipe(type, port).command()).isEqualTo(command);
    }

    @Test
    void avahiFileForOllamaUsesItsOwnServiceTypeAndNoApiPath() {
        AnnounceRecipe r = new AnnounceRecipe(BackendType.OLLAMA, 11434);
        assertThat(r.avahiPath()).isEqualTo("/etc/avahi/services/ollama.service");
        assertThat(r.avahiFile())
                .contains("<type>_ollama._tcp</type>")
                .contains("<port>11434</port>")
                .contains("<txt-record>type=ollama</txt-record>")
                .doesNotContain("api_path")
                .startsWith(
                        "<?xml version=\"1.0\" standalone='no'?>\n<!DOCTYPE service-group SYSTEM \"avahi-service.dtd\">");
    }

    @Test
    void avahiFileForVllmAnnouncesLlmWithTheV1Path() {
        assertThat(new AnnounceRecipe(BackendType.VLLM, 8000).avahiFile())
                .contains("<type>_llm._tcp</type>")
                .contains("<port>8000</port>")
                .contains("<txt-record>type=vllm</txt-record>")
                .contains("<txt-record>api_path=/v1</txt-record>");
    }

    @ParameterizedTest
    @CsvSource({"8000,8000", " 1 ,1", "65535,65535", "0,", "65536,", "80a,", "'',"})
    void portsAreWholeNumbersFromOneTo65535(String typed, Integer expected) {
        assertThat(AnnounceRecipe.parsePort(typed).orElse(null)).isEqualTo(expected);
    }

    @Test
    void aPortOutOfRangeIsRefused() {
        assertThatThrownBy(() -> new AnnounceRecipe(BackendType.VLLM, 0)).hasMessageContaining("1..65535");
    }

    @Test
    void everyTypeHasADefaultPort() {
        for (BackendType t : BackendType.values()) {
            assertThat(AnnounceRecipe.defaultPort(t)).isBetween(1, 65535);
        }
    }
}
