package io.nexusmonitor.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeartbeatsTest {
    @Test
    void keepsTheLastSixtyChecksOldestFirst() {
        Heartbeats h = new Heartbeats();
        for (int i = 0; i < 75; i++) {
            h.record("b1", new Heartbeats.Beat(i, i % 2 == 0 ? Heartbeats.Kind.OK : Heartbeats.Kind.FAILED, i));
        }
        assertThat(h.of("b1", 100))
                .hasSize(Heartbeats.KEEP)
                .first()
                .extracting(Heartbeats.Beat::atMillis)
                .isEqualTo(15L);
        assertThat(h.of("b1", 30))
                .hasSize(30)
                .last()
                .extracting(Heartbeats.Beat::atMillis)
                .isEqualTo(74L);
        assertThat(h.of("other", 30)).isEmpty();
        h.forget("b1");
        assertThat(h.of("b1", 30)).isEmpty();
    }

    @Test
    void trayTextSaysSpeedAndQueue() {
        Telemetry t = new Telemetry(() -> 1_700_000_040_000L);
        assertThat(t.trayText(0)).isEqualTo("no tokens in the last minute");
        t.listener()
                .finished(new RequestRecord(
                        "i", "http://a", "a", "m", 1_700_000_040_000L, 1, 1, 2, 1, 2520, false, Outcome.OK));
        assertThat(t.trayText(3)).isEqualTo("42 tokens/s · 3 queued"); // 2520 tokens over the previous minute
    }
}
