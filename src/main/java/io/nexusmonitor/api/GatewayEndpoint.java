package io.nexusmonitor.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexusmonitor.control.BackendControl;
import io.nexusmonitor.json.BackendJson;
import io.nexusmonitor.metrics.NexusMetrics;
import io.nexusmonitor.routing.ModelRouter;
import io.nexusmonitor.routing.RequestQueue;
import io.nexusmonitor.routing.RouteDecision;
import io.nexusmonitor.routing.RouteStats;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /v1/chat/completions}, {@code /v1/completions}, {@code /v1/embeddings}: refuses a
 * request that has already passed this gateway ({@link LoopGuard}, 508), reads the body (capped),
 * takes {@code model}, offers it to the {@link RequestQueue} (which asks the router and sends it
 * at once when its best backend has a free slot, else keeps it waiting: 429 {@code queue_full}
 * when the model's queue is full, 503 {@code queue_timeout} past {@code max_wait_seconds}, 503
 * {@code backend_asleep} when the asleep box it waited for did not wake, each with {@code
 * Retry-After}), and hands it to a {@link ProxyExchange} that forwards it and streams
 * the answer back. A client that goes away while waiting leaves the queue at once.
 */
final class GatewayEndpoint implements Endpoint {
    private final BackendControl control;
    private final HttpClient client;
    private final NexusMetrics metrics;
    private final long maxBodyBytes;
    private final Duration timeout;
    private final LoopGuard loops;
    private final RequestQueue queue;
    private final ProxyExchange.Scheduling scheduling;

    GatewayEndpoint(
            BackendControl control,
            ModelRouter router,
            HttpClient client,
            NexusMetrics metrics,
            ApiSettings settings,
            LoopGuard loops,
            RequestQueue queue,
            ProxyExchange.Scheduling scheduling) {
        this.queue = queue;
        this.scheduling = scheduling;
        this.control = control;
        this.client = client;
        this.metrics = metrics;
        this.maxBodyBytes = settings.maxBodyBytes();
        this.timeout = settings.requestTimeout();
        this.loops = loops;
        metrics.labelConfiguredModels(router.configuredModelNames());
    }

    @Override
    public void handle(Exchange exchange) {
        long started = System.nanoTime();
        List<String> hops = LoopGuard.hops(exchange.request().getHeaders());
        ApiError loop = loops.refusal(hops);
        if (loop != null) {
            refuseBody(exchange, loop, started);
            return;
        }
        long declared = exchange.request().getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (declared > maxBodyBytes) {
            refuseBody(exchange, tooLarge(), started);
            return;
        }
        // one byte over the cap is enough to know it is too large
        int cap = (int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1);
        // the continuation never blocks, so Jetty may run it on the thread that read the last bytes
        Content.Source.asByteArrayAsync(
                exchange.request(),
                cap,
                Promise.Invocable.from(InvocationType.NON_BLOCKING, (byte[] body, Throwable failure) -> {
                    if (failure instanceof IOException) {
                        exchange.callback().failed(failure); // the client went away or sent a broken body
                    } else if (failure != null || body.length > maxBodyBytes) {
                        refuseBody(exchange, tooLarge(), started);
                    } else {
                        // a refusal answers with its status; anything unexpected answers 500 instead of hanging
                        ApiHandler.run(exchange, ex -> {
                            try {
                                dispatch(ex, body, hops, started);
                            } catch (ApiError.Failure e) {
                                refuse(ex, e.error(), started);
                            }
                        });
                    }
                }));
    }

