package io.nexusmonitor.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What a LAN host's status endpoint may answer, and what the monitor makes of it. */
class GpuStatusJsonTest {
    private static GpuStatusJson.Status parse(String s) throws GpuStatusJson.BadStatus {
        return GpuStatusJson.parse(s.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "<html> | the status endpoint's answer is not JSON",
                "[1,2] | the status endpoint's answer is not a JSON object",
                "{\"read_at\":\"2026-12-01T10:00:00Z\"} | the status endpoint's answer has no \"gpus\" array",
                "{\"gpus\":[]} | the status endpoint's answer has no valid \"read_at\" time",
                "{\"gpus\":[{\"name\":\"x\"}],\"read_at\":\"2026-12-01T10:00:00Z\"} | a GPU in the status endpoint's answer has no \"index\" or \"name\"",
            })
    void refusesWhatIsNotAStatusWithASentence(String body, String why) {
        assertThatThrownBy(() -> parse(body))
                .isInstanceOf(GpuStatusJson.BadStatus.class)
                .hasMessage(why);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"24564\"", "-1", "2.5", "99999999999999", "null", "true"})
    void aFigureOfTheWrongKindIsUnknownNotAGuess(String value) throws Exception {
        var s = parse("{\"gpus\":[{\"index\":0,\"name\":\"A\\u001b[31mB\",\"vram_total_mb\":" + value
                + ",\"utilization_percent\":" + value + "}],\"read_at\":\"2026-12-01T10:00:00Z\"}");
        assertThat(s.gpus().get(0).vramTotalMb()).isNull();
        assertThat(s.gpus().get(0).utilPercent()).isNull();
        assertThat(s.gpus().get(0).name()).isEqualTo("A[31mB");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3})
    void readsEveryGpu(int n) throws Exception {
        StringBuilder b = new StringBuilder("{\"gpus\":[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("{\"index\":").append(i).append(",\"name\":\"G\",\"vram_used_mb\":7}");
        }
        var s = parse(b.append("],\"read_at\":\"2026-12-01T10:00:00Z\"}").toString());
        assertThat(s.gpus()).hasSize(n);
        assertThat(s.gpus()).allSatisfy(g -> assertThat(g.vramUsedMb()).isEqualTo(7));
    }
}
