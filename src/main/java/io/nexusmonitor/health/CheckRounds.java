package io.nexusmonitor.health;

import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodic checks spread evenly over the interval: a round takes the current backends and
 * dispatches them one slice at a time, slice k at {@code start + k * interval / slices}, so 1000
 * backends at 30 s are 1000 checks 30 ms apart, never a burst. One self-rescheduling task on the
 * shared scheduler does it: no task or thread per backend. Backends added during a round wait for
 * the next one (they were checked at once when added).
 */
final class CheckRounds {
    private static final Logger log = LoggerFactory.getLogger(CheckRounds.class);
    /** Below this spacing, slices hold several backends: the scheduler need not wake 1000 times a second. */
    private static final long MIN_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final ScheduledExecutorService scheduler;
    private final long intervalNanos;
    private final Supplier<List<String>> backends;
    private final Consumer<String> dispatch;
    private volatile boolean running;
    private volatile @Nullable ScheduledFuture<?> next;

    CheckRounds(
            ScheduledExecutorService scheduler,
            long intervalNanos,
            Supplier<List<String>> backends,
            Consumer<String> dispatch) {
        this.scheduler = scheduler;
        this.intervalNanos = intervalNanos;
        this.backends = backends;
        this.dispatch = dispatch;
    }

    /** The first round starts one interval from now (everything was just checked at start-up). */
    void start() {
        running = true;
        schedule(this::round, System.nanoTime() + intervalNanos);
    }

    void stop() {
        running = false;
        ScheduledFuture<?> f = next;
        if (f != null) {
            f.cancel(false);
        }
    }

    private void round() {
        long start = System.nanoTime();
        List<String> ids = backends.get();
        if (ids.isEmpty()) {
            schedule(this::round, start + intervalNanos);
            return;
        }
        int slices = (int) Math.max(1, Math.min(ids.size(), intervalNanos / MIN_SLICE_NANOS));
        log.debug("health round: {} backend(s) in {} slice(s)", ids.size(), slices);
        slice(ids, 0, slices, start);
    }

    private void slice(List<String> ids, int k, int slices, long start) {
        int from = (int) ((long) k * ids.size() / slices);
        int to = (int) ((long) (k + 1) * ids.size() / slices);
        for (int i = from; i < to; i++) {
            try {
                dispatch.accept(ids.get(i));
            } catch (RuntimeException e) {
                log.warn("health check of {} could not start", ids.get(i), e);
            }
        }
        if (k + 1 < slices) {
            schedule(() -> slice(ids, k + 1, slices, start), start + (k + 1) * (intervalNanos / slices));
        } else {
            schedule(this::round, start + intervalNanos);
        }
    }

    private void schedule(Runnable task, long atNanos) {
        if (!running) {
            return;
        }
        try {
            next = scheduler.schedule(task, Math.max(0, atNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            running = false; // the engine is shutting down
        }
    }
}
