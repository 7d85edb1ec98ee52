package io.nexusmonitor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.nexusmonitor.json.BackendJson;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The CLI's side of the HTTP API: sends one request to a running instance and turns every way it
 * can go wrong (nothing listening, not JSON, an error answer) into a {@link Failure} whose message
 * a user can act on.
 */
final class ApiClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String base;
    private final @Nullable String token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    ApiClient(String base, @Nullable String token) {
        String b = base.trim();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        this.base = b;
        this.token = token == null || token.isBlank() ? null : token.trim();
    }

    /** A request that did not get the wanted answer; the message says why and what to do. */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message);
        }
    }

    /** An id as one URL path segment, so an odd id cannot reach another endpoint. */
    static String segment(String id) {
        return java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    JsonNode get(String path) {
        return send(builder(path).GET());
    }

    JsonNode post(String path, @Nullable JsonNode body) {
        String text = body == null ? "" : body.toString();
        return send(builder(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text)));
    }

    JsonNode delete(String path) {
        return send(builder(path).DELETE());
    }

    private HttpRequest.Builder builder(String path) {
        URI uri;
        try {
            uri = URI.create(base + path);
        } catch (IllegalArgumentException e) {
            throw new Failure("not a valid --api URL: " + base);
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new Failure("not a valid --api URL: " + base + " (expected e.g. " + ApiOptions.DEFAULT_API + ")");
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private JsonNode send(HttpRequest.Builder request) {
        HttpRequest r = request.build();
        HttpResponse<String> response;
        try {
            response = http.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new Failure("no Nexus Monitor answers at " + base + " ("
                    + (e.getMessage() == null ? "connection refused" : e.getMessage())
                    + "). Is it running? Start it with 'nexus-monitor --no-gui', or point --api at it.");
        } catch (HttpTimeoutException e) {
            throw new Failure(base + " did not answer within " + TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            throw new Failure("cannot talk to " + base + ": " + reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted");
        }
        JsonNode json;
        try {
            json = BackendJson.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new Failure(base + " answered " + response.statusCode() + " with something that is not JSON; "
                    + "is it a Nexus Monitor?");
        }
        if (response.statusCode() >= 400) {
            String message = json != null && json.path("error").hasNonNull("message")
                    ? json.path("error").path("message").asText()
                    : "HTTP " + response.statusCode();
            throw new Failure(message + " (HTTP " + response.statusCode() + ")");
        }
        return json;
    }

    private static String reason(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
