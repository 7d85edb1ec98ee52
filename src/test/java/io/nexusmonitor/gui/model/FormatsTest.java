package io.nexusmonitor.gui.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.registry.ModelInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FormatsTest {
    private static final Instant NOW = Instant.parse("2026-11-24T20:00:00Z");

    @ParameterizedTest
    @CsvSource({
        "42000, removed in 0:42",
        "41001, removed in 0:42",
        "60000, removed in 1:00",
        "3723000, removed in 1:02:03",
        "0, removing…",
        "-5000, removing…"
    })
    void countdownRoundsUpToWholeSeconds(long millisLeft, String expected) {
        assertThat(Formats.countdown(NOW.plusMillis(millisLeft), NOW)).isEqualTo(expected);
    }

    @Test
    void noDeadlineIsNoCountdown() {
        assertThat(Formats.countdown(null, NOW)).isEmpty();
    }

    @Test
    void graceLeftIsTheShareOfThePeriod() {
        assertThat(Formats.graceLeft(NOW.plusSeconds(30), NOW, Duration.ofSeconds(60)))
                .isEqualTo(0.5);
        assertThat(Formats.graceLeft(NOW.minusSeconds(1), NOW, Duration.ofSeconds(60)))
                .isZero();
        assertThat(Formats.graceLeft(NOW.plusSeconds(90), NOW, Duration.ofSeconds(60)))
                .isEqualTo(1.0);
    }

    @Test
    void modelListShowsWhatIsKnown() {
        assertThat(Formats.modelList(
                        List.of(new ModelInfo("llama3:8b", 8192, true, List.of("completion")), ModelInfo.of("qwen"))))
                .isEqualTo("llama3:8b  (loaded)  ctx 8192  [completion]\nqwen");
        assertThat(Formats.modelList(List.of())).isEqualTo("no models");
    }

    @Test
    void latencyKeepsOneDecimalBelowTenMilliseconds() {
        assertThat(Formats.latency(4.26)).isEqualTo("4.3 ms");
        assertThat(Formats.latency(123.4)).isEqualTo("123 ms");
        assertThat(Formats.latency(null)).isEqualTo("—");
    }
}
