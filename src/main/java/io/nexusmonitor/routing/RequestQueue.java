package io.nexusmonitor.routing;

import io.nexusmonitor.config.NexusConfig;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's wait line: one bounded queue per model, ordered by priority ({@code high},
 * {@code normal}, {@code low}) and first come first served within each. A request joins when the
 * router says it must wait ({@link RouteDecision.Route#mustWait()}) or when others for its model
 * already wait (so none overtakes them). It leaves when a slot frees (a request ends, {@link
 * RouteStats#onSlotFreed}), when a better candidate appears (checked on every tick of one shared
 * timer, every {@value #TICK_MS} ms while any request waits: a backend became healthy, a probe found
 * the model loaded; an empty queue does not wake up), when
 * its wait passes {@code max_wait_seconds}, or at once when its client goes away. Waiting holds no
 * thread: a waiter is a small object until it is dispatched.
 *
 * <p>A request whose model only an asleep box holds (issue 17) is queued the same way while {@link
 * Wakes} wakes that box: it is dispatched the moment the box passes a health check, and answered
 * {@link Waiter#asleep} when the box has not answered within its {@code wake_timeout_seconds}.
 *
 * <p>Decisions for one model are made under that model's lock, and a dispatched request is
 * counted in flight ({@link RouteStats#start}) before the lock is released, so two decisions never
 * give the same free slot away twice.
 */
public final class RequestQueue implements AutoCloseable {
    static final long TICK_MS = 100;

    public enum Priority {
        HIGH,
        NORMAL,
        LOW;

        /** {@code X-Nexus-Priority}: high, normal or low (any case); null or anything else is normal. */
        public static Priority parse(String header) {
            if (header == null) {
                return NORMAL;
            }
            return switch (header.trim().toLowerCase(Locale.ROOT)) {
                case "high" -> HIGH;
                case "low" -> LOW;
                default -> NORMAL;
            };
        }
    }

    /** A request that may wait; the queue calls exactly one of its methods, once, outside its locks. */
    public interface Waiter {
        /** Go: {@code first} is the first candidate's slot, already counted. */
        void dispatch(RouteDecision.Route route, RouteStats.Flight first);

        /** The route changed to "cannot serve" while waiting (every backend gone). */
        void refuse(RouteDecision.NoRoute no);

        /** Waited longer than {@code max_wait_seconds}. */
        void timedOut(long waitedMs);

        /**
         * The box it waited for did not wake: {@code why} is a sentence, {@code retryAfterSeconds}
         * a hint for {@code Retry-After}.
         */
        void asleep(String backend, String why, long retryAfterSeconds);
    }

    /** Wakes the asleep box that alone holds a model, so a request for it can wait in the queue. */
    public interface Wakes {
        /** None: every request is routed as the registry stands. */
        Wakes NONE = model -> null;

        /**
         * Starts (or joins) the wake of the asleep box that alone holds this model (after aliases);
         * null when no asleep box holds it or an awake one does.
         */
        @Nullable
        Wake wakeFor(String model);
    }

    /** A wake the queue waits on. */
    public sealed interface Wake permits Waking, CannotWake {}

    /**
     * Under way: {@code woke} completes true once the box is healthy, false when its wake timeout
     * passed (or it was removed).
     */
    public record Waking(String backend, int timeoutSeconds, CompletableFuture<Boolean> woke) implements Wake {}

    /** The packet could not be sent: {@code why} is a sentence. */
    public record CannotWake(String backend, String why) implements Wake {}

    /** What happened to a request offered to the queue. */
    public sealed interface Outcome permits Dispatched, Refused, Queued, Full, Asleep {}

    /** Sent now; the caller proxies it. */
    public record Dispatched(RouteDecision.Route route, RouteStats.Flight first) implements Outcome {}

    /** Cannot be served at all. */
    public record Refused(RouteDecision.NoRoute no) implements Outcome {}

    /** Waits; {@link Ticket#leave()} when the client goes away. */
    public record Queued(Ticket ticket) implements Outcome {}

    /** The model's queue is full; {@code retryAfterSeconds} is a hint for {@code Retry-After}. */
    public record Full(int depth, long retryAfterSeconds) implements Outcome {}

    /** Only an asleep box holds the model and it cannot be woken now. */
    public record Asleep(String backend, String why, long retryAfterSeconds) implements Outcome {}

    /** One waiting request. */
    public static final class Ticket {
        private final Line line;
        private final Waiter waiter;
        private final Priority priority;
        /** The wake it waits for; null for a request that waits for a slot. */
        private final @Nullable Waking wake;

        private final long enqueuedNanos = System.nanoTime();
        private final AtomicBoolean done = new AtomicBoolean();

        private Ticket(Line line, Waiter waiter, Priority priority, @Nullable Waking wake) {
            this.line = line;
            this.waiter = waiter;
            this.priority = priority;
            this.wake = wake;
        }

        /** Its wake ended without the box answering. */
        private boolean wakeFailed() {
            return wake != null
                    && wake.woke().isDone()
                    && !Boolean.TRUE.equals(wake.woke().getNow(false));
        }

        /** The client went away: out of the queue at once (no-op once dispatched). */
        public void leave() {
            if (done.compareAndSet(false, true)) {
                synchronized (line) {
                    line.queues[priority.ordinal()].remove(this);
                }
                line.left.incrementAndGet();
            }
        }
    }

    /** One model's queue and its counters. */
    private static final class Line {
        final String model;

        @SuppressWarnings("unchecked")
        final ArrayDeque<Ticket>[] queues =
                new ArrayDeque[] {new ArrayDeque<>(), new ArrayDeque<>(), new ArrayDeque<>()};

        final AtomicLong dispatched = new AtomicLong();
        final AtomicLong timedOut = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        final AtomicLong left = new AtomicLong();
        final AtomicLong asleep = new AtomicLong();
        final AtomicLong waitedNanos = new AtomicLong();

        Line(String model) {
            this.model = model;
        }

        int depth() {
            return queues[0].size() + queues[1].size() + queues[2].size();
        }

        int waking() {
            int n = 0;
            for (ArrayDeque<Ticket> q : queues) {
                for (Ticket t : q) {
                    if (t.wake != null) {
                        n++;
                    }
                }
            }
            return n;
        }

        @Nullable
        Ticket head() {
            for (ArrayDeque<Ticket> q : queues) {
                Ticket t = q.peekFirst();
                if (t != null) {
                    return t;
                }
            }
            return null;
        }

        long oldestNanos() {
            long oldest = Long.MAX_VALUE;
            for (ArrayDeque<Ticket> q : queues) {
                Ticket t = q.peekFirst();
                if (t != null) {
                    oldest = Math.min(oldest, t.enqueuedNanos);
                }
            }
            return oldest;
        }
    }

    private final ModelRouter router;
    private final int maxSize;
    private final long maxWaitNanos;
    private final Map<String, Line> lines = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();
    /** Pumps run one at a time; a cue during a pump makes it go round once more. */
    private final AtomicInteger pumpCues = new AtomicInteger();

    private final java.util.function.LongConsumer waitRecorder;
    private final Wakes wakes;
    private final ScheduledExecutorService timer;
    /** Whether a tick is scheduled. */
    private final AtomicBoolean ticking = new AtomicBoolean();

    /**
     * @param timer        runs the tick; owned by the caller
     * @param waitRecorder gets each dispatched waiter's wait in nanoseconds (metrics)
     */
    public RequestQueue(
            ModelRouter router,
            NexusConfig.Queue config,
            ScheduledExecutorService timer,
            java.util.function.LongConsumer waitRecorder) {
        this(router, config, timer, waitRecorder, Wakes.NONE);
    }

    /**
     * @param wakes wakes the asleep box that alone holds a model; its requests wait here meanwhile
     */
    public RequestQueue(
            ModelRouter router,
            NexusConfig.Queue config,
            ScheduledExecutorService timer,
            java.util.function.LongConsumer waitRecorder,
            Wakes wakes) {
        this.router = router;
        this.maxSize = config.maxSize();
        this.maxWaitNanos = TimeUnit.SECONDS.toNanos(config.maxWaitSeconds());
        this.waitRecorder = waitRecorder;
        this.wakes = Objects.requireNonNull(wakes);
        this.timer = timer;
        router.stats().onSlotFreed(this::cue);
    }

    /** Starts the tick when the first request waits; it stops itself once none does. */
    private void armTick() {
        if (ticking.compareAndSet(false, true)) {
            try {
                timer.schedule(this::tickWhileWaiting, TICK_MS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                ticking.set(false); // the timer is stopping with the server
            }
        }
    }

    private void tickWhileWaiting() {
        tick();
        ticking.set(false);
        if (waiting.get() > 0) { // also a request that joined while ticking was still set
            armTick();
        }
    }

    /** Requests waiting now, over every model. */
    public int waiting() {
        return waiting.get();
    }

    public int maxWaitSeconds() {
        return (int) TimeUnit.NANOSECONDS.toSeconds(maxWaitNanos);
    }

    private Line line(String model) {
        Line l = lines.get(model);
        return l != null ? l : lines.computeIfAbsent(model, Line::new);
    }

    /**
     * Routes a request: sent now when the best candidate has a free slot and nobody of its model
     * waits; else queued (or refused when the queue is full).
     */
    public Outcome offer(String requestedModel, Priority priority, Waiter waiter) {
        Line line = line(requestedModel);
        RouteDecision d;
        synchronized (line) {
            d = router.route(requestedModel);
            Waking wake = null;
            if (d instanceof RouteDecision.NoRoute no) {
                Wake w = no.reason() == RouteDecision.Reason.NO_HEALTHY_BACKEND
                        ? wakes.wakeFor(router.resolve(requestedModel))
                        : null;
                if (w == null) {
                    return new Refused(no);
                }
                if (w instanceof CannotWake c) {
                    line.asleep.incrementAndGet();
                    return new Asleep(c.backend(), c.why(), retryAfterSeconds(maxWaitSeconds()));
                }
                wake = (Waking) w;
            } else {
                RouteDecision.Route route = (RouteDecision.Route) d;
                if (maxSize == 0 || (line.depth() == 0 && !route.mustWait())) {
                    return new Dispatched(
                            route,
                            router.stats().start(route.candidates().get(0).backend(), route.model()));
                }
            }
            // a waking box has no slot to wait for: with the queue off (max_size = 0) its requests still wait for it
            if ((wake == null || maxSize > 0) && line.depth() >= maxSize) {
                line.rejected.incrementAndGet();
                long oldest = line.oldestNanos();
                long waited = oldest == Long.MAX_VALUE ? 0 : System.nanoTime() - oldest;
                return new Full(line.depth(), Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waited + 999_999_999)));
            }
            Ticket t = new Ticket(line, waiter, priority, wake);
            line.queues[priority.ordinal()].addLast(t);
            waiting.incrementAndGet();
            if (wake != null) {
                // the moment the box passes a check (or its wake ends), the queue looks again, off this thread
                var unused = wake.woke().whenComplete((ok, e) -> timer.execute(this::tick));
            }
            armTick();
            return new Queued(t);
        }
    }

    /** A quarter of the wait that just ended, at least a second: the {@code Retry-After} hint. */
    private static long retryAfterSeconds(int waitedSeconds) {
        return Math.max(1, waitedSeconds / 4);
    }

    /** A slot may have freed: try the heads of the queues. */
    void cue() {
        if (waiting.get() == 0) {
            return;
        }
        if (pumpCues.getAndIncrement() != 0) {
            return; // the running pump goes round again
        }
        do {
            pumpCues.set(1); // cues that came meanwhile make one more round, however many they were
            pumpAll();
        } while (pumpCues.decrementAndGet() != 0);
    }

    private void pumpAll() {
        for (Line line : lines.values()) {
            pump(line);
        }
    }

    /** Dispatches from the head of one model's queue while its best candidate has a free slot. */
    private void pump(Line line) {
        while (true) {
            Ticket t;
            RouteDecision d;
            RouteStats.Flight first = null;
            synchronized (line) {
                t = line.head();
                if (t == null) {
                    return;
                }
                d = router.route(line.model);
                if (d instanceof RouteDecision.Route route) {
                    if (route.mustWait()) {
                        return;
                    }
                    first = router.stats().start(route.candidates().get(0).backend(), route.model());
                } else if (t.wake != null && !t.wake.woke().isDone()) {
                    return; // its box is still waking; the tick answers it when the wake ends
                } else if (t.wakeFailed()) {
                    return; // the tick answers it (and every other request that waited for that box)
                }
                line.queues[t.priority.ordinal()].pollFirst();
            }
            waiting.decrementAndGet();
            if (!t.done.compareAndSet(false, true)) {
                if (first != null) {
                    first.end(false); // left just now: give the slot back
                }
                continue;
            }
            long waited = System.nanoTime() - t.enqueuedNanos;
            line.waitedNanos.addAndGet(waited);
            if (d instanceof RouteDecision.Route route) {
                line.dispatched.incrementAndGet();
                waitRecorder.accept(waited);
                t.waiter.dispatch(route, Objects.requireNonNull(first)); // started above for every Route

            } else {
                t.waiter.refuse((RouteDecision.NoRoute) d);
            }
        }
    }

    /** Every tick: expire waits past the limit, then look for better candidates. */
    private void tick() {
        try {
            if (waiting.get() == 0) {
                return;
            }
            long now = System.nanoTime();
            List<Ticket> expired = new ArrayList<>();
            for (Line line : lines.values()) {
                synchronized (line) {
                    for (ArrayDeque<Ticket> q : line.queues) {
                        for (var it = q.iterator(); it.hasNext(); ) {
                            Ticket t = it.next();
                            if (t.wakeFailed() || now - t.enqueuedNanos > maxWaitNanos(t)) {
                                it.remove();
                                expired.add(t);
                            }
                        }
                    }
                }
            }
            for (Ticket t : expired) {
                waiting.decrementAndGet();
                if (!t.done.compareAndSet(false, true)) {
                    continue;
                }
                Waking w = t.wake;
                if (w != null && t.wakeFailed()) {
                    t.line.asleep.incrementAndGet();
                    t.waiter.asleep(
                            w.backend(),
                            "it did not answer within " + w.timeoutSeconds()
                                    + " s of the Wake-on-LAN packet (wake_timeout_seconds)",
                            retryAfterSeconds(w.timeoutSeconds()));
                } else {
                    t.line.timedOut.incrementAndGet();
                    t.waiter.timedOut(TimeUnit.NANOSECONDS.toMillis(now - t.enqueuedNanos));
                }
            }
            cue();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(RequestQueue.class).warn("gateway queue tick failed", e);
        }
    }

    /**
     * A request that waits for a box to wake may wait its wake timeout, then {@code max_wait_seconds}
     * for a slot once the box is up; any other waits {@code max_wait_seconds}.
     */
    private long maxWaitNanos(Ticket t) {
        return t.wake == null ? maxWaitNanos : maxWaitNanos + TimeUnit.SECONDS.toNanos(t.wake.timeoutSeconds());
    }

    /**
     * Per model: depth now (of which {@code waking} wait for an asleep box), oldest wait, and counts
     * since start ({@code asleep}: answered because the box did not wake); models that never queued
     * are left out.
     */
    public record ModelQueue(
            String model,
            int depth,
            double oldestWaitSeconds,
            long dispatchedAfterWaiting,
            long timedOut,
            long rejected,
            long left,
            int waking,
            long asleep) {}

    public List<ModelQueue> snapshot() {
        long now = System.nanoTime();
        Map<String, ModelQueue> out = new TreeMap<>();
        for (Line line : lines.values()) {
            synchronized (line) {
                long oldest = line.oldestNanos();
                long everQueued = line.timedOut.get()
                        + line.rejected.get()
                        + line.left.get()
                        + line.asleep.get()
                        + line.waitedNanos.get();
                if (line.depth() == 0 && everQueued == 0) {
                    continue;
                }
                out.put(
                        line.model,
                        new ModelQueue(
                                line.model,
                                line.depth(),
                                oldest == Long.MAX_VALUE ? 0 : (now - oldest) / 1e9,
                                line.dispatched.get(),
                                line.timedOut.get(),
                                line.rejected.get(),
                                line.left.get(),
                                line.waking(),
                                line.asleep.get()));
            }
        }
        return new ArrayList<>(out.values());
    }

    @Override
    public void close() {
        // the timer belongs to the caller; waiting requests end with their connections
    }
}
