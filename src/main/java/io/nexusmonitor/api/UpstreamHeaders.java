package io.nexusmonitor.api;

import io.nexusmonitor.registry.BackendSettings;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.jspecify.annotations.Nullable;

/**
 * Which headers cross the gateway between a backend and a client: the one place that rule lives.
 *
 * <p>Answers: an allow-list. What describes the body ({@code Content-Type}, {@code Content-Length},
 * {@code Content-Encoding}, {@code Content-Language}), caching ({@code Cache-Control},
 * {@code Expires}, {@code ETag}, {@code Last-Modified}, {@code Vary}), {@code Retry-After}, and the
 * families OpenAI-style servers use for request ids and rate limits: {@code x-*} (as
 * {@code x-request-id}, {@code x-ratelimit-*}) and {@code openai-*} (as {@code openai-processing-ms}).
 * Everything else is dropped, in particular {@code Set-Cookie} (a cookie for 127.0.0.1 would reach
 * every other local web app), every {@code Access-Control-*} (a backend must not open the gateway
 * to other web pages; CORS is the server's own decision), the hop-by-hop headers, any header the
 * backend names in its {@code Connection} field (RFC 9110 §7.6.1), the gateway's own
 * {@code X-Nexus-*} (a backend must not forge them) and the instructions a front proxy would obey
 * ({@code X-Accel-*}, {@code X-Sendfile}). {@code Transfer-Encoding} is the connection's business:
 * the server chunks the answer itself when it has no {@code Content-Length}.
 *
 * <p>Requests: the gateway builds the upstream request itself and copies only {@code Accept} from
 * the client (unless the client's {@code Connection} names it); {@code Host},
 * {@code Content-Type: application/json}, {@code User-Agent} and {@code X-Nexus-Hop} are its own.
 * No cookie or hop-by-hop header goes upstream. {@code Authorization} is the backend's own key
 * ({@code Bearer <api_key>}, see {@link #copyRequest(HttpFields, HttpFields.Mutable, BackendSettings)});
 * the client's {@code Authorization} (it may be the gateway's token) goes upstream only to a
 * backend configured with {@code forward_client_auth = true}.
 *
 * <p>This runs for every proxied answer: known headers are checked against an {@link EnumSet},
 * other names by prefix, and nothing is allocated unless the backend sends a {@code Connection}
 * field with names in it.
 */
final class UpstreamHeaders {
    /** Known headers that reach the client. */
    private static final Set<HttpHeader> ALLOWED = EnumSet.of(
            HttpHeader.CONTENT_TYPE,
            HttpHeader.CONTENT_LENGTH,
            HttpHeader.CONTENT_ENCODING,
            HttpHeader.CONTENT_LANGUAGE,
            HttpHeader.CACHE_CONTROL,
            HttpHeader.EXPIRES,
            HttpHeader.ETAG,
            HttpHeader.LAST_MODIFIED,
            HttpHeader.VARY,
            HttpHeader.RETRY_AFTER);
    /** Prefixes (lower case) of other names that reach the client. */
    private static final List<String> ALLOWED_PREFIXES = List.of("x-", "openai-");
    /** Prefixes (lower case) dropped although an allowed prefix matches. */
    private static final List<String> DENIED_PREFIXES =
            List.of("x-nexus-", "x-accel-", "x-sendfile", "x-lighttpd-send-file");
    /** Connection options that name no header. */
    private static final Set<String> CONNECTION_OPTIONS = Set.of("close", "keep-alive", "upgrade");

    private UpstreamHeaders() {}

    /** Adds to {@code to} the headers of a backend's answer that may reach the client. */
    static void copyResponse(HttpFields from, HttpFields.Mutable to) {
        Set<String> named = connectionNamed(from);
        for (int i = 0, n = from.size(); i < n; i++) { // by index: no iterator per answer
            HttpField f = from.getField(i);
            if (allowed(f) && (named == null || !named.contains(f.getLowerCaseName()))) {
                to.add(f);
            }
        }
    }

    /**
     * Adds to {@code to} what of the client's request goes upstream: {@code Accept}, unless the
     * client's {@code Connection} field names it. Everything else upstream is the gateway's own.
     */
    static void copyRequest(HttpFields from, HttpFields.Mutable to) {
        copyRequest(from, to, BackendSettings.DEFAULTS);
    }

    /**
     * Like {@link #copyRequest(HttpFields, HttpFields.Mutable)}, plus the backend's credential:
     * {@code Authorization: Bearer <api_key>} when it has a key; with {@code forward_client_auth}, the
     * client's own {@code Authorization} instead when the client sent one (unless its
     * {@code Connection} field names it). Without either, no {@code Authorization} goes upstream.
     */
    static void copyRequest(HttpFields from, HttpFields.Mutable to, BackendSettings backend) {
        HttpField accept = from.getField(HttpHeader.ACCEPT);
        HttpField clientAuth = backend.forwardsClientAuth() ? from.getField(HttpHeader.AUTHORIZATION) : null;
        Set<String> named = accept == null && clientAuth == null ? null : connectionNamed(from);
        if (accept != null && (named == null || !named.contains("accept"))) {
            to.put(HttpHeader.ACCEPT, accept.getValue());
        }
        if (clientAuth != null && (named == null || !named.contains("authorization"))) {
            to.put(HttpHeader.AUTHORIZATION, clientAuth.getValue());
        } else if (backend.hasKey()) {
            to.put(HttpHeader.AUTHORIZATION, backend.authorization());
        }
    }

    /** Whether this field of a backend's answer may reach the client (before the {@code Connection} rule). */
    static boolean allowed(HttpField f) {
        HttpHeader known = f.getHeader();
        if (known != null) {
            return ALLOWED.contains(known);
        }
        String name = f.getLowerCaseName();
        return startsWithAny(name, ALLOWED_PREFIXES) && !startsWithAny(name, DENIED_PREFIXES);
    }

    /**
     * The header names (lower case) listed in the answer's {@code Connection} fields, or null when
     * it names none (the usual case: no field, or only {@code keep-alive} / {@code close}).
     */
    static @Nullable Set<String> connectionNamed(HttpFields fields) {
        Set<String> named = null;
        for (int i = 0, n = fields.size(); i < n; i++) {
            HttpField f = fields.getField(i);
            if (f.getHeader() != HttpHeader.CONNECTION || isOption(f.getValue())) {
                continue; // the usual "keep-alive" or "close": nothing to split
            }
            for (String token : f.getValue().split(",")) {
                String t = token.trim().toLowerCase(Locale.ROOT);
                if (!t.isEmpty() && !CONNECTION_OPTIONS.contains(t)) {
                    if (named == null) {
                        named = new java.util.HashSet<>();
                    }
                    named.add(t);
                }
            }
        }
        return named;
    }

    private static boolean isOption(String value) {
        return value.equalsIgnoreCase("keep-alive") || value.equalsIgnoreCase("close");
    }

    private static boolean startsWithAny(String name, List<String> prefixes) {
        for (int i = 0; i < prefixes.size(); i++) {
            if (name.startsWith(prefixes.get(i))) {
                return true;
            }
        }
        return false;
    }
}
