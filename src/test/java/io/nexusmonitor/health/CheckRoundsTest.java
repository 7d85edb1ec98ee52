package io.nexusmonitor.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Periodic rounds: every backend once per interval, spread over it, on one scheduler. */
class CheckRoundsTest {
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    private final Map<String, List<Long>> dispatched = new ConcurrentHashMap<>();
    private final List<String> backends = new CopyOnWriteArrayList<>();
    private CheckRounds rounds;

    @AfterEach
    void stop() {
        rounds.stop();
        scheduler.shutdownNow();
    }

    private void start(long intervalMs) {
        rounds = new CheckRounds(
                scheduler,
                TimeUnit.MILLISECONDS.toNanos(intervalMs),
                () -> List.copyOf(backends),
                id -> dispatched
                        .computeIfAbsent(id, k -> new CopyOnWriteArrayList<>())
                        .add(System.nanoTime()));
        rounds.start();
    }

    @Test
    void everyBackendIsDispatchedOncePerRoundSpreadOverTheInterval() {
        for (int i = 0; i < 10; i++) {
            backends.add("b" + i);
        }
        start(1000);
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        dispatched.size() == 10 && dispatched.values().stream().allMatch(t -> !t.isEmpty()));
        List<Long> firsts = new ArrayList<>();
        dispatched.values().forEach(t -> firsts.add(t.get(0)));
        long span = firsts.stream().mapToLong(Long::longValue).max().getAsLong()
                - firsts.stream().mapToLong(Long::longValue).min().getAsLong();
        // 10 backends, 1 s: slices 100 ms apart, the last 900 ms after the first; at once would be ~0.
        // Half of that leaves room for a first slice that a busy machine starts late.
        assertThat(span).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(450));
    }

    @Test
    void roundsRepeatAndPickUpBackendsAddedSince() {
        backends.add("a");
        start(300);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> dispatched.getOrDefault("a", List.of()).size() >= 2);
        backends.add("late");
        await().atMost(Duration.ofSeconds(10)).until(() -> dispatched.containsKey("late"));
        backends.remove("a");
        int aCount = dispatched.get("a").size();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> dispatched.get("late").size() >= 3);
        assertThat(dispatched.get("a").size()).isLessThanOrEqualTo(aCount + 1);
    }

    @Test
    void nothingIsDispatchedAfterStop() {
        backends.add("a");
        start(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> dispatched.containsKey("a"));
        rounds.stop();
        int n = dispatched.get("a").size();
        await().during(Duration.ofMillis(600))
                .atMost(Duration.ofSeconds(5))
                .until(() -> dispatched.get("a").size() <= n + 1);
    }

    @Test
    void manyBackendsShareSlicesInsteadOfWakingTheSchedulerForEach() {
        for (int i = 0; i < 1000; i++) {
            backends.add("b" + i);
        }
        start(1000);
        await().atMost(Duration.ofSeconds(10)).until(() -> dispatched.size() == 1000);
        // a 1 s round has at most 200 slices of 5 ms: the 1000 dispatches come in at most 200 distinct wake-ups
        long wakeUps = dispatched.values().stream()
                .map(t -> t.get(0) / 1_000_000L)
                .distinct()
                .count();
        assertThat(wakeUps).isLessThanOrEqualTo(200 * 2); // millisecond buckets may split one slice in two
        assertThat(scheduler.getQueue().size())
                .isLessThanOrEqualTo(1); // one self-rescheduling task, not one per backend
    }
}
