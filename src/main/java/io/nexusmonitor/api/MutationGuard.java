package io.nexusmonitor.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Who may change the registry over HTTP. Bound to loopback (the default), only local programs can
 * connect, so changes need nothing. Bound anywhere else, every change needs
 * {@code Authorization: Bearer <server.api_token>}; with no token configured, changes are refused
 * outright (403) rather than left open to the LAN. Reads and the gateway stay open either way.
 */
final class MutationGuard {
    private final boolean exposed;
    private final String token;

    MutationGuard(boolean exposed, String token) {
        this.exposed = exposed;
        this.token = token;
    }

    static MutationGuard forBind(String host, String token) {
        return new MutationGuard(!isLoopback(host), token);
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

    boolean exposed() {
        return exposed;
    }

    boolean tokenConfigured() {
        return token != null;
    }

    /** @throws ApiError.Failure 403 (no token configured) or 401 (missing or wrong token) */
    void check(Exchange exchange) {
        if (!exposed) {
            return;
        }
        if (token == null) {
            throw new ApiError(403, "permission_error", "mutations_disabled",
                    "changes through the API are disabled because the server listens on a non-loopback address "
                            + "and no token is set; set api_token = \"<secret>\" under [server] in nexus.toml and send "
                            + "'Authorization: Bearer <secret>' (nexus-monitor backends ... --token <secret>)").asException();
        }
        String auth = exchange.request().getHeaders().get(HttpHeader.AUTHORIZATION);
        String presented = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
        if (presented == null || !MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8))) {
            exchange.response().getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
            throw new ApiError(401, "authentication_error", "invalid_api_key", presented == null
                    ? "this change needs 'Authorization: Bearer <server.api_token>'"
                    : "the bearer token does not match [server].api_token").asException();
        }
    }
}
