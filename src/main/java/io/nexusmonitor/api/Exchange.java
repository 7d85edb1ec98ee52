package io.nexusmonitor.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.nexusmonitor.json.BackendJson;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
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
    /**
     * How much of a refused body is read and thrown away before the answer: a client that is still
     * sending when the server answers and closes gets a TCP reset, which may destroy the answer it
     * was about to read. Past this the answer goes out at once and the connection is closed.
     */
    static final long DRAIN_LIMIT = 4L * 1024 * 1024;

    public String param(String name) {
        return Objects.requireNonNull(params.get(name), name); // a parameter of the matched route's path
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
    public void readJson(
            int maxBytes, java.util.function.Function<com.fasterxml.jackson.databind.node.ObjectNode, Endpoint> then) {
        if (request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH) > maxBytes) {
            refuseBody(tooLarge(maxBytes));
            return;
        }
        org.eclipse.jetty.io.Content.Source.asByteArrayAsync(
                request,
                maxBytes + 1,
                org.eclipse.jetty.util.Promise.Invocable.from(
                        org.eclipse.jetty.util.thread.Invocable.InvocationType.NON_BLOCKING,
                        (byte[] bytes, Throwable failure) -> {
                            if (failure instanceof java.io.IOException) {
                                // the client went away, or the front door stopped the read (budget, stalled upload):
                                // Jetty answers with the failure's status if the client is still there
                                callback.failed(failure);
                                return;
                            }
                            // a failure that is not I/O is the reader's size cap
                            if (failure != null || bytes.length > maxBytes) {
                                refuseBody(tooLarge(maxBytes));
                                return;
                            }
                            ApiHandler.run(this, ex -> {
                                JsonNode json;
                                try {
                                    json = bytes.length == 0 ? null : BackendJson.MAPPER.readTree(bytes);
                                } catch (JsonProcessingException e) {
                                    String where = e.getLocation() == null
                                            ? ""
                                            : " (line " + e.getLocation().getLineNr() + ", column "
                                                    + e.getLocation().getColumnNr() + ")";
                                    throw ApiError.badRequest(
                                                    "invalid_json",
                                                    "request body is not valid JSON: " + e.getOriginalMessage() + where)
                                            .asException();
                                } catch (java.io.IOException e) {
                                    throw ApiError.badRequest("invalid_json", "request body is not valid JSON")
                                            .asException();
                                }
                                if (json == null || !json.isObject()) {
                                    throw ApiError.badRequest("invalid_json", "request body must be a JSON object")
                                            .asException();
                                }
                                then.apply((com.fasterxml.jackson.databind.node.ObjectNode) json)
                                        .handle(ex);
                            });
                        }));
    }

    private static ApiError tooLarge(int maxBytes) {
        return new ApiError(
                413,
                ApiError.INVALID_REQUEST,
                "request_too_large",
                "request body is larger than "
                        + (maxBytes % 1024 == 0 ? (maxBytes / 1024) + " KB" : maxBytes + " bytes")
                        + ", the most this endpoint "
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

    /**
     * Answers a request whose body is refused unread (too large, a loop): the rest of the body is
     * read and discarded first, up to {@link #DRAIN_LIMIT}, so that the client reads the answer
     * instead of a reset connection; past that limit the answer carries {@code Connection: close}.
     */
    public void refuseBody(ApiError error) {
        drain(DRAIN_LIMIT, error);
    }

    private void drain(long budget, ApiError error) {
        long left = budget;
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                long remaining = left;
                request.demand(() -> drain(remaining, error));
                return;
            }
            boolean last = chunk.isLast();
            boolean failed = Content.Chunk.isFailure(chunk);
            left -= chunk.remaining();
            chunk.release();
            if (last || failed) {
                error(error); // a failed read: the client went away, and the write fails quietly
                return;
            }
            if (left <= 0) {
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
                error(error);
                return;
            }
        }
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
