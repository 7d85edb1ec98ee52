package io.nexusmonitor.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;

/**
 * etcd's v3 API through its HTTP+JSON gateway ({@code POST /v3/kv/range}, {@code /v3/kv/txn},
 * {@code /v3/lease/...}, {@code /v3/watch}; keys and values base64), over one Jetty client: no
 * gRPC stack (jetcd's 40 jars, 17.7 MB) for a handful of calls. Calls block the calling thread up
 * to the timeout (the federation's own thread, never the registry's or the scheduler's); a failed
 * connection moves on to the next endpoint. With a user, a token from {@code /v3/auth/authenticate}
 * goes in the {@code Authorization} header and is renewed when etcd says it is no longer valid.
 */
final class EtcdGateway implements AutoCloseable {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<String> endpoints;
    private final HttpClient client;
    private final Duration timeout;
    private final @Nullable String user;
    private final @Nullable String password;
    private volatile int current;
    private volatile @Nullable String token;

    /** An answer from etcd that is an error, or no answer at all. */
    static final class EtcdException extends IOException {
        private static final long serialVersionUID = 1L;
        /** True when no endpoint could be reached (as opposed to an error etcd answered). */
        final boolean unreachable;

        EtcdException(String message, boolean unreachable) {
            super(message);
            this.unreachable = unreachable;
        }
    }

