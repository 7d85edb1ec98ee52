package io.nexusmonitor.api;

import io.nexusmonitor.control.BackendControl;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * {@code GET /api/events}: Server-Sent Events for every registry change, any number of clients,
 * each with its own bounded buffer ({@link EventSubscriber}); a comment line every heartbeat
 * period keeps proxies and idle timeouts from closing a quiet stream. A client that asks for them
 * ({@code ?stats=true}) also gets a {@code stats} event (the last minute's figures, {@code GET
 * /api/stats?window=1m} without its pairs) at most once a second, and only when a request or a
 * check was recorded since the last one; other clients see only registry events, as before.
 */
final class EventsEndpoint implements Endpoint {
    private final BackendControl control;
    private final Scheduler scheduler;
    private final Duration heartbeat;
    private final int bufferSize;
    private final Set<EventSubscriber> subscribers = ConcurrentHashMap.newKeySet();
    /** Telemetry's change counter and the {@code stats} event's data. */
    private final java.util.function.LongSupplier statsVersion;

    private final java.util.function.Supplier<String> statsJson;
    private final java.util.concurrent.atomic.AtomicBoolean ticking = new java.util.concurrent.atomic.AtomicBoolean();
    private long sentVersion = Long.MIN_VALUE;

    EventsEndpoint(BackendControl control, Scheduler scheduler, Duration heartbeat, int bufferSize) {
        this(control, scheduler, heartbeat, bufferSize, () -> 0, () -> "{}");
    }

    EventsEndpoint(
            BackendControl control,
            Scheduler scheduler,
            Duration heartbeat,
            int bufferSize,
            java.util.function.LongSupplier statsVersion,
            java.util.function.Supplier<String> statsJson) {
        this.statsVersion = statsVersion;
        this.statsJson = statsJson;
        this.control = control;
        this.scheduler = scheduler;
        this.heartbeat = heartbeat;
        this.bufferSize = bufferSize;
    }

    @Override
    public void handle(Exchange exchange) {
        exchange.response().setStatus(200);
        exchange.response().getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        exchange.response().getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        exchange.response().getHeaders().put("X-Accel-Buffering", "no");
        EventSubscriber s = new EventSubscriber(exchange, control, bufferSize);
        s.wantsStats = wantsStats(exchange);
        subscribers.add(s);
        exchange.request().addFailureListener(s::fail);
        s.open(() -> subscribers.remove(s));
        scheduleHeartbeat(s);
        if (ticking.compareAndSet(false, true)) {
            scheduleStats();
        }
    }

    /** Once a second: a {@code stats} event to every client when something was measured since the last one. */
    private void scheduleStats() {
        try {
            scheduler.schedule(
                    () -> {
                        long v = statsVersion.getAsLong();
                        if (v != sentVersion && !subscribers.isEmpty()) {
                            sentVersion = v;
                            String frame = "event: stats\ndata: " + statsJson.get() + "\n\n";
                            for (EventSubscriber s : subscribers) {
                                if (s.wantsStats) {
                                    s.send(frame);
                                }
                            }
                        }
                        scheduleStats();
                    },
                    1,
                    TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            // the server is stopping
        }
    }

    private void scheduleHeartbeat(EventSubscriber s) {
        try {
            scheduler.schedule(
                    () -> {
                        if (!s.isClosed()) {
                            s.heartbeat();
                            scheduleHeartbeat(s);
                        }
                    },
                    heartbeat.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            s.end(); // the server is stopping
        }
    }

    private static boolean wantsStats(Exchange exchange) {
        try {
            String v = org.eclipse.jetty.server.Request.extractQueryParameters(
                            exchange.request(), java.nio.charset.StandardCharsets.UTF_8)
                    .getValue("stats");
            return v != null && (v.equals("true") || v.equals("1"));
        } catch (RuntimeException badQuery) {
            return false;
        }
    }

    int subscriberCount() {
        return subscribers.size();
    }

    /** Ends every stream (server stopping). */
    void closeAll() {
        for (EventSubscriber s : subscribers) {
            s.end();
        }
    }
}
