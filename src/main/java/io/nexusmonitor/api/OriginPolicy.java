package io.nexusmonitor.api;

import io.nexusmonitor.config.HostNames;
import io.nexusmonitor.registry.LogOnce;
import io.nexusmonitor.registry.LogText;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which web pages may call the API from a browser. A request that carries an {@code Origin} is
 * answered only when that origin is the server's own ({@code http://} plus the request's
 * {@code Host}, so a page this server serves works) or is listed in {@code [server]
 * allowed_origins}; a request without {@code Origin} but with {@code Sec-Fetch-Site: cross-site}
 * is refused too. Requests with neither (curl, SDKs, scripts) pass. Only allowed origins get CORS
 * headers, and only they get a preflight answered.
 */
final class OriginPolicy {
    private static final Logger log = LoggerFactory.getLogger(OriginPolicy.class);
    static final String ALLOW_METHODS = "GET, POST, DELETE, OPTIONS";
    static final String ALLOW_HEADERS = "Authorization, Content-Type";
    static final String EXPOSE_HEADERS = "X-Nexus-Backend, Retry-After, Location";
    static final String MAX_AGE = "600";
    /** A comma-separated list of header names, as a preflight asks for them. */
    private static final Pattern HEADER_LIST =
            Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+(\\s*,\\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*");

    private final Set<String> allowed;
    private final LogOnce refused = new LogOnce(256);

    OriginPolicy(List<String> allowedOrigins) {
        this.allowed = Set.copyOf(allowedOrigins.stream()
                .map(HostNames::origin)
                .flatMap(Optional::stream)
                .toList());
    }

    /**
     * Checks the request's origin; for an allowed one, puts the CORS headers on the response.
     *
     * @return null when the request may go on, else the 403
     */
    @Nullable
    ApiError check(Request request, HttpFields.Mutable responseHeaders) {
        HttpFields h = request.getHeaders();
        String origin = h.get(HttpHeader.ORIGIN);
        if (origin == null) {
            String site = h.get("Sec-Fetch-Site");
            if (site != null && site.trim().equalsIgnoreCase("cross-site")) {
                logOnce("(cross-site, no Origin)");
                return refusal("a cross-site browser request is refused; list the page's origin in [server] "
                        + "allowed_origins to allow it");
            }
            return null;
        }
        if (!allows(origin, h.get(HttpHeader.HOST))) {
            String shown = LogText.of(origin);
            logOnce(shown);
            return refusal("requests from the web page at '" + shown + "' are refused; only the server's own "
                    + "origin and those in [server] allowed_origins may call it from a browser");
        }
        responseHeaders.put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin.trim());
        responseHeaders.add(HttpHeader.VARY, "Origin");
        responseHeaders.put(HttpHeader.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSE_HEADERS);
        return null;
    }

    /** Adds what a preflight of an allowed origin answers with (after {@link #check} passed). */
    static void preflight(Request request, HttpFields.Mutable responseHeaders) {
        responseHeaders.put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, ALLOW_METHODS);
        String asked = request.getHeaders().get(HttpHeader.ACCESS_CONTROL_REQUEST_HEADERS);
        // the origin is trusted: let it send the headers it asks for (an SDK adds its own), if they are header names
        boolean echo = asked != null && HEADER_LIST.matcher(asked.trim()).matches();
        responseHeaders.put(
                HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, echo ? ALLOW_HEADERS + ", " + asked.trim() : ALLOW_HEADERS);
        responseHeaders.put(HttpHeader.ACCESS_CONTROL_MAX_AGE, MAX_AGE);
    }

    boolean allows(String origin, String hostHeader) {
        Optional<String> o = HostNames.origin(origin);
        if (o.isEmpty()) {
            return false; // "null" (sandboxed frames, file://) and anything malformed
        }
        if (allowed.contains(o.get())) {
            return true;
        }
        return hostHeader != null
                && HostNames.origin("http://" + hostHeader.trim())
                        .map(o.get()::equals)
                        .orElse(false);
    }

    private void logOnce(String origin) {
        if (refused.first(origin, log, "browser origins refused")) {
            log.warn(
                    "refused a browser request from origin {}: not this server's own origin nor in [server] "
                            + "allowed_origins (logged once per origin)",
                    origin);
        }
    }

    private static ApiError refusal(String message) {
        return new ApiError(403, "permission_error", "origin_not_allowed", message);
    }
}
