package io.nexusmonitor.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A small, real LLM server for tests: a Jetty server on 127.0.0.1 (port 0) that speaks the Ollama
 * and OpenAI endpoints the way each flavour does, and can be told to misbehave.
 *
 * <pre>{@code
 * try (FakeBackend ollama = FakeBackend.ollama().models("llama3:8b", "qwen2:7b").loaded("llama3:8b")) {
 *     String url = ollama.url();                 // http://127.0.0.1:PORT
 *     ollama.delay(Duration.ofMillis(200));      // every answer 200 ms late
 *     ollama.hang();                             // accept requests, never answer
 *     ollama.fail(500);                          // every request: HTTP 500 with an OpenAI error body
 *     ollama.on("GET", "/api/tags", Reply.json(200, "[not json"));   // one path, any answer
 *     ollama.reset();                            // normal again (models kept)
 * }
 * }</pre>
 *
 * <p>Endpoints by flavour: Ollama {@code GET /api/tags}, {@code GET /api/ps}, {@code GET /api/version};
 * llama.cpp {@code GET /health} (503 "Loading model" after {@link #loading(boolean) loading(true)});
 * every flavour {@code GET /v1/models} (vLLM adds {@code max_model_len}, llama.cpp {@code meta.n_ctx_train}
 * and a {@code models} array with capabilities), {@code POST /v1/chat/completions} and
 * {@code POST /v1/completions} (with {@code "stream": true}: Server-Sent Events, one chunk per
 * word of {@link #reply(String) the reply}, {@link #streamDelay(Duration) spaced} as asked), and
 * {@code POST /v1/embeddings}. Unknown paths answer 404 with an OpenAI error body. Every request is
 * {@link #requests() recorded}.
 */
public final class FakeBackend implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Flavor {
        OLLAMA,
        OPENAI,
        VLLM,
        LLAMACPP,
        EXO,
        LMSTUDIO
    }

    /** A served model; {@code loaded} is what Ollama's {@code /api/ps} reports. */
    public record Model(String id, Integer contextLength, boolean loaded, List<String> capabilities) {
        public Model {
            capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        }

        public static Model of(String id) {
            return new Model(id, null, false, List.of());
        }
    }

    /** One request as the server saw it. */
    public record Recorded(String method, String path, Map<String, String> headers, String body) {
        /** The request body as JSON (empty object when there is none or it is not JSON). */
        public JsonNode json() {
            try {
                return body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body);
            } catch (java.io.IOException e) {
                return JSON.createObjectNode();
            }
        }
    }

    /**
     * An answer: status, headers and a body written in one or more chunks, {@code chunkDelay} apart.
     * One chunk is sent with a Content-Length; several are sent chunked, as they are written.
     */
    public record Reply(int status, Map<String, String> headers, List<byte[]> chunks, Duration chunkDelay) {
        public Reply {
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
            chunks = List.copyOf(chunks);
            chunkDelay = chunkDelay == null ? Duration.ZERO : chunkDelay;
        }

        public static Reply of(int status, String contentType, String body) {
            return new Reply(
                    status,
                    Map.of("Content-Type", contentType),
                    List.of(body.getBytes(StandardCharsets.UTF_8)),
                    Duration.ZERO);
        }

        public static Reply json(int status, String body) {
            return of(status, "application/json", body);
        }

        /** An OpenAI-shaped error. */
        public static Reply error(int status, String message) {
            ObjectNode e = JSON.createObjectNode();
            e.putObject("error")
                    .put("message", message)
                    .put("type", "server_error")
                    .put("code", status);
            return json(status, e.toString());
        }

        public static Reply redirect(int status, String location) {
            return new Reply(status, Map.of("Location", location), List.of(new byte[0]), Duration.ZERO);
        }

        /** {@code megabytes} of JSON-ish filler sent in 64 KB chunks with no Content-Length. */
        public static Reply huge(int megabytes) {
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) ' ');
            List<byte[]> chunks = new ArrayList<>();
            for (int i = 0; i < megabytes * 16; i++) {
                chunks.add(chunk);
            }
            return new Reply(200, Map.of("Content-Type", "application/json"), chunks, Duration.ZERO);
        }

        /** Same body, announced up front with its Content-Length. */
        public static Reply hugeWithLength(int megabytes) {
            byte[] body = new byte[megabytes * 1024 * 1024];
            Arrays.fill(body, (byte) ' ');
            return new Reply(200, Map.of("Content-Type", "application/json"), List.of(body), Duration.ZERO);
        }
    }

    /** Answers one request; may return null to fall through to the flavour's default. */
    @FunctionalInterface
    public interface Responder {
        Reply answer(Recorded request);
    }

    private final Flavor flavor;
    private final Server server;
    private final ServerConnector connector;
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Responder> overrides = new ConcurrentHashMap<>();
    /** Answers owed to hung requests: each sends a 503 when run. */
    private final Set<Runnable> hanging = ConcurrentHashMap.newKeySet();

    private volatile List<Model> models = List.of();
    private volatile Duration delay = Duration.ZERO;
    private volatile Duration streamDelay = Duration.ZERO;
    private volatile boolean hang;
    private volatile Integer failStatus;
    private volatile boolean loading;
    private volatile String reply = "Hello from the fake backend";
    /** Non-null: every request without {@code Authorization: Bearer <this>} is answered 401. */
    private volatile String requiredKey;
    /** llama.cpp: what {@code /props} says as {@code total_slots} and how many of {@code /slots} are busy. */
    private volatile int totalSlots = 1;

    private volatile int busySlots;

    private final boolean tls;

    private FakeBackend(Flavor flavor, SslContextFactory.Server ssl) {
        this.flavor = flavor;
        this.tls = ssl != null;
        QueuedThreadPool pool = new QueuedThreadPool(16, 2);
        pool.setName("fake-" + flavor.name().toLowerCase(java.util.Locale.ROOT));
        pool.setDaemon(true);
        this.server = new Server(pool);
        this.connector = ssl == null ? new ServerConnector(server, 1, 1) : new ServerConnector(server, 1, 1, ssl);
        LoopbackHttp.serve(server, connector, this::serve);
    }

    /** Starts a fake server of this flavour on 127.0.0.1 with a free port. */
    public static FakeBackend start(Flavor flavor) {
        return start(new FakeBackend(flavor, null));
    }

    /** Starts one that speaks HTTPS with the certificate in this PKCS#12 key store. */
    public static FakeBackend https(Flavor flavor, java.nio.file.Path keyStore, String password) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(keyStore.toString());
        ssl.setKeyStorePassword(password);
        ssl.setKeyStoreType("PKCS12");
        return start(new FakeBackend(flavor, ssl));
    }

    private static FakeBackend start(FakeBackend b) {
        try {
            b.server.start();
        } catch (Exception e) {
            throw new IllegalStateException("fake backend did not start", e);
        }
        return b;
    }

    public static FakeBackend ollama() {
        return start(Flavor.OLLAMA);
    }

    public static FakeBackend openai() {
        return start(Flavor.OPENAI);
    }

    public static FakeBackend vllm() {
        return start(Flavor.VLLM);
    }

    public static FakeBackend llamacpp() {
        return start(Flavor.LLAMACPP);
    }

    public Flavor flavor() {
        return flavor;
    }

    /** {@code http://127.0.0.1:PORT} ({@code https://} for {@link #https}), no trailing slash. */
    public String url() {
        return (tls ? "https" : "http") + "://127.0.0.1:" + port();
    }

    public int port() {
        return connector.getLocalPort();
    }

    // --- behaviour --------------------------------------------------------------------------------

    public FakeBackend models(String... ids) {
        List<Model> list = new ArrayList<>();
        for (String id : ids) {
            list.add(Model.of(id));
        }
        this.models = List.copyOf(list);
        return this;
    }

    public FakeBackend models(List<Model> list) {
        this.models = List.copyOf(list);
        return this;
    }

    public List<Model> models() {
        return models;
    }

    /** Marks these models as loaded in memory (Ollama {@code /api/ps}); the others as not. */
    public FakeBackend loaded(String... ids) {
        List<String> in = List.of(ids);
        List<Model> list = new ArrayList<>();
        for (Model m : models) {
            list.add(new Model(m.id(), m.contextLength(), in.contains(m.id()), m.capabilities()));
        }
        this.models = List.copyOf(list);
        return this;
    }

    /** Every answer is sent this late (scheduled, no thread blocks). */
    public FakeBackend delay(Duration d) {
        this.delay = d;
        return this;
    }

    /** Spacing of streamed (SSE) chunks. */
    public FakeBackend streamDelay(Duration d) {
        this.streamDelay = d;
        return this;
    }

    /** Accept every request and never answer, until {@link #reset()} or {@link #close()}. */
    public FakeBackend hang() {
        this.hang = true;
        return this;
    }

    /** Every request gets this status with an OpenAI error body. */
    public FakeBackend fail(int status) {
        this.failStatus = status;
        return this;
    }

    /** llama.cpp: {@code /health} and the API answer 503 "Loading model" while true. */
    /** Requires this key ({@code Authorization: Bearer <key>}) on every request; others get 401. Null: none. */
    public FakeBackend requireKey(String key) {
        this.requiredKey = key;
        return this;
    }

    /** llama.cpp: {@code /props} reports {@code total} slots, {@code /slots} shows {@code busy} of them processing. */
    public FakeBackend slots(int total, int busy) {
        this.totalSlots = total;
        this.busySlots = busy;
        return this;
    }

    public FakeBackend loading(boolean on) {
        this.loading = on;
        return this;
    }

    /** The assistant's text in chat and completion answers. */
    public FakeBackend reply(String text) {
        this.reply = text;
        return this;
    }

    /** Answers {@code method path} (exact path) with this responder instead of the default. */
    public FakeBackend on(String method, String path, Responder responder) {
        overrides.put(method.toUpperCase(java.util.Locale.ROOT) + " " + path, responder);
        return this;
    }

    /** Answers {@code method path} with this fixed reply. */
    public FakeBackend on(String method, String path, Reply fixed) {
        return on(method, path, r -> fixed);
    }

    /** Back to normal: no delay, hang, failure, loading or overrides; models stay. Hung requests get a 503. */
    public FakeBackend reset() {
        hang = false;
        failStatus = null;
        loading = false;
        delay = Duration.ZERO;
        streamDelay = Duration.ZERO;
        overrides.clear();
        releaseHung();
        return this;
    }

    // --- inspection -------------------------------------------------------------------------------

    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    /** How many requests reached this path (any method). */
    public int hits(String path) {
        int n = 0;
        for (Recorded r : requests) {
            if (r.path().equals(path)) {
                n++;
            }
        }
        return n;
    }

    /** Requests accepted and not answered (while hanging). */
    public int hungRequests() {
        return hanging.size();
    }

    @Override
    public void close() {
        releaseHung();
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("fake backend did not stop", e);
        }
    }

    // --- serving ----------------------------------------------------------------------------------

    private void releaseHung() {
        for (Runnable r : List.copyOf(hanging)) {
            if (hanging.remove(r)) {
                r.run();
            }
        }
    }

    /** A body that could not be read is recorded as empty and answered all the same. */
    private void serve(Request request, String body, Throwable failure, Response response, Callback callback) {
        Map<String, String> headers = new LinkedHashMap<>();
        request.getHeaders().forEach(f -> headers.put(f.getName().toLowerCase(java.util.Locale.ROOT), f.getValue()));
        Recorded rec =
                new Recorded(request.getMethod(), Request.getPathInContext(request), headers, body == null ? "" : body);
        requests.add(rec);
        if (hang) {
            hanging.add(() -> send(response, callback, Reply.error(503, "fake backend stopped hanging")));
            return;
        }
        Reply r = decide(rec);
        Duration d = delay;
        if (d.isZero()) {
            send(response, callback, r);
        } else {
            server.getScheduler().schedule(() -> send(response, callback, r), d.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private Reply decide(Recorded rec) {
        Responder o = overrides.get(rec.method() + " " + rec.path());
        if (o != null) {
            Reply r = o.answer(rec);
            if (r != null) {
                return r;
            }
        }
        String key = requiredKey;
        if (key != null && !("Bearer " + key).equals(rec.headers().get("authorization"))) {
            return Reply.error(401, "invalid or missing API key");
        }
        if (failStatus != null) {
            return Reply.error(failStatus, "fake backend told to fail with " + failStatus);
        }
        if (loading && flavor == Flavor.LLAMACPP) {
            return Reply.json(
                    503, "{\"error\":{\"code\":503,\"message\":\"Loading model\",\"type\":\"unavailable_error\"}}");
        }
        switch (rec.method() + " " + rec.path()) {
            case "GET /api/tags":
                return flavor == Flavor.OLLAMA ? Reply.json(200, ollamaTags(false)) : notFound(rec);
            case "GET /api/ps":
                return flavor == Flavor.OLLAMA ? Reply.json(200, ollamaTags(true)) : notFound(rec);
            case "GET /api/version":
                return flavor == Flavor.OLLAMA ? Reply.json(200, "{\"version\":\"0.5.1\"}") : notFound(rec);
            case "GET /health":
                return flavor == Flavor.LLAMACPP ? Reply.json(200, "{\"status\":\"ok\"}") : notFound(rec);
            case "GET /v1/models":
                return Reply.json(200, openAiModels());
            case "GET /props":
                return flavor == Flavor.LLAMACPP
                        ? Reply.json(
                                200,
                                "{\"total_slots\":" + totalSlots
                                        + ",\"model_path\":\"/models/m.gguf\",\"default_generation_settings\":{\"n_ctx\":4096}}")
                        : notFound(rec);
            case "GET /slots":
                return flavor == Flavor.LLAMACPP ? Reply.json(200, llamaCppSlots()) : notFound(rec);
            case "GET /api/v0/models":
                return flavor == Flavor.LMSTUDIO ? Reply.json(200, lmStudioModels()) : notFound(rec);
            case "POST /v1/chat/completions":
                return completion(rec, true);
            case "POST /v1/completions":
                return completion(rec, false);
            case "POST /v1/embeddings":
                return embeddings(rec);
            default:
                return notFound(rec);
        }
    }

    private static Reply notFound(Recorded rec) {
        return Reply.error(404, "no route " + rec.method() + " " + rec.path());
    }

    private String ollamaTags(boolean onlyLoaded) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("models");
        for (Model m : models) {
            if (onlyLoaded && !m.loaded()) {
                continue;
            }
            ObjectNode n = list.addObject()
                    .put("name", m.id())
                    .put("model", m.id())
                    .put("modified_at", "2026-11-24T18:00:00Z")
                    .put("size", 4_661_224_676L)
                    .put("digest", "sha256:fake");
            n.putObject("details")
                    .put("format", "gguf")
                    .put("family", "llama")
                    .put("parameter_size", "8.0B")
                    .put("quantization_level", "Q4_0");
            if (onlyLoaded && m.contextLength() != null) {
                n.put("context_length", m.contextLength());
            }
            if (!onlyLoaded && !m.capabilities().isEmpty()) {
                ArrayNode caps = n.putArray("capabilities");
                m.capabilities().forEach(caps::add);
            }
        }
        return root.toString();
    }

    private String llamaCppSlots() {
        ArrayNode list = JSON.createArrayNode();
        for (int i = 0; i < totalSlots; i++) {
            list.addObject().put("id", i).put("n_ctx", 4096).put("is_processing", i < busySlots);
        }
        return list.toString();
    }

    /** LM Studio's own list: every model with {@code state} loaded / not-loaded. */
    private String lmStudioModels() {
        ObjectNode root = JSON.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        for (Model m : models) {
            data.addObject()
                    .put("id", m.id())
                    .put("object", "model")
                    .put("type", "llm")
                    .put("state", m.loaded() ? "loaded" : "not-loaded")
                    .put("max_context_length", 8192);
        }
        return root.toString();
    }

    private String openAiModels() {
        ObjectNode root = JSON.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        for (Model m : models) {
            ObjectNode n = data.addObject()
                    .put("id", m.id())
                    .put("object", "model")
                    .put("created", 1_700_000_000L)
                    .put("owned_by", flavor.name().toLowerCase(java.util.Locale.ROOT));
            if (m.contextLength() != null) {
                if (flavor == Flavor.VLLM) {
                    n.put("max_model_len", m.contextLength());
                } else if (flavor == Flavor.LLAMACPP) {
                    n.putObject("meta").put("n_ctx_train", m.contextLength()).put("n_vocab", 128256);
                } else if (flavor == Flavor.LMSTUDIO) {
                    n.put("max_context_length", m.contextLength());
                } else {
                    n.put("context_length", m.contextLength());
                }
            }
        }
        if (flavor == Flavor.LLAMACPP) {
            ArrayNode list = root.putArray("models");
            for (Model m : models) {
                ObjectNode n = list.addObject().put("name", m.id()).put("model", m.id());
                ArrayNode caps = n.putArray("capabilities");
                (m.capabilities().isEmpty() ? List.of("completion") : m.capabilities()).forEach(caps::add);
            }
        }
        return root.toString();
    }

    private Reply completion(Recorded rec, boolean chat) {
        JsonNode req = rec.json();
        String model = req.path("model").asText("");
        if (!models.isEmpty() && models.stream().noneMatch(m -> m.id().equals(model))) {
            return Reply.error(404, "model '" + model + "' not found");
        }
        if (req.path("stream").asBoolean(false)) {
            List<byte[]> chunks = new ArrayList<>();
            String[] words = reply.split(" ");
            for (int i = 0; i < words.length; i++) {
                String piece = (i == 0 ? "" : " ") + words[i];
                ObjectNode c = JSON.createObjectNode()
                        .put("id", "fake-1")
                        .put("object", chat ? "chat.completion.chunk" : "text_completion")
                        .put("model", model);
                ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
                if (chat) {
                    choice.putObject("delta").put("content", piece);
                } else {
                    choice.put("text", piece);
                }
                choice.putNull("finish_reason");
                chunks.add(("data: " + c + "\n\n").getBytes(StandardCharsets.UTF_8));
            }
            chunks.add("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            return new Reply(
                    200, Map.of("Content-Type", "text/event-stream", "Cache-Control", "no-cache"), chunks, streamDelay);
        }
        ObjectNode out = JSON.createObjectNode()
                .put("id", "fake-1")
                .put("object", chat ? "chat.completion" : "text_completion")
                .put("created", 1_700_000_000L)
                .put("model", model);
        ObjectNode choice = out.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
        if (chat) {
            choice.putObject("message").put("role", "assistant").put("content", reply);
        } else {
            choice.put("text", reply);
        }
        out.putObject("usage")
                .put("prompt_tokens", 3)
                .put("completion_tokens", reply.split(" ").length)
                .put("total_tokens", 3 + reply.split(" ").length);
        return Reply.json(200, out.toString());
    }

    private Reply embeddings(Recorded rec) {
        String model = rec.json().path("model").asText("");
        ObjectNode out = JSON.createObjectNode().put("object", "list").put("model", model);
        ObjectNode item =
                out.putArray("data").addObject().put("object", "embedding").put("index", 0);
        item.putArray("embedding").add(0.1).add(0.2).add(0.3);
        out.putObject("usage").put("prompt_tokens", 1).put("total_tokens", 1);
        return Reply.json(200, out.toString());
    }

    private void send(Response response, Callback callback, Reply r) {
        response.setStatus(r.status());
        r.headers().forEach((k, v) -> response.getHeaders().put(k, v));
        if (r.chunks().size() == 1) {
            byte[] body = r.chunks().get(0);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, ByteBuffer.wrap(body), callback);
            return;
        }
        writeChunk(response, callback, r, 0);
    }

    private void writeChunk(Response response, Callback callback, Reply r, int i) {
        if (i >= r.chunks().size()) {
            response.write(true, ByteBuffer.allocate(0), callback);
            return;
        }
        Callback next = Callback.from(
                () -> {
                    if (r.chunkDelay().isZero()) {
                        writeChunk(response, callback, r, i + 1);
                    } else {
                        server.getScheduler()
                                .schedule(
                                        () -> writeChunk(response, callback, r, i + 1),
                                        r.chunkDelay().toNanos(),
                                        TimeUnit.NANOSECONDS);
                    }
                },
                callback::failed);
        response.write(false, ByteBuffer.wrap(r.chunks().get(i)), next);
    }

    /** For tests that need the address: always loopback. */
    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port());
    }
}
