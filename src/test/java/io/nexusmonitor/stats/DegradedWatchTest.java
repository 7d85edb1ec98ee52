package io.nexusmonitor.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DegradedWatchTest {
    private final AtomicLong now = new AtomicLong(1_700_000_030_000L);
    private final RequestStats stats = new RequestStats(now::get);
    private final DegradedWatch watch = new DegradedWatch(20, 10);

    private void request(String url, long ttftMs, Outcome o) {
        stats.finished(new RequestRecord(
                "id",
                url,
                "box-" + url.substring(url.length() - 1),
                "m",
                now.get(),
                ttftMs * 1_000_000,
                ttftMs * 1_000_000,
                (ttftMs + 10) * 1_000_000,
                1,
                1,
                false,
                o));
    }

    @Test
    void aBackendWhoseErrorsCrossTheThresholdIsReportedOnceUntilItRecovers() {
        for (int i = 0; i < 8; i++) {
            request("http://a", 100, i < 2 ? Outcome.SERVER_ERROR : Outcome.OK); // 25 %
        }
        assertThat(watch.check(stats)).singleElement().satisfies(d -> {
            assertThat(d.name()).isEqualTo("box-a");
            assertThat(d.why()).isEqualTo("25 % of 8 requests failed in the last 15 min");
        });
        assertThat(watch.check(stats)).isEmpty();
        for (int i = 0; i < 20; i++) {
            request("http://a", 100, Outcome.OK); // 2 of 28: recovered
        }
        assertThat(watch.check(stats)).isEmpty();
        for (int i = 0; i < 10; i++) {
            request("http://a", 100, Outcome.TIMEOUT);
        }
        assertThat(watch.check(stats)).hasSize(1);
    }

    @Test
    void aSlowFirstTokenCountsAndFewRequestsDoNot() {
        for (int i = 0; i < 4; i++) {
            request("http://b", 30_000, Outcome.OK);
        }
        assertThat(watch.check(stats)).isEmpty(); // 4 < MIN_REQUESTS
        request("http://b", 30_000, Outcome.OK);
        assertThat(watch.check(stats))
                .singleElement()
                .extracting(DegradedWatch.Degraded::why)
                .asString()
                .startsWith("time to first token p95 30.");
    }
}
