package io.nexusmonitor.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexusmonitor.control.BackendControl;
import io.nexusmonitor.metrics.NexusMetrics;
import io.nexusmonitor.registry.BackendJson;
import io.nexusmonitor.routing.ModelRouter;
import io.nexusmonitor.routing.RouteDecision;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;

/**
 * {@code POST /v1/chat/completions}, {@code /v1/completions}, {@code /v1/embeddings}: refuses a
 * request that has already passed this gateway ({@link LoopGuard}, 508), reads the body (capped),
 * takes {@code model}, asks the router, and hands the request to a {@link ProxyExchange} that
 * forwards it and streams the answer back.
 */
final class GatewayEndpoint implements Endpoint {
    private final BackendControl control;
    private final ModelRouter router;
    private final HttpClient client;
    private final NexusMetrics metrics;
    private final long maxBodyBytes;
    private final Duration timeout;
    private final LoopGuard loops;

    GatewayEndpoint(BackendControl control, ModelRouter router, HttpClient client, NexusMetrics metrics,
                    ApiSettings settings, LoopGuard loops) {
        this.control = control;
        this.router = router;
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
        Content.Source.asByteArrayAsync(exchange.request(), cap, Promise.Invocable.from(InvocationType.NON_BLOCKING,
                (byte[] body, Throwable failure) -> {
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
                throw ApiError.badRequest("invalid_json", "request body must be a JSON object").asException();
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
                throw ApiError.badRequest("invalid_json", "request body has more after the JSON object").asException();
            }
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("invalid_json", "request body is not valid JSON: "
                    + e.getOriginalMessage()).asException();
        } catch (IOException e) {
            throw ApiError.badRequest("invalid_json", "request body cannot be read as JSON").asException();
        }
        if (modelToken == null || modelToken == JsonToken.VALUE_NULL) {
            throw ApiError.badRequest("missing_model", "request body has no 'model'; say which model to use, "
                    + "e.g. {\"model\": \"llama3:8b\", ...} (GET /v1/models lists them)").asException();
        }
        if (model == null || model.isBlank()) {
            throw ApiError.badRequest("invalid_model", "'model' must be a non-empty string").asException();
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
        return new ApiError(413, ApiError.INVALID_REQUEST, "request_too_large",
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

    private void dispatch(Exchange exchange, byte[] body, List<String> hops, long started) {
        String model = modelOf(body);
        RouteDecision decision = router.route(model);
        if (decision instanceof RouteDecision.NoRoute no) {
            ApiError error = switch (no.reason()) {
                case MODEL_NOT_FOUND -> ApiError.notFound("model_not_found", no.message());
                case NO_HEALTHY_BACKEND -> new ApiError(503, ApiError.SERVER_ERROR, "no_healthy_backend", no.message());
            };
            metrics.recordRequest(null, model, Integer.toString(error.status()), (System.nanoTime() - started) / 1e9);
            exchange.error(error);
            return;
        }
        RouteDecision.Route route = (RouteDecision.Route) decision;
        byte[] forward = body;
        if (!route.model().equals(model)) {
            forward = withModel(body, route.model());
        }
        new ProxyExchange(exchange, route, forward, control.registry(), client, metrics, timeout, loops,
                loops.forward(hops), started).start();
    }
}
