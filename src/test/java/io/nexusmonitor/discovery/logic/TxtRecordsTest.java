package io.nexusmonitor.discovery.logic;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.registry.BackendType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TxtRecordsTest {

    private static ServiceMetadata parse(Map<String, String> txt, String type) {
        return TxtRecords.parse(txt, type, "test._llm._tcp.local.");
    }

    @Test
    void emptyTxtGivesTheDefaultsOfTheServiceType() {
        ServiceMetadata m = parse(Map.of(), "_llm._tcp.local.");
        assertThat(m.type()).isEqualTo(BackendType.GENERIC);
        assertThat(m.apiPath()).isEqualTo("/v1");
        assertThat(m.version()).isNull();
        assertThat(m.modelHints()).isEmpty();
        assertThat(m.txt()).isEmpty();
    }

    @Test
    void typeOllamaFromTxt() {
        ServiceMetadata m = parse(Map.of("type", "ollama"), "_llm._tcp.local.");
        assertThat(m.type()).isEqualTo(BackendType.OLLAMA);
        assertThat(m.apiPath()).isEmpty();
    }

    @Test
    void typeVllmFromTxtWinsOverTheServiceType() {
        ServiceMetadata m = parse(Map.of("type", "vllm"), "_ollama._tcp.local.");
        assertThat(m.type()).isEqualTo(BackendType.VLLM);
        assertThat(m.apiPath()).isEqualTo("/v1");
    }

    @ParameterizedTest
    @CsvSource({
        "/v1,/v1",
        "v1,/v1",
        "/v1/,/v1",
        "/,''",
        "/openai/v1,/openai/v1",
        "'/bad path',/v1",
        "/a?b=c,/v1",
        "/../etc,/v1"
    })
    void apiPathIsExtractedAndCleanedAndBadOnesFallBackToTheDefault(String raw, String expected) {
        assertThat(parse(Map.of("api_path", raw), "_llm._tcp.local.").apiPath()).isEqualTo(expected);
    }

    @Test
    void versionIsExtracted() {
        assertThat(parse(Map.of("version", "1.0.0"), "_llm._tcp.local.").version())
                .isEqualTo("1.0.0");
    }

    @Test
    void unknownKeysAreKeptAndDoNotFail() {
        Map<String, String> txt = new LinkedHashMap<>();
        txt.put("gpu", "rtx4090");
        txt.put("type", "spaceship");
        txt.put("models", "llama3:8b, qwen2:7b,,llama3:8b");
        ServiceMetadata m = parse(txt, "_ollama._tcp.local.");
        assertThat(m.txt()).containsEntry("gpu", "rtx4090").containsEntry("type", "spaceship");
        assertThat(m.type()).isEqualTo(BackendType.OLLAMA);
        assertThat(m.modelHints()).containsExactly("llama3:8b", "qwen2:7b");
    }

    @ParameterizedTest
    @CsvSource({
        "_ollama._tcp.local.,OLLAMA",
        "_OLLAMA._TCP.local.,OLLAMA",
        "_llm._tcp.local.,GENERIC",
        "_openai._tcp.local.,GENERIC"
    })
    void typeIsInferredFromTheServiceType(String serviceType, BackendType expected) {
        assertThat(TxtRecords.inferType(serviceType)).isEqualTo(expected);
    }

    // --- wire format ---

    private static byte[] rdata(String... strings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String s : strings) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.write(b.length);
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    @Test
    void decodesKeysCaseInsensitivelyFirstOneWinsFlagsHaveEmptyValues() {
        Map<String, String> m =
                TxtRecords.decode(rdata("Type=vllm", "type=ollama", "gpu", "note=a=b", "name=Grüße"), "x");
        assertThat(m)
                .containsExactly(
                        Map.entry("type", "vllm"),
                        Map.entry("gpu", ""),
                        Map.entry("note", "a=b"),
                        Map.entry("name", "Grüße"));
    }

    @Test
    void malformedTxtIsSkippedNeverThrown() {
        byte[] truncated = {5, 'a', '=', 'b', 3, 'x'};
        assertThat(TxtRecords.decode(truncated, "x")).containsExactly(Map.entry("a", "b\u0003x"));
        byte[] cut = {3, 'a', '=', 'b', 9, 'x'};
        assertThat(TxtRecords.decode(cut, "x")).containsExactly(Map.entry("a", "b"));
        assertThat(TxtRecords.decode(rdata("=novalue", "ok=1"), "x")).containsExactly(Map.entry("ok", "1"));
        byte[] badKey = {4, (byte) 0xff, '=', '1', '2', 4, 'k', '=', (byte) 0xc3, (byte) 0x28};
        assertThat(TxtRecords.decode(badKey, "x")).containsOnlyKeys("k");
        assertThat(TxtRecords.decode(new byte[] {0}, "x")).isEmpty();
        assertThat(TxtRecords.decode(null, "x")).isEmpty();
    }
}
