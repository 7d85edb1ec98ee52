package io.nexusmonitor.discovery.logic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InstanceKeyTest {
    private static final String T = "_ollama._tcp.local.";

    @ParameterizedTest
    @CsvSource({
        "GPU-Box._ollama._tcp.local., _ollama._tcp.local.",
        "gpu-box._ollama._tcp.local, _ollama._tcp.local.",
        "GPU-BOX._OLLAMA._TCP.LOCAL., _ollama._tcp.local",
        "gpu-box._ollama._tcp.local., _Ollama._tcp.local.",
    })
    void everySpellingOfOneInstanceIsOneKey(String instance, String type) {
        InstanceKey k = InstanceKey.of(instance, type);

        assertThat(k).isEqualTo(new InstanceKey(T, "gpu-box"));
        assertThat(k).hasToString("gpu-box._ollama._tcp.local.");
    }

    @Test
    void theSameLabelOfAnotherTypeIsAnotherInstance() {
        assertThat(InstanceKey.of("box._ollama._tcp.local.", T))
                .isNotEqualTo(InstanceKey.of("box._vllm._tcp.local.", "_vllm._tcp.local."));
    }

    @Test
    void anEscapedDotStaysInTheLabel() {
        assertThat(InstanceKey.of("GPU\\.Lab._ollama._tcp.local.", T).label()).isEqualTo("gpu\\.lab");
    }

    @Test
    void aNameOfAnotherTypeKeepsItsWholeNameAsLabel() {
        assertThat(InstanceKey.of("box._vllm._tcp.local.", T)).isEqualTo(new InstanceKey(T, "box._vllm._tcp.local"));
    }

    @Test
    void ofAnyTypeFindsTheBrowsedTypeOrNothing() {
        List<String> browsed = List.of("_vllm._tcp.local.", T);

        assertThat(InstanceKey.ofAnyType("Box._Ollama._tcp.local", browsed)).contains(new InstanceKey(T, "box"));
        assertThat(InstanceKey.ofAnyType("box._llamacpp._tcp.local.", browsed)).isEmpty();
    }
}
