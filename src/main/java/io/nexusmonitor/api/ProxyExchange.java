package io.nexusmonitor.api;

import io.nexusmonitor.health.logic.BackendEndpoints;
import io.nexusmonitor.metrics.NexusMetrics;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.LogText;
import io.nexusmonitor.registry.Registry;
import io.nexusmonitor.routing.Candidate;
import io.nexusmonitor.routing.Circuit;
import io.nexusmonitor.routing.RouteDecision;
import io.nexusmonitor.routing.RouteStats;
import io.nexusmonitor.stats.Outcome;
import io.nexusmonitor.stats.RequestListener;
import io.nexusmonitor.stats.RequestRecord;
import io.nexusmonitor.stats.UsageRequest;
import io.nexusmonitor.stats.UsageScanner;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway request on its way through the candidates. Each attempt forwards the body with
 * Jetty's async client and, once the backend's headers say it will answer (not a 5xx), passes
 * the answer through chunk by chunk: a chunk is written to the client as soon as it arrives and
 * the next is read only when that write is done, so nothing is buffered and a slow client slows
 * the backend rather than filling memory. A connect failure or a 5xx before anything reached the
 * client moves on to the next candidate. The client going away aborts the upstream request.
 * Every attempt calls {@code requestStarted} once and {@code requestFinished} exactly once, and
 * feeds {@link RouteStats} (in flight, time to first byte, service time) and the {@link Circuit}
 * (connection refused, timeouts and 5xx count toward the backend's failure threshold).
 */
final class ProxyExchange {
    private static final Logger log = LoggerFactory.getLogger(ProxyExchange.class);

    private final Exchange exchange;
    private final RouteDecision.Route route;
    private final byte[] body;
    private final Registry registry;
    private final HttpClient client;
    private final NexusMetrics metrics;
    private final Duration timeout;
    private final LoopGuard loops;
    private final HttpField hop;
    private final long startedNanos;
    private final String path;
    private final List<String> failures = new ArrayList<>();
    private final AtomicBoolean recorded = new AtomicBoolean();
    private int next;
    /** How many candidates were given up because they lead back to this gateway. */
    private int looped;

    private volatile @Nullable Attempt current;
    private volatile @Nullable Throwable clientFailure;
    private final RouteStats stats;
    private final Circuit circuit;
    private final Consumer<String> checkNow;
    /** The first candidate's slot, counted when the decision was made; null once an attempt took it. */
    private RouteStats.@Nullable Flight reserved;

    /** What the gateway shares with every exchange: learned figures, the circuit, a probe on demand, the telemetry. */
    record Scheduling(RouteStats stats, Circuit circuit, Consumer<String> checkNow, RequestListener telemetry) {
        Scheduling(RouteStats stats, Circuit circuit, Consumer<String> checkNow) {
            this(stats, circuit, checkNow, RequestListener.NONE);
        }
    }

    private final RequestListener telemetry;
    /** The gateway added {@code stream_options.include_usage}: the extra usage event is not the caller's. */
    private final boolean askedUsage;

    ProxyExchange(
            Exchange exchange,
            RouteDecision.Route route,
            byte[] body,
            Registry registry,
            HttpClient client,
            NexusMetrics metrics,
            Duration timeout,
            LoopGuard loops,
            HttpField hop,
            long startedNanos,
            Scheduling scheduling,
            RouteStats.Flight reserved) {
        this.stats = scheduling.stats();
        this.circuit = scheduling.circuit();
        this.checkNow = scheduling.checkNow();
        this.reserved = reserved;
        this.exchange = exchange;
        this.route = route;
        this.telemetry = scheduling.telemetry();
        this.askedUsage = !exchange.path().endsWith("/embeddings") && UsageRequest.shouldAsk(body);
        this.body = askedUsage ? UsageRequest.ask(body) : body;
        this.registry = registry;
        this.client = client;
        this.metrics = metrics;
        this.timeout = timeout;
        this.loops = loops;
        this.hop = hop;
        this.startedNanos = startedNanos;
        this.path = exchange.path();
    }

    void start() {
        exchange.request().addFailureListener(this::clientGone);
        tryNext();
    }

    /** The client connection failed or closed: stop the upstream request. */
    private void clientGone(Throwable failure) {
        clientFailure = failure;
        Attempt a = current;
        if (a != null) {
            a.upstream.abort(failure);
        }
    }

    /** Gives back the first candidate's slot when no attempt will use it. */
    private void releaseReserved() {
        if (reserved != null) {
            reserved.end(false);
            reserved = null;
        }
    }

    private void tryNext() {
        if (clientFailure != null) {
            releaseReserved();
            record(null, "client_closed");
            exchange.callback().failed(clientFailure);
            return;
        }
        Candidate c = null;
        while (next < route.candidates().size()) {
            c = route.candidates().get(next++);
            if (!loops.pointsHere(c.backend().url())) {
                break;
            }
            selfLoop(c.backend(), "it points at this gateway's own address");
            if (next == 1) {
                releaseReserved();
            }
            c = null;
        }
        if (c == null) {
            releaseReserved();
            int n = route.candidates().size();
            String which = n == 1 ? "the backend" : "all " + n + " backends";
            if (looped == n) {
                answerError(
                        LoopGuard.loop(which + " for model '" + route.model() + "' lead back to this gateway: "
                                + String.join("; ", failures)),
                        lastBackendName());
            } else {
                answerError(
                        new ApiError(
                                502,
                                ApiError.SERVER_ERROR,
                                "backend_error",
                                which + " tried for model '" + route.model() + "' failed: "
                                        + String.join("; ", failures)),
                        lastBackendName());
            }
            return;
        }
        Attempt a = new Attempt(c, next - 1);
        current = a;
        a.send();
    }

    /** A candidate that would send the request back here: skipped, and said so in the answer and the log. */
    private void selfLoop(Backend b, String why) {
        looped++;
        String who = registry.label(b);
        failures.add(who + ": skipped, " + why);
        if (loops.firstWarning(b.url())) {
            log.warn(
                    "not proxying to {}: {}, which would make a loop (logged once per backend)",
                    LogText.of(who),
                    LogText.of(why));
        }
    }

    private @Nullable String lastBackendName() {
        return next == 0 ? null : route.candidates().get(next - 1).backend().name();
    }

    private void answerError(ApiError error, @Nullable String backend) {
        record(backend, Integer.toString(error.status()));
        exchange.error(error);
    }

    private void record(@Nullable String backend, String status) {
        if (recorded.compareAndSet(false, true)) {
            long now = System.nanoTime();
            metrics.recordRequest(backend, route.requestedModel(), status, (now - startedNanos) / 1e9);
            Attempt a = current;
            if (a != null && a.flight != null) {
                a.report(status, now);
            }
        }
    }

    /**
     * Where an attempt goes: the parsed URI and its {@code Host} field, by backend URL and path.
     * Parsing a URI per request showed up in profiles, and so did the client rebuilding a URI from
     * its parts to derive {@code Host} when the request carries none.
     */
    record Upstream(URI uri, HttpField host) {}

    private static final Map<String, Upstream> UPSTREAMS = new ConcurrentHashMap<>();
    private static final int UPSTREAM_CACHE_LIMIT = 10_000;

    static Upstream upstream(Backend backend, String path) {
        String txtPath = backend.mdns() == null ? null : backend.mdns().txt().get(BackendEndpoints.TXT_API_PATH);
        String key = txtPath == null
                ? backend.url() + ' ' + backend.type().ordinal() + path
                : backend.url() + ' ' + backend.type().ordinal() + ' ' + txtPath + path;
        Upstream cached = UPSTREAMS.get(key);
        if (cached != null) {
            return cached;
        }
        // the one rule the health checks use too: a backend registered with its API root (".../v1")
        // gets "/chat/completions", not "/v1/v1/...", and an announced api_path is honoured
        URI uri = URI.create(
                BackendEndpoints.of(backend.url(), backend.type(), txtPath).openAi(path));
        // the value Jetty's client would derive itself (the URI's authority)
        Upstream u = new Upstream(uri, new HttpField(HttpHeader.HOST, uri.getRawAuthority()));
        if (UPSTREAMS.size() >= UPSTREAM_CACHE_LIMIT) {
            UPSTREAMS.clear();
        }
        UPSTREAMS.put(key, u);
        return u;
    }

    /** X-Nexus-* values must be plain ASCII header text, whatever a backend calls itself. */
    static String headerSafe(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) >= 0x20 && s.charAt(i) < 0x7f) {
            i++;
        }
        if (i == s.length()) {
            return s; // the usual case, on every request: nothing to replace, nothing to allocate
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int k = 0; k < s.length(); k++) {
            char ch = s.charAt(k);
            b.append(ch >= 0x20 && ch < 0x7f ? ch : '?');
        }

        return b.toString();
    }

    /** One try against one backend. */
    private final class Attempt implements Response.Listener {
        private final Backend backend;
        private final int index;
        private final Request upstream;
        private final AtomicBoolean finished = new AtomicBoolean();
        private boolean committed;
        private boolean retry;
        private Content.Source source;
        private boolean writing;
        private @Nullable Result pendingResult;
        private RouteStats.Flight flight;
        private boolean firstByte;
        /** Reads usage from the answer; null before the answer is committed or when it is compressed. */
        private UsageScanner usage;
        /**
         * The demand callback: marked non-blocking (pump only reads, hands the chunk to an async
         * write and returns), so the client reads the next chunk on the selector thread that saw
         * it arrive. A plain Runnable counts as blocking to Jetty, which then handed every chunk
         * of every stream to another pool thread (bench/streams.sh: a thread wake-up per chunk).
         */
        private final Invocable.Task pumpTask = Invocable.from(Invocable.InvocationType.NON_BLOCKING, this::pump);
        /**
         * An answer of known length (one or two chunks) is read on with Jetty's default instead:
         * marked non-blocking there, completing the exchange ran on the client's selector and cost
         * 7-27 % more CPU per request in bench/gateway.sh. Streams (no Content-Length) use {@link #pumpTask}.
         */
        private Runnable demand = this::pump;

        @SuppressWarnings("NullAway.Init") // source and flight: set by send() and onContentSource() before any read
        Attempt(Candidate candidate, int index) {
            this.backend = candidate.backend();
            this.index = index;
            Upstream target = upstream(backend, path);
            this.upstream = client.newRequest(target.uri())
                    .method(HttpMethod.POST)
                    .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .body(new BytesRequestContent("application/json", body))
                    .headers(h -> {
                        h.put(target.host());
                        h.put(hop);
                        UpstreamHeaders.copyRequest(exchange.request().getHeaders(), h, backend.settings());
                    });
        }

        void send() {
            registry.requestStarted(backend.id());
            if (index == 0 && reserved != null) {
                flight = reserved;
                reserved = null;
            } else {
                flight = stats.start(backend, route.model());
            }
            upstream.send(this);
        }

        private void finish(boolean completed) {
            if (finished.compareAndSet(false, true)) {
                registry.requestFinished(backend.id());
                flight.end(completed);
            }
        }

        /** The first body byte of the answer: the time to first token. A load it waited for is over. */
        private void firstByte() {
            if (!firstByte) {
                firstByte = true;
                flight.firstByte();
                if (flight.cold()) {
                    checkNow.accept(backend.id()); // residency changed: read it now, not at the next round
                }
            }
        }

        /** A proxied request failed before answering: toward the backend's failure threshold. */
        private void countFailure(Circuit.Failure kind, @Nullable String detail) {
            if (circuit.failure(backend.id(), kind, detail)) {
                log.info(
                        "backend {} taken out of routing after a failed request ({}); probes bring it back",
                        LogText.of(registry.label(backend)),
                        LogText.of(detail == null ? kind.name() : detail));
                checkNow.accept(backend.id());
            }
        }

        /** The finished request for the telemetry: RouteStats' own start and first byte, this end, the usage read. */
        void report(String status, long nowNanos) {
            long start = flight.startNanos();
            long first = flight.firstByteNanos();
            UsageScanner.Usage u = usage == null ? null : usage.usage();
            long firstToken = usage != null && usage.firstContentNanos() > 0 ? usage.firstContentNanos() : first;
            Outcome outcome = status.equals("client_closed")
                    ? Outcome.CANCELLED
                    : status.equals("aborted") ? Outcome.SERVER_ERROR : Outcome.ofStatus(Integer.parseInt(status));
            telemetry.finished(new RequestRecord(
                    backend.id(),
                    backend.url(),
                    backend.name(),
                    route.model(),
                    System.currentTimeMillis(),
                    first == 0 ? -1 : first - start,
                    firstToken == 0 ? -1 : firstToken - start,
                    nowNanos - start,
                    u == null ? -1 : u.promptTokens(),
                    u == null ? -1 : u.completionTokens(),
                    u != null && u.estimated(),
                    outcome));
        }

        private boolean moreCandidates() {
            return next < route.candidates().size();
        }

        @Override
        public void onHeaders(Response response) {
            int status = response.getStatus();
            if (status == 508) { // another hop found the loop (say, through a name or a NAT only it can see)
                selfLoop(backend, "it answered 508 (loop detected)");
                retry = true;
                response.abort(new RetryableStatus(status));
                return;
            }
            if (status >= 500) {
                if (status != 503) { // 503: busy or loading, not dead
                    countFailure(Circuit.Failure.SERVER_ERROR, "HTTP " + status);
                }
                failures.add(registry.label(backend) + ": HTTP " + status);
                retry = true;
                response.abort(new RetryableStatus(status));
                return;
            }
            circuit.success(backend.id());
            commit(response);
        }

        private void commit(Response response) {
            org.eclipse.jetty.server.Response down = exchange.response();
            down.setStatus(response.getStatus());
            HttpFields.Mutable headers = down.getHeaders();
            UpstreamHeaders.copyResponse(response.getHeaders(), headers);
            String encoding = response.getHeaders().get(HttpHeader.CONTENT_ENCODING);
            if (encoding == null || encoding.equalsIgnoreCase("identity")) {
                String type = response.getHeaders().get(HttpHeader.CONTENT_TYPE);
                boolean stream = type != null && (type.contains("event-stream") || type.contains("ndjson"));
                usage = new UsageScanner(stream, askedUsage);
                if (stream && askedUsage) {
                    headers.remove(HttpHeader.CONTENT_LENGTH); // the usage event we asked for is taken out
                }
            }
            headers.put("X-Nexus-Backend", headerSafe(registry.label(backend)));
            headers.put("X-Nexus-Route-Reason", headerSafe(reason()));
            if (route.fallbackModel() != null) {
                headers.put("X-Nexus-Fallback-Model", headerSafe(route.fallbackModel()));
            }
            committed = true;
        }

        private String reason() {
            String first = route.candidates().get(index).reason();
            if (route.via().isEmpty() && index == 0) {
                return first;
            }
            StringBuilder r = new StringBuilder(first);
            if (!route.via().isEmpty()) {
                r.append("; ").append(route.via());
            }
            if (index > 0) {
                r.append("; retry ").append(index).append(" after ").append(String.join(", ", failures));
            }
            return r.toString();
        }

        @Override
        public void onContentSource(Response response, Content.Source content) {
            if (!committed) {
                return;
            }
            source = content;
            if (response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH) < 0) {
                demand = pumpTask;
            }
            pump();
        }

        /** Reads one chunk and writes it to the client; the write's completion reads the next. */
        private void pump() {
            while (true) {
                Content.Chunk chunk = source.read();
                if (chunk == null) {
                    source.demand(demand);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    upstream.abort(chunk.getFailure());
                    return;
                }
                if (!chunk.hasRemaining()) {
                    chunk.release();
                    if (chunk.isLast()) {
                        return;
                    }
                    continue;
                }
                firstByte();
                ByteBuffer out = usage == null ? chunk.getByteBuffer() : usage.filter(chunk.getByteBuffer());
                if (!out.hasRemaining()) { // all of it was the usage event the gateway asked for, or is held
                    chunk.release();
                    if (chunk.isLast()) {
                        return;
                    }
                    continue;
                }
                synchronized (this) {
                    writing = true;
                }
                boolean last = chunk.isLast();
                ChunkWrite write = chunkWrite;
                write.prepare(chunk, last);
                exchange.response().write(false, out, write);
                // whichever of this thread and the write's callback gets here second carries on,
                // so writes that complete at once loop here instead of recursing through pump()
                if (write.handoff.compareAndSet(false, true)) {
                    return; // the callback will carry on
                }
                if (written() || last || clientFailure != null) {
                    return;
                }
            }
        }

        /** The write of the chunk in flight: one object for all of them, since the next chunk is read only after it. */
        private final ChunkWrite chunkWrite = new ChunkWrite();

        /**
         * Completes the write of one chunk: releases it and, when {@link #pump()} has already
         * returned, reads the next. It stays a blocking callback (Jetty's default): when a write
         * completes later, on the server's selector, what follows (the next chunk or completing
         * the exchange, which resumes the client's connection with its next request) must not run
         * on that one selector thread; marked non-blocking it doubled CPU per request in
         * bench/gateway.sh (81-131 -> 211-278 us). One per attempt, reused, instead of a callback
         * and a flag allocated per chunk.
         */
        private final class ChunkWrite implements Callback {
            /** Set by whichever of pump() and this callback gets there first; the second carries on. */
            final AtomicBoolean handoff = new AtomicBoolean();

            private Content.@Nullable Chunk chunk;
            private boolean last;

            void prepare(Content.Chunk c, boolean isLast) {
                chunk = c;
                last = isLast;
                handoff.set(false);
            }

            /** The chunk, taken out before the handoff: once handed off, pump() may prepare the next one. */
            private Content.@Nullable Chunk take() {
                Content.Chunk c = chunk;
                chunk = null;
                return c;
            }

            @Override
            public void succeeded() {
                boolean wasLast = last;
                Content.Chunk c = take();
                if (c != null) {
                    c.release();
                }
                if (!handoff.compareAndSet(false, true) && !written() && !wasLast) {
                    pump();
                }
            }

            @Override
            public void failed(Throwable failure) {
                Content.Chunk c = take();
                if (c != null) {
                    c.release();
                }
                clientFailure = failure;
                upstream.abort(failure);
                handoff.set(true);
                written();
            }
        }

        /** A write ended; if the upstream completed meanwhile, complete now. True when it did. */
        private boolean written() {
            Result done;
            synchronized (this) {
                writing = false;
                done = pendingResult;
                pendingResult = null;
            }
            if (done != null) {
                complete(done);
                return true;
            }
            return false;
        }

        @Override
        public void onComplete(Result result) {
            synchronized (this) {
                if (writing) {
                    pendingResult = result;
                    return;
                }
            }
            complete(result);
        }

        private void complete(Result result) {
            finish(committed && result.isSucceeded() && clientFailure == null);
            if (committed) {
                if (result.isSucceeded() && clientFailure == null) {
                    record(backend.name(), Integer.toString(exchange.response().getStatus()));
                    exchange.response()
                            .write(true, usage == null ? BufferUtil.EMPTY_BUFFER : usage.rest(), exchange.callback());
                } else {
                    Throwable f = clientFailure != null ? clientFailure : result.getFailure();
                    record(backend.name(), clientFailure != null ? "client_closed" : "aborted");
                    log.debug("stream from {} ended early: {}", LogText.of(registry.label(backend)), LogText.of(f));
                    exchange.callback().failed(f);
                }
                return;
            }
            Throwable failure = result.getFailure();
            if (clientFailure != null) {
                record(backend.name(), "client_closed");
                exchange.callback().failed(clientFailure);
            } else if (retry) {
                tryNext();
            } else if (isSelfAddress(failure)) {
                selfLoop(backend, "its address is this gateway's own");
                tryNext();
            } else if (isTimeout(failure)) {
                countFailure(Circuit.Failure.TIMEOUT, "timeout after " + timeout.toSeconds() + " s");
                answerError(
                        new ApiError(
                                504,
                                ApiError.SERVER_ERROR,
                                "backend_timeout",
                                registry.label(backend)
                                        + " did not answer model '" + route.model() + "' within " + timeout.toSeconds()
                                        + " s (request_timeout_seconds)"),
                        backend.name());
            } else {
                if (isRefused(failure)) {
                    countFailure(Circuit.Failure.CONNECTION_REFUSED, null);
                } else {
                    countFailure(Circuit.Failure.CONNECT_FAILED, describe(failure));
                }
                failures.add(registry.label(backend) + ": " + describe(failure));
                if (moreCandidates()) {
                    log.debug(
                            "{} failed before answering ({}), trying the next backend",
                            LogText.of(registry.label(backend)),
                            LogText.of(describe(failure)));
                }
                tryNext();
            }
        }
    }

    private static boolean isSelfAddress(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof LoopGuard.SelfAddress) {
                return true;
            }
        }
        return false;
    }

    private static boolean isRefused(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTimeout(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        String name = root.getClass().getSimpleName().replaceAll("Exception$", "");
        return m == null || m.isBlank() ? name.toLowerCase(Locale.ROOT) : m;
    }

    /** Marks an attempt given up because the backend answered 5xx before any byte reached the client. */
    private static final class RetryableStatus extends Exception {
        RetryableStatus(int status) {
            super("HTTP " + status, null, false, false);
        }
    }
}