    /**
     * The body's top-level {@code model}, read with a streaming parser that validates the whole
     * body but builds no tree (the body is forwarded as it came unless an alias or fallback changes
     * the model).
     *
     * @throws ApiError.Failure 400 for bad JSON, a body that is not an object, a missing or non-string model
     */
    static String modelOf(byte[] body) {
        JsonToken modelToken = null;
        String model = null;
        try (JsonParser p = BackendJson.MAPPER.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ApiError.badRequest("invalid_json", "request body must be a JSON object")
                        .asException();
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean isModel = p.currentName().equals("model");
                JsonToken value = p.nextToken();
                if (isModel) {
                    modelToken = value;
                    model = value == JsonToken.VALUE_STRING ? p.getText() : null;
                }
                p.skipChildren();
            }
            if (p.nextToken() != null) {
                throw ApiError.badRequest("invalid_json", "request body has more after the JSON object")
                        .asException();
            }
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("invalid_json", "request body is not valid JSON: " + e.getOriginalMessage())
                    .asException();
        } catch (IOException e) {
            throw ApiError.badRequest("invalid_json", "request body cannot be read as JSON")
                    .asException();
        }
        if (modelToken == null || modelToken == JsonToken.VALUE_NULL) {
            throw ApiError.badRequest(
                            "missing_model",
                            "request body has no 'model'; say which model to use, "
                                    + "e.g. {\"model\": \"llama3:8b\", ...} (GET /v1/models lists them)")
                    .asException();
        }
        if (model == null || model.isBlank()) {
            throw ApiError.badRequest("invalid_model", "'model' must be a non-empty string")
                    .asException();
        }
        return model;
    }

    /** The body with {@code model} replaced (an alias or fallback chose another one). */
    static byte[] withModel(byte[] body, String model) {
        try {
            ObjectNode json = (ObjectNode) BackendJson.MAPPER.readTree(body);
            json.put("model", model);
            return BackendJson.MAPPER.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new IllegalStateException("cannot rewrite a body that parsed a moment ago", e);
        }
    }

    private ApiError tooLarge() {
        return new ApiError(
                413,
                ApiError.INVALID_REQUEST,
                "request_too_large",
                "request body is larger than " + (maxBodyBytes / (1024 * 1024)) + " MB");
    }

    /** A refusal before the body was read to its end: the rest is drained first ({@link Exchange#refuseBody}). */
    private void refuseBody(Exchange exchange, ApiError error, long started) {
        metrics.recordRequest(null, null, Integer.toString(error.status()), (System.nanoTime() - started) / 1e9);
        exchange.refuseBody(error);
    }

    private void refuse(Exchange exchange, ApiError error, long started) {
        metrics.recordRequest(null, null, Integer.toString(error.status()), (System.nanoTime() - started) / 1e9);
        exchange.error(error);
    }

    private void dispatch(Exchange exchange, byte[] body, @Nullable List<String> hops, long started) {
        String model = modelOf(body);
        RequestQueue.Priority priority =
                RequestQueue.Priority.parse(exchange.request().getHeaders().get("X-Nexus-Priority"));
        Waiting waiting = new Waiting(exchange, model, body, hops, started);
        RequestQueue.Outcome outcome = queue.offer(model, priority, waiting);
        if (outcome instanceof RequestQueue.Dispatched d) {
            proxy(exchange, model, body, hops, started, d.route(), d.first());
        } else if (outcome instanceof RequestQueue.Refused r) {
            noRoute(exchange, model, r.no(), started);
        } else if (outcome instanceof RequestQueue.Asleep a) {
            asleep(exchange, model, a.backend(), a.why(), a.retryAfterSeconds(), started);
        } else if (outcome instanceof RequestQueue.Full f) {
            exchange.response().getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(f.retryAfterSeconds()));
            ApiError error = new ApiError(
                    429,
                    ApiError.INVALID_REQUEST,
                    "queue_full",
                    "the gateway's queue for model '"
                            + model + "' is full (" + f.depth() + " waiting, [routing.queue] max_size): every backend "
                            + "for it is busy; retry after " + f.retryAfterSeconds() + " s");
            metrics.recordQueueRefused("full");
            metrics.recordRequest(null, model, "429", (System.nanoTime() - started) / 1e9);
            exchange.error(error);
        } else {
            RequestQueue.Ticket ticket = ((RequestQueue.Queued) outcome).ticket();
            watchForHangUp(exchange, () -> {
                ticket.leave();
                if (waiting.left()) {
                    metrics.recordRequest(null, model, "client_closed", (System.nanoTime() - started) / 1e9);
                    exchange.callback()
                            .failed(new org.eclipse.jetty.io.EofException("client closed while waiting in the queue"));
                }
            });
        }
    }

    /** 503 {@code backend_asleep}: the only box with the model did not wake (issue 17). */
    private void asleep(Exchange exchange, String model, String box, String why, long retryAfter, long started) {
        metrics.recordQueueRefused("asleep");
        metrics.recordRequest(null, model, "503", (System.nanoTime() - started) / 1e9);
        exchange.response().getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(retryAfter));
        exchange.error(new ApiError(
                503,
                ApiError.SERVER_ERROR,
                "backend_asleep",
                "model '" + model + "' is only on backend '" + box + "', which is asleep: " + why));
    }

    /**
     * Notices a waiting client hanging up. Jetty does not read a connection while its request is
     * being handled, so a client closing it would go unnoticed until the idle timeout; here the
     * connection is watched for readability and a read of end-of-stream means the client left.
     * The connection of a request that waited is closed after its answer ({@code Connection:
     * close}), so the watch never competes with Jetty reading the next request; a client that
     * pipelines another request behind a waiting one loses that one (no common client does).
     */
    private static void watchForHangUp(Exchange exchange, Runnable gone) {
        exchange.response().getHeaders().put(HttpHeader.CONNECTION, "close");
        org.eclipse.jetty.io.EndPoint ep =
                exchange.request().getConnectionMetaData().getConnection().getEndPoint();
        java.nio.ByteBuffer one = org.eclipse.jetty.util.BufferUtil.allocate(1);
        ep.tryFillInterested(new org.eclipse.jetty.util.Callback() {
            @Override
            public void succeeded() {
                try {
                    int n = ep.fill(one);
                    if (n < 0) {
                        gone.run();
                    } else if (n == 0) {
                        ep.tryFillInterested(this);
                    }
                    // n > 0: pipelined bytes; the connection closes after this answer anyway
                } catch (IOException e) {
                    gone.run();
                }
            }

            @Override
            public void failed(Throwable x) {
                gone.run();
            }

            @Override
            public InvocationType getInvocationType() {
                return InvocationType.NON_BLOCKING;
            }
        });
    }

    /** A request in the queue: exactly one of dispatch, refuse, time out or leave wins. */
    private final class Waiting implements RequestQueue.Waiter {
        private final Exchange exchange;
        private final String model;
        private final byte[] body;
        private final @Nullable List<String> hops;
        private final long started;
        private final java.util.concurrent.atomic.AtomicBoolean over = new java.util.concurrent.atomic.AtomicBoolean();

        Waiting(Exchange exchange, String model, byte[] body, @Nullable List<String> hops, long started) {
            this.exchange = exchange;
            this.model = model;
            this.body = body;
            this.hops = hops;
            this.started = started;
        }

        boolean left() {
            return over.compareAndSet(false, true);
        }

        @Override
        public void dispatch(RouteDecision.Route route, RouteStats.Flight first) {
            if (!over.compareAndSet(false, true)) {
                first.end(false);
                return;
            }
            ApiHandler.run(exchange, ex -> proxy(ex, model, body, hops, started, route, first));
        }

        @Override
        public void refuse(RouteDecision.NoRoute no) {
            if (over.compareAndSet(false, true)) {
                ApiHandler.run(exchange, ex -> noRoute(ex, model, no, started));
            }
        }

        @Override
        public void timedOut(long waitedMs) {
            if (!over.compareAndSet(false, true)) {
                return;
            }
            ApiHandler.run(exchange, ex -> {
                ex.response()
                        .getHeaders()
                        .put(HttpHeader.RETRY_AFTER, Integer.toString(Math.max(1, queue.maxWaitSeconds() / 4)));
                metrics.recordQueueRefused("timeout");
                metrics.recordRequest(null, model, "503", (System.nanoTime() - started) / 1e9);
                ex.error(new ApiError(
                        503,
                        ApiError.SERVER_ERROR,
                        "queue_timeout",
                        "waited " + (waitedMs / 1000)
                                + " s in the gateway's queue for model '" + model
                                + "' ([routing.queue] max_wait_seconds = "
                                + queue.maxWaitSeconds() + ") and every backend for it stayed busy"));
            });
        }

        @Override
        public void asleep(String backend, String why, long retryAfterSeconds) {
            if (over.compareAndSet(false, true)) {
                ApiHandler.run(
                        exchange,
                        ex -> GatewayEndpoint.this.asleep(ex, model, backend, why, retryAfterSeconds, started));
            }
        }
    }

    private void noRoute(Exchange exchange, String model, RouteDecision.NoRoute no, long started) {
        ApiError error = switch (no.reason()) {
            case MODEL_NOT_FOUND -> ApiError.notFound("model_not_found", no.message());
            case NO_HEALTHY_BACKEND -> new ApiError(503, ApiError.SERVER_ERROR, "no_healthy_backend", no.message());
        };
        metrics.recordRequest(null, model, Integer.toString(error.status()), (System.nanoTime() - started) / 1e9);
        exchange.error(error);
    }

    private void proxy(
            Exchange exchange,
            String model,
            byte[] body,
            @Nullable List<String> hops,
            long started,
            RouteDecision.Route route,
            RouteStats.Flight first) {
        byte[] forward = body;
        if (!route.model().equals(model)) {
            forward = withModel(body, route.model());
        }
        new ProxyExchange(
                        exchange,
                        route,
                        forward,
                        control.registry(),
                        client,
                        metrics,
                        timeout,
                        loops,
                        loops.forward(hops),
                        started,
                        scheduling,
                        first)
                .start();
    }
}
