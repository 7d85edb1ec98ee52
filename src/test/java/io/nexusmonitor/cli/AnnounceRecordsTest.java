package io.nexusmonitor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.discovery.logic.TxtRecords;
import io.nexusmonitor.registry.BackendType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code announce --max-concurrent N} puts {@code max_concurrent=N} in the TXT records, which discovery reads back. */
class AnnounceRecordsTest {
    @Test
    void maxConcurrentGoesIntoTheTxtRecordsAndReadsBackAsTheCapacity() {
        Map<String, String> txt = AnnounceCommand.records(
                BackendType.LLAMACPP, null, 4, Map.of("MAX_CONCURRENT", "99", "version", "b4000"));
        assertThat(txt)
                .containsEntry("type", "llamacpp")
                .containsEntry("max_concurrent", "4")
                .containsEntry("version", "b4000");
        assertThat(TxtRecords.parse(txt, "_llm._tcp.local.", "test").maxConcurrent())
                .isEqualTo(4);
        assertThat(AnnounceCommand.records(BackendType.OLLAMA, null, null, Map.of()))
                .doesNotContainKey("max_concurrent");
    }
}