    EtcdGateway(
            List<String> endpoints,
            SslContextFactory.@Nullable Client tls,
            @Nullable String user,
            @Nullable String password,
            Duration timeout) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no etcd endpoint");
        }
        this.endpoints = List.copyOf(endpoints);
        this.timeout = Objects.requireNonNull(timeout);
        this.user = user;
        this.password = password;
        ClientConnector connector = new ClientConnector();
        if (tls != null) {
            connector.setSslContextFactory(tls);
        }
        QueuedThreadPool pool = new QueuedThreadPool(6, 1);
        pool.setName("nexus-etcd");
        pool.setDaemon(true);
        connector.setExecutor(pool);
        this.client = new HttpClient(new HttpClientTransportOverHTTP(connector));
        client.setExecutor(pool);
        client.setFollowRedirects(false);
        client.setConnectTimeout(timeout.toMillis());
        client.setIdleTimeout(0); // the watch stream stays open as long as etcd does
        client.setUserAgentField(null);
    }

    void start() throws Exception {
        client.start();
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            // stopping: nothing left to do with it
        }
    }

    /** The endpoint the last call went to. */
    String endpoint() {
        return endpoints.get(current);
    }

    /** POSTs {@code body} to {@code path} ({@code /v3/kv/range}) and returns the answer; tries each endpoint once. */
    JsonNode call(String path, ObjectNode body) throws EtcdException {
        String text = body.toString();
        EtcdException last = null;
        for (int tried = 0; tried < endpoints.size(); tried++) {
            int at = current;
            try {
                return callOnce(endpoints.get(at), path, text, true);
            } catch (EtcdException e) {
                if (!e.unreachable) {
                    throw e;
                }
                last = e;
                current = (at + 1) % endpoints.size();
            }
        }
        throw Objects.requireNonNull(last);
    }

    private JsonNode callOnce(String endpoint, String path, String body, boolean mayAuthenticate) throws EtcdException {
        if (user != null && token == null) {
            authenticate(endpoint);
        }
        ContentResponse r;
        try {
            r = request(endpoint, path)
                    .body(new StringRequestContent("application/json", body, StandardCharsets.UTF_8))
                    .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .send();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EtcdException("interrupted", true);
        } catch (TimeoutException e) {
            throw new EtcdException(endpoint + " did not answer within " + timeout.toMillis() + " ms", true);
        } catch (ExecutionException e) {
            throw new EtcdException(endpoint + " cannot be reached (" + reason(e.getCause()) + ")", true);
        }
        JsonNode answer = parse(r.getContentAsString());
        if (r.getStatus() == 200) {
            return answer;
        }
        String message = answer.path("message").asText(answer.path("error").asText("HTTP " + r.getStatus()));
        if (user != null && mayAuthenticate && message.contains("auth token")) {
            token = null; // expired or from before an etcd restart: get a new one, once
            return callOnce(endpoint, path, body, false);
        }
        // 503 (no leader yet, "etcdserver: request timed out") is an outage, not a refusal
        throw new EtcdException(endpoint + ": " + message, r.getStatus() == 503);
    }

    private void authenticate(String endpoint) throws EtcdException {
        ObjectNode b = MAPPER.createObjectNode().put("name", user).put("password", password);
        ContentResponse r;
        try {
            r = request(endpoint, "/v3/auth/authenticate")
                    .body(new StringRequestContent("application/json", b.toString(), StandardCharsets.UTF_8))
                    .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .send();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EtcdException("interrupted", true);
        } catch (TimeoutException | ExecutionException e) {
            throw new EtcdException(endpoint + " cannot be reached (" + reason(e) + ")", true);
        }
        JsonNode answer = parse(r.getContentAsString());
        if (r.getStatus() != 200 || !answer.hasNonNull("token")) {
            throw new EtcdException(
                    endpoint + " refused user " + user + ": "
                            + answer.path("message").asText("HTTP " + r.getStatus()),
                    false);
        }
        token = answer.get("token").asText();
    }

    private Request request(String endpoint, String path) {
        Request req = client.POST(endpoint + path);
        String t = token;
        if (t != null) {
            req.headers(h -> h.put(HttpHeader.AUTHORIZATION, t));
        }
        return req;
    }

    /** An open watch stream; {@link #close()} ends it (the callback then gets nothing more). */
    interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Opens {@code /v3/watch} with this create request on the current endpoint and reads its
     * stream on a thread of its own: each message's {@code result} goes to {@code onMessage}; when
     * the stream ends or breaks, {@code onEnd} gets why (once, and not after {@link Watch#close()}).
     */
    Watch watch(ObjectNode createRequest, Consumer<JsonNode> onMessage, Consumer<String> onEnd) {
        String endpoint = endpoint();
        String body =
                MAPPER.createObjectNode().set("create_request", createRequest).toString();
        InputStreamResponseListener listener = new InputStreamResponseListener();
        Request req = request(endpoint, "/v3/watch")
                .body(new StringRequestContent("application/json", body, StandardCharsets.UTF_8));
        Stream stream = new Stream(req);
        req.send(listener);
        Thread reader = new Thread(
                () -> {
                    String why;
                    try {
                        Response r = listener.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                        if (r.getStatus() != 200) {
                            why = endpoint + " refused the watch (HTTP " + r.getStatus() + ")";
                        } else {
                            try (InputStream in = listener.getInputStream();
                                    MappingIterator<JsonNode> it =
                                            MAPPER.readerFor(JsonNode.class).readValues(in)) {
                                while (!stream.closed && it.hasNextValue()) {
                                    JsonNode m = it.nextValue();
                                    if (m.has("error")) {
                                        why = endpoint + ": "
                                                + m.path("error")
                                                        .path("message")
                                                        .asText("watch error");
                                        report(stream, onEnd, why);
                                        return;
                                    }
                                    onMessage.accept(m.path("result"));
                                }
                            }
                            why = endpoint + " closed the watch";
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        why = "interrupted";
                    } catch (TimeoutException e) {
                        why = endpoint + " did not answer the watch within " + timeout.toMillis() + " ms";
                    } catch (ExecutionException | IOException | RuntimeException e) {
                        why = endpoint + " cannot be reached (" + reason(e) + ")";
                    }
                    report(stream, onEnd, why);
                },
                "nexus-etcd-watch");
        reader.setDaemon(true);
        reader.start();
        return stream;
    }

    private static final class Stream implements Watch {
        private final Request req;
        volatile boolean closed;

        Stream(Request req) {
            this.req = req;
        }

        @Override
        public void close() {
            closed = true;
            req.abort(new IOException("watch closed"));
        }
    }

    private static void report(Stream stream, Consumer<String> onEnd, String why) {
        if (!stream.closed) {
            onEnd.accept(why);
        }
    }

    private static JsonNode parse(String text) throws EtcdException {
        try {
            return MAPPER.readTree(text.isEmpty() ? "{}" : text);
        } catch (IOException e) {
            throw new EtcdException("etcd answered something that is not JSON", false);
        }
    }

    /**
     * A short, log-safe reason: the exception's class-free message, or a sentence for the TLS
     * failures a user can fix in {@code [federation]} (JSSE's own words name neither the file nor
     * the fix).
     */
    static String reason(@Nullable Throwable t) {
        for (Throwable x = t; x != null; x = x.getCause() == x ? null : x.getCause()) {
            String m = String.valueOf(x.getMessage());
            if (x instanceof java.security.cert.CertPathBuilderException
                    || x instanceof java.security.cert.CertPathValidatorException) {
                return "its TLS certificate is not trusted: it is not signed by the CA in [federation] ca_file"
                        + " (or, without ca_file, by one Java trusts)";
            }
            if (x instanceof java.security.cert.CertificateException
                    && (m.contains("subject alternative") || m.contains("No name matching"))) {
                return "its TLS certificate is not made out to this address (" + m + ")";
            }
            if (x instanceof javax.net.ssl.SSLException
                    && (m.contains("bad_certificate") || m.contains("certificate_required"))) {
                return "it refused the TLS handshake: it wants a client certificate signed by a CA it trusts"
                        + " ([federation] cert_file and key_file)";
            }
        }
        Throwable c = t;
        while (c != null && c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c == null ? null : c.getMessage();
        return m == null || m.isBlank() ? "connection failed" : m;
    }

    // --- encoding -------------------------------------------------------------------------------

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String unb64(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }

    /** The end of the range of every key starting with {@code prefix} (the prefix with its last byte + 1). */
    static String rangeEnd(String prefix) {
        byte[] b = prefix.getBytes(StandardCharsets.UTF_8);
        for (int i = b.length - 1; i >= 0; i--) {
            if (b[i] != (byte) 0xff) {
                b[i]++;
                return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(b, i + 1));
            }
        }
        return Base64.getEncoder().encodeToString(new byte[] {0});
    }
}
