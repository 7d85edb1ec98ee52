package io.nexusmonitor.health.logic;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.MdnsInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProbePlanTest {

    private static Backend backend(String url, BackendType type, String txtApiPath) {
        Backend b = Backend.create("id", "b", url, type, BackendSource.MDNS, 50, Instant.EPOCH);
        if (txtApiPath != null) {
            b = b.withMdns(new MdnsInfo(
                    "b._llm._tcp.local.",
                    "_llm._tcp.local.",
                    "b.local.",
                    List.of(),
                    Map.of("api_path", txtApiPath),
                    Instant.EPOCH,
                    Instant.EPOCH));
        }
        return b;
    }

    private static List<String> urls(Backend b) {
        return ProbePlan.forBackend(b).stream().map(ProbeStep::url).toList();
    }

    @ParameterizedTest(name = "{1} at {0} (api_path {2}) probes {3}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                "http://h:11434        | OLLAMA   | -        | http://h:11434/api/tags http://h:11434/api/ps",
                "http://h:8000         | VLLM     | -        | http://h:8000/v1/models",
                "http://h:8000/v1      | VLLM     | -        | http://h:8000/v1/models",
                "http://h:52415        | EXO      | -        | http://h:52415/v1/models",
                "http://h:1234         | LMSTUDIO | -        | http://h:1234/v1/models http://h:1234/api/v0/models",
                "https://api.h/v1      | OPENAI   | -        | https://api.h/v1/models",
                "http://h:9000         | GENERIC  | -        | http://h:9000/v1/models",
                "http://h:8080         | LLAMACPP | -        | http://h:8080/health http://h:8080/v1/models http://h:8080/props http://h:8080/slots",
                "http://h:8080/v1      | LLAMACPP | -        | http://h:8080/health http://h:8080/v1/models http://h:8080/props http://h:8080/slots",
                "http://h:9000         | GENERIC  | /api/v2  | http://h:9000/api/v2/models",
                "http://h:9000/api/v2  | GENERIC  | /api/v2  | http://h:9000/api/v2/models",
                "http://h:9000         | GENERIC  | openai/  | http://h:9000/openai/models",
                "http://h:9000         | GENERIC  | ''       | http://h:9000/models",
                "http://h:11434/v1     | OLLAMA   | -        | http://h:11434/api/tags http://h:11434/api/ps",
                "http://h/prefix/b7    | OLLAMA   | -        | http://h/prefix/b7/api/tags http://h/prefix/b7/api/ps",
            })
    void probesTheTypesEndpointsRelativeToTheApiPathWithoutDoublingV1(
            String url, BackendType type, String apiPath, String expected) {
        assertThat(urls(backend(url, type, apiPath))).containsExactly(expected.split(" "));
    }

    @ParameterizedTest
    @CsvSource({"OLLAMA, OLLAMA_TAGS", "LLAMACPP, LLAMACPP_HEALTH", "VLLM, OPENAI_MODELS", "GENERIC, OPENAI_MODELS"})
    void onlyTheFirstProbeDecidesUpOrDown(BackendType type, ProbeStep.Kind first) {
        List<ProbeStep> steps = ProbePlan.forBackend(backend("http://h:1", type, null));
        assertThat(steps.get(0).kind()).isEqualTo(first);
        assertThat(steps.get(0).primary()).isTrue();
        assertThat(steps.subList(1, steps.size())).noneMatch(ProbeStep::primary);
    }

    @ParameterizedTest
    @CsvSource({"http://h:1/api/tags, /api/tags", "http://h:1, /", "https://h/v1/models, /v1/models"})
    void stepPathIsTheUrlsPath(String url, String path) {
        assertThat(new ProbeStep(url, ProbeStep.Kind.OPENAI_MODELS, true).path())
                .isEqualTo(path);
    }

    @ParameterizedTest
    @CsvSource({
        "http://h:8000/v1, VLLM, http://h:8000, http://h:8000/v1",
        "http://h:11434, OLLAMA, http://h:11434, http://h:11434"
    })
    void endpointsSplitServerRootAndApiRoot(String url, BackendType type, String server, String api) {
        BackendEndpoints e = BackendEndpoints.of(url, type, null);
        assertThat(e.serverRoot()).isEqualTo(server);
        assertThat(e.apiRoot()).isEqualTo(api);
    }
}
