package io.nexusmonitor.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.nexusmonitor.registry.BackendJson;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One request being answered: Jetty's request, response and completion callback, plus the path
 * parameters the route matched ({@code {id}}). Every endpoint completes the callback exactly once,
 * usually through {@link #json} or {@link #error}.
 */
public record Exchange(Request request, Response response, Callback callback, Map<String, String> params) {
    static final String JSON = "application/json";

    public String param(String name) {
        return params.get(name);
    }

    public String method() {
        return request.getMethod();
    }

    public String path() {
        return Request.getPathInContext(request);
    }

    /**
     * Reads a small JSON object body (at most {@code maxBytes}) and then runs {@code then} with
     * it; a missing, oversized or malformed body is answered with 400/413 before {@code then} runs.
     */
    public void readJson(int maxBytes, java.util.function.Function<com.fasterxml.jackson.databind.node.ObjectNode,
            Endpoint> then) {
        if (request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH) > maxBytes) {
            error(tooLarge(maxBytes));
            return;
        }
        org.eclipse.jetty.io.Content.Source.asByteArrayAsync(request, maxBytes + 1, org.eclipse.jetty.util.Promise.Invocable
                .from(org.eclipse.jetty.util.thread.Invocable.InvocationType.NON_BLOCKING, (byte[] bytes, Throwable failure) -> {
            if (failure instanceof java.io.IOException) {
                // the client went away, or the front door stopped the read (budget, stalled upload):
                // Jetty answers with the failure's status if the client is still there
                callback.failed(failure);
                return;
            }
            ApiHandler.run(this, ex -> {
                // a failure that is not I/O is the reader's size cap
                if (failure != null || bytes.length > maxBytes) {
                    throw tooLarge(maxBytes).asException();
                }
                JsonNode json;
                try {
                    json = bytes.length == 0 ? null : BackendJson.MAPPER.readTree(bytes);
                } catch (JsonProcessingException e) {
                    String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")";
                    throw ApiError.badRequest("invalid_json", "request body is not valid JSON: "
                            + e.getOriginalMessage() + where).asException();
                } catch (java.io.IOException e) {
                    throw ApiError.badRequest("invalid_json", "request body is not valid JSON").asException();
                }
                if (json == null || !json.isObject()) {
                    throw ApiError.badRequest("invalid_json", "request body must be a JSON object").asException();
                }
                then.apply((com.fasterxml.jackson.databind.node.ObjectNode) json).handle(ex);
            });
        }));
    }

    private static ApiError tooLarge(int maxBytes) {
        return new ApiError(413, ApiError.INVALID_REQUEST, "request_too_large", "request body is larger than "
                + (maxBytes % 1024 == 0 ? (maxBytes / 1024) + " KB" : maxBytes + " bytes") + ", the most this endpoint "
                + "accepts");
    }

    /** Answers with this status and JSON body, and completes the exchange. */
    public void json(int status, JsonNode body) {
        byte[] bytes;
        try {
            bytes = BackendJson.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /** Answers with an OpenAI-shaped error, and completes the exchange. */
    public void error(ApiError error) {
        writeError(response, callback, error);
    }

    static void writeError(Response response, Callback callback, ApiError error) {
        byte[] bytes;
        try {
            bytes = BackendJson.MAPPER.writeValueAsBytes(error.toJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise an error", e);
        }
        response.setStatus(error.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }
}
