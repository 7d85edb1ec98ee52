package io.nexusmonitor.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.jspecify.annotations.Nullable;

/**
 * Who may do what over HTTP. Every change (POST or DELETE under {@code /api/}) needs
 * {@code Authorization: Bearer <token>}, on loopback too: any local program, and any web page the
 * browser shows, can reach a loopback port. The token is {@code [server].api_token} when set, else
 * the generated {@code api-token} file in the state dir, which only the user can read. With
 * {@code guard_reads} (the default when the bind is not loopback) everything but {@code /health}
 * needs it too. With no token at all (the file could not be written) changes are refused outright.
 * Tokens are compared in constant time.
 */
final class TokenGuard {
    /** What a request does, for the token rule. */
    enum Access {
        /** {@code /health} (load balancers, the CLI's "is it running") and the web view's static files: always open. */
        OPEN,
        /** Reads, {@code /api/events}, {@code /metrics} and the gateway: need the token with guard_reads. */
        READ,
        /** POST/DELETE under {@code /api/}: always need the token. */
        CHANGE
    }

    private final byte @Nullable [] token;
    private final boolean guardReads;
    private final boolean exposed;

    TokenGuard(@Nullable String token, boolean guardReads, boolean exposed) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.guardReads = guardReads;
        this.exposed = exposed;
    }

    /** {@code guard_reads} as configured, else on exactly when the bind is not loopback. */
    static TokenGuard forBind(String host, @Nullable String token, @Nullable Boolean guardReads) {
        boolean exposed = !isLoopback(host);
        return new TokenGuard(token, guardReads != null ? guardReads : exposed, exposed);
    }

    /** True for 127.0.0.0/8, ::1 and names that resolve to them; an unresolvable name counts as exposed. */
    static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static Access access(String method, String path) {
        if (path.equals("/health")) {
            return Access.OPEN;
        }
        // the web view's static files hold no data: the page loads and then asks for the token
        if ((method.equals("GET") || method.equals("HEAD")) && (path.equals("/") || path.startsWith("/ui/"))) {
            return Access.OPEN;
        }
        boolean read = method.equals("GET") || method.equals("HEAD");
        return !read && path.startsWith("/api/") ? Access.CHANGE : Access.READ;
    }

    boolean exposed() {
        return exposed;
    }

    boolean tokenConfigured() {
        return token != null;
    }

    boolean guardsReads() {
        return guardReads;
    }

    /**
     * @return null when the request may go on; else 403 (no token exists) or 401 (missing or wrong
     *         token, with {@code WWW-Authenticate: Bearer} put on the response)
     */
    @Nullable
    ApiError check(HttpFields requestHeaders, HttpFields.Mutable responseHeaders, Access access) {
        if (access == Access.OPEN || (access == Access.READ && !guardReads)) {
            return null;
        }
        if (token == null) {
            return new ApiError(
                    403,
                    "permission_error",
                    "mutations_disabled",
                    "this server has no API token (its api-token file could not be written), so "
                            + (access == Access.CHANGE ? "changes" : "requests") + " through the API are refused; set "
                            + "api_token = \"<secret>\" under [server] and send 'Authorization: Bearer <secret>'");
        }
        String auth = requestHeaders.get(HttpHeader.AUTHORIZATION);
        String presented = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                ? auth.substring(7).trim()
                : null;
        // presented first: MessageDigest.isEqual's time depends on its first argument's length only,
        // so neither the secret's bytes nor its length show in how long a refusal takes
        if (presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), token)) {
            return null;
        }
        responseHeaders.put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
        String what = access == Access.CHANGE ? "this change" : "this server (guard_reads is on)";
        return new ApiError(
                401,
                "authentication_error",
                "invalid_api_key",
                (presented == null
                                ? what + " needs 'Authorization: Bearer <token>'"
                                : "the bearer token is not this server's")
                        + "; the token is in the file api-token in the monitor's state directory (the nexus-monitor CLI "
                        + "reads it), or is [server] api_token when that is set");
    }
}
