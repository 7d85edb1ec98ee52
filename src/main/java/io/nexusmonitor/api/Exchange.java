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
