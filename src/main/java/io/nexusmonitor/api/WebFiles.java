package io.nexusmonitor.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.jspecify.annotations.Nullable;

/**
 * The web view's static files ({@code GET /} and {@code GET /ui/{file}}), bundled in the jar and
 * read into memory on the first request for one of them. Only the files named in {@link #FILES} are
 * served (a fixed list, so no request path can reach another resource, a directory listing or the
 * file system), each with its content type, a strong ETag (a 304 for a matching {@code If-None-Match}), {@code no-cache} (the
 * browser revalidates, so a new version shows at once), and the page's security headers: a strict
 * Content-Security-Policy (scripts, styles and connections only from this server, no inline script,
 * no framing), {@code nosniff}, no referrer. They hold no data, so the token rule lets them load
 * without a token ({@link TokenGuard}); what the page then reads and changes goes through the API.
 */
final class WebFiles implements Endpoint {
    /** Where the page's own files live on the class path. */
    static final String BASE = "io/nexusmonitor/web/";
    /** The WebJar's chart library (uPlot, MIT): served under its file name. */
    static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";

    /** Served name → class-path resource; every file the page needs, and nothing else. */
    static final Map<String, String> FILES = files();

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private record File(byte[] bytes, String type, String etag) {}

    /** Read on the first request for the page, not while the server starts (off the path to the first /health). */
    private volatile @Nullable Map<String, File> loaded;

    private Map<String, File> contents() {
        Map<String, File> m = loaded;
        if (m == null) {
            synchronized (this) {
                m = loaded;
                if (m == null) {
                    Map<String, File> read = new LinkedHashMap<>();
                    for (Map.Entry<String, String> e : FILES.entrySet()) {
                        byte[] bytes = read(e.getValue());
                        read.put(e.getKey(), new File(bytes, contentType(e.getKey()), etag(bytes)));
                    }
                    m = Map.copyOf(read);
                    loaded = m;
                }
            }
        }
        return m;
    }

    private static Map<String, String> files() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String f : List.of(
                "index.html",
                "style.css",
                "app.js",
                "api.js",
                "events.js",
                "format.js",
                "table.js",
                "details.js",
                "charts.js",
                "eventlog.js")) {
            m.put(f, BASE + f);
        }
        m.put("icon.svg", "icons/nexus-monitor.svg"); // the window's and the launcher's icon
        m.put("uPlot.iife.min.js", UPLOT + "uPlot.iife.min.js");
        m.put("uPlot.min.css", UPLOT + "uPlot.min.css");
        return Map.copyOf(m);
    }

    @Override
    public void handle(Exchange exchange) {
        String name = exchange.params().getOrDefault("file", "index.html");
        File f = contents().get(name);
        if (f == null) {
            throw ApiError.notFound(
                            "not_found", "no such file in the web view: " + exchange.path() + " (the page is at /)")
                    .asException();
        }
        HttpFields.Mutable h = exchange.response().getHeaders();
        securityHeaders(h);
        h.put(HttpHeader.ETAG, f.etag());
        h.put(HttpHeader.CACHE_CONTROL, "no-cache");
        if (matches(exchange.request().getHeaders().get(HttpHeader.IF_NONE_MATCH), f.etag())) {
            exchange.response().setStatus(304);
            exchange.response().write(true, null, exchange.callback());
            return;
        }
        exchange.response().setStatus(200);
        h.put(HttpHeader.CONTENT_TYPE, f.type());
        h.put(HttpHeader.CONTENT_LENGTH, f.bytes().length);
        boolean head = exchange.method().equals("HEAD");
        exchange.response()
                .write(true, head ? null : ByteBuffer.wrap(f.bytes()).asReadOnlyBuffer(), exchange.callback());
    }

    /** What every answer of the web view carries, whatever the file. */
    static void securityHeaders(HttpFields.Mutable h) {
        h.put("Content-Security-Policy", CSP);
        h.put("X-Content-Type-Options", "nosniff");
        h.put("X-Frame-Options", "DENY");
        h.put("Referrer-Policy", "no-referrer");
        h.put("Cross-Origin-Opener-Policy", "same-origin");
        h.put("Cross-Origin-Resource-Policy", "same-origin");
    }

    /** {@code If-None-Match}: {@code *}, or a list of tags one of which is ours (weak or strong). */
    static boolean matches(@Nullable String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",", -1)) {
            String t = tag.trim();
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals("*") || t.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    static String contentType(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1);
        return switch (ext) {
            case "html" -> "text/html; charset=utf-8";
            case "js" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            default -> throw new IllegalArgumentException("no content type for " + name);
        };
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(d, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static byte[] read(String resource) {
        try (InputStream in = WebFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the web view's file " + resource + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the web view's file " + resource, e);
        }
    }
}
