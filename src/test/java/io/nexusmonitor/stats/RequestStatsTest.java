package io.nexusmonitor.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RequestStatsTest {
    private static final long T0 =
            1_700_000_000_000L - Math.floorMod(1_700_000_000_000L, 3_600_000L); // an hour's start
    private final AtomicLong now = new AtomicLong(T0 + 30_000);
    private final RequestStats stats = new RequestStats(now::get);

    private RequestRecord ok(String url, String model, long ttftMs, long totalMs, int in, int out) {
        return new RequestRecord(
                "id-" + url,
                url,
                "name-" + url,
                model,
                now.get(),
                ttftMs * 1_000_000,
                ttftMs * 1_000_000,
                totalMs * 1_000_000,
                in,
                out,
                false,
                Outcome.OK);
    }

    private RequestRecord failed(String url, String model, Outcome o) {
        return new RequestRecord(
                "id-" + url, url, "name-" + url, model, now.get(), -1, -1, 5_000_000, -1, -1, false, o);
    }

    @Test
    void percentilesCountsAndTokensPerPairBackendAndModel() {
        for (int i = 1; i <= 100; i++) {
            stats.finished(ok("http://a", "m1", i, 1000, 10, 101));
        }
        stats.finished(ok("http://b", "m1", 500, 600, 1, 2));
        stats.finished(failed("http://b", "m2", Outcome.SERVER_ERROR));
        stats.finished(failed("http://b", "m2", Outcome.CLIENT_ERROR));

        Summary a = stats.pair(Window.M1, "http://a", "m1");
        assertThat(a.requests()).isEqualTo(100);
        assertThat(a.ttftP50()).isCloseTo(50, within(1.0));
        assertThat(a.ttftP95()).isCloseTo(95, within(1.0));
        assertThat(a.ttftP99()).isCloseTo(99, within(1.0));
        assertThat(a.promptTokens()).isEqualTo(1000);
        assertThat(a.completionTokens()).isEqualTo(10100);
        // 100 tokens after the first in (1000 - ttft) ms each
        assertThat(a.tokensPerSecond()).isBetween(100.0, 112.0);

        Summary b = stats.backend(Window.H1, "http://b");
        assertThat(b.requests()).isEqualTo(3);
        assertThat(b.errors()).isEqualTo(1);
        assertThat(b.clientErrors()).isEqualTo(1);
        assertThat(b.errorRate()).isCloseTo(1 / 3.0, within(1e-9));
        assertThat(stats.model(Window.H24, "m1").requests()).isEqualTo(101);
        assertThat(stats.summary(Window.M15).requests()).isEqualTo(103);
        assertThat(stats.pairs())
                .extracting(p -> p.key().backendUrl() + " " + p.key().model())
                .containsExactly("http://a m1", "http://b m1", "http://b m2");
    }

    @Test
    void windowsForgetWhatIsOlderThanThey() {
        stats.finished(ok("http://a", "m", 10, 20, 1, 1));
        now.addAndGet(5 * 60_000);
        stats.finished(ok("http://a", "m", 10, 20, 1, 1));
        assertThat(stats.summary(Window.M1).requests()).isEqualTo(1);
        assertThat(stats.summary(Window.M15).requests()).isEqualTo(2);
        now.addAndGet(2 * 3_600_000);
        assertThat(stats.summary(Window.H1).requests()).isZero();
        assertThat(stats.summary(Window.H24).requests()).isEqualTo(2);
        now.addAndGet(25 * 3_600_000L);
        assertThat(stats.summary(Window.H24).requests()).isZero();
    }

    @Test
    void aBucketReusedAfterAnHourStartsEmpty() {
        stats.finished(ok("http://a", "m", 10, 20, 1, 1));
        now.addAndGet(61 * 60_000);
        stats.finished(ok("http://a", "m", 10, 20, 1, 1));
        assertThat(stats.summary(Window.M1).requests()).isEqualTo(1);
    }

    @Test
    void chartPointsAreOnePerBucketOldestFirst() {
        stats.finished(ok("http://a", "m", 10, 20, 1, 1));
        now.addAndGet(60_000);
        stats.finished(ok("http://a", "m", 30, 40, 1, 1));
        stats.finished(ok("http://a", "m", 30, 40, 1, 1));
        List<RequestStats.Point> minutes = stats.points(false, k -> true);
        assertThat(minutes).hasSize(60);
        assertThat(minutes.get(59).summary().requests()).isEqualTo(2);
        assertThat(minutes.get(58).summary().requests()).isEqualTo(1);
        assertThat(minutes.get(57).summary().requests()).isZero();
        assertThat(minutes.get(59).startMillis() - minutes.get(58).startMillis())
                .isEqualTo(60_000);
        assertThat(stats.points(true, k -> true))
                .hasSize(24)
                .last()
                .extracting(p -> p.summary().requests())
                .isEqualTo(3L);
    }

    @Test
    void hourRowsAreOnlyThoseWithRequestsSinceAVersion() {
        stats.finished(ok("http://a", "m", 10, 100, 1, 1));
        stats.finished(ok("http://b", "m", 10, 100, 1, 1));
        long written = stats.version();
        assertThat(stats.rows(true, 0, Long.MAX_VALUE, -1)).hasSize(2);
        assertThat(stats.rows(true, 0, Long.MAX_VALUE, written)).isEmpty();

        stats.finished(ok("http://b", "m", 10, 100, 1, 1));
        assertThat(stats.rows(true, 0, Long.MAX_VALUE, written)).singleElement().satisfies(r -> {
            assertThat(r.backendUrl()).isEqualTo("http://b");
            assertThat(r.requests()).isEqualTo(2); // the whole hour, not the new request alone
        });
        RequestStats restored = new RequestStats(now::get);
        restored.restore(stats.rows(true, 0, Long.MAX_VALUE));
        assertThat(restored.rows(true, 0, Long.MAX_VALUE, restored.version()))
                .as("rows read back from the history are not written again")
                .isEmpty();
    }

    @Test
    void historyRowsRestoreTheSameFigures() {
        for (int i = 1; i <= 50; i++) {
            stats.finished(ok("http://a", "m", i * 10, 2000, 3, 40));
        }
        stats.finished(failed("http://a", "m", Outcome.TIMEOUT));
        List<HistoryRow> minutes = stats.rows(false, 0, Long.MAX_VALUE);
        List<HistoryRow> hours = stats.rows(true, 0, Long.MAX_VALUE);
        assertThat(minutes).hasSize(1);
        assertThat(hours).hasSize(1);
        assertThat(minutes.get(0).ttftHistogram()).isNotEmpty();

        RequestStats again = new RequestStats(now::get);
        again.restore(minutes);
        again.restore(hours);
        Summary before = stats.summary(Window.H1);
        Summary after = again.summary(Window.H1);
        assertThat(after).isEqualTo(before);
        assertThat(again.summary(Window.H24)).isEqualTo(stats.summary(Window.H24));
        assertThat(again.pairs())
                .singleElement()
                .extracting(RequestStats.Pair::backendName)
                .isEqualTo("name-http://a");
    }

    @Test
    void tokensPerSecondNowCoversTheLastMinute() {
        stats.finished(ok("http://a", "m", 10, 20, 1, 900));
        // 30 s into the minute: the previous minute and these 30 s, 90 s
        assertThat(stats.tokensPerSecondNow()).isCloseTo(10.0, within(0.01));
        now.addAndGet(3 * 60_000);
        assertThat(stats.tokensPerSecondNow()).isZero();
    }
}
