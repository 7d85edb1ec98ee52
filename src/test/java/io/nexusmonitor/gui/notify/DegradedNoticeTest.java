package io.nexusmonitor.gui.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.config.NexusConfig;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code [notifications] on_degraded}: crossings are coalesced like found/removed, and can be switched off. */
class DegradedNoticeTest {
    private static final Instant T0 = Instant.parse("2026-11-24T20:00:00Z");

    @Test
    void degradedBackendsInOneBurstAreOneNotice() {
        NoticePolicy policy = new NoticePolicy(NexusConfig.Notifications.defaults());
        policy.offerDegraded("http://a", "gpu-a", "25 % of 8 requests failed in the last 15 min", T0);
        policy.offerDegraded(
                "http://b", "gpu-b", "time to first token p95 12.0 s in the last 15 min", T0.plusSeconds(1));
        assertThat(policy.due(T0.plusSeconds(1))).isEmpty();
        assertThat(policy.due(T0.plusSeconds(3)))
                .hasValue(new Notice(
                        "2 backends degraded",
                        "Degraded: gpu-a (25 % of 8 requests failed in the last 15 min), gpu-b (time to first token p95 12.0 s in the "
                                + "last 15 min)",
                        List.of(),
                        0,
                        2));
    }

    @Test
    void theSameBackendIsNotAnnouncedAgainWithinAMinute() {
        NoticePolicy policy = new NoticePolicy(NexusConfig.Notifications.defaults());
        policy.offerDegraded("http://a", "gpu-a", "slow", T0);
        assertThat(policy.due(T0.plusSeconds(3))).isPresent();
        policy.offerDegraded("http://a", "gpu-a", "slow", T0.plusSeconds(30));
        assertThat(policy.due(T0.plusSeconds(40))).isEmpty();
        policy.offerDegraded("http://a", "gpu-a", "slow", T0.plusSeconds(90));
        assertThat(policy.due(T0.plusSeconds(93))).isPresent();
    }

    @Test
    void offWhenTheConfigSaysSo() {
        NoticePolicy policy = new NoticePolicy(new NexusConfig.Notifications(true, true, true, false, 20, 10));
        policy.offerDegraded("http://a", "gpu-a", "slow", T0);
        assertThat(policy.due(T0.plusSeconds(3))).isEmpty();
    }
}
