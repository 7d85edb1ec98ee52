package io.nexusmonitor.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A simulated GPU box that behaves the way an Ollama-like server does under load, for routing
 * tests and benchmarks: a fixed number of parallel slots, a token rate per stream, a prompt
 * (prefill) time, model load time, and a limited number of resident models with eviction.
 *
 * <p>Scheduling is Ollama's: requests wait in one FIFO queue inside the box. The head request
 * starts when its model is resident and a slot is free. If its model is not resident, the box
 * waits until no running request uses the model to be evicted (least recently used first), then
 * loads the new one, and nothing else starts while it loads: a swap blocks the whole box, and the
 * requests behind the head wait too (head-of-line blocking). A full queue answers 503, as Ollama
 * does past {@code OLLAMA_MAX_QUEUE}. A client that goes away frees its slot at once.
 *
 * <p>Endpoints: Ollama {@code GET /api/tags}, {@code /api/ps} (resident models), {@code /api/version};
 * llama.cpp {@code GET /health}, {@code /props} ({@code total_slots}), {@code /slots}; every
 * server {@code GET /v1/models}; {@code POST /v1/chat/completions} and {@code /v1/completions},
 * streaming (one SSE chunk per token, {@code usage} in the last chunk when asked by
 * {@code stream_options.include_usage}) or not. The first content chunk is written when the
 * first token is ready (after queue wait, load and prefill), so time to the first body byte is the
 * time to first token.
 *
 * <pre>{@code
 * try (SimulatedLlmBox big = SimulatedLlmBox.builder("big").models("llama3:8b", "qwen2:7b")
 *         .resident("llama3:8b").slots(4).tokensPerSecond(60).loadTime(Duration.ofSeconds(3)).start()) {
 *     big.url();      // http://127.0.0.1:PORT
 *     big.loads();    // model loads so far (swaps)
 * }
 * }</pre>
 */
public final class SimulatedLlmBox implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How a box behaves; every figure is per box. */
    public static final class Builder {
        private final String name;
        private List<String> models = List.of("llama3:8b");
        private List<String> resident = List.of();
        private int slots = 1;
        private double tokensPerSecond = 50;
        private Duration prefill = Duration.ofMillis(100);
        private Duration loadTime = Duration.ofSeconds(3);
        private int maxResident = 1;
        private int maxQueue = 512;
        private int replyTokens = 48;
        private int port;
        private String host = "127.0.0.1";

        private Builder(String name) {
            this.name = Objects.requireNonNull(name);
        }

        /** The models on the box's disk (listed by {@code /api/tags} and {@code /v1/models}). */
        public Builder models(String... ids) {
            models = List.of(ids);
            return this;
        }

        /** The models in memory at start (at most {@link #maxResident(int)}). */
        public Builder resident(String... ids) {
            resident = List.of(ids);
            return this;
        }

        public Builder slots(int n) {
            slots = n;
            return this;
        }

        public Builder tokensPerSecond(double tps) {
            tokensPerSecond = tps;
            return this;
        }

        public Builder prefill(Duration d) {
            prefill = d;
            return this;
        }

        public Builder loadTime(Duration d) {
            loadTime = d;
            return this;
        }

        public Builder maxResident(int n) {
            maxResident = n;
            return this;
        }

        public Builder maxQueue(int n) {
            maxQueue = n;
            return this;
        }

        /** Tokens in a reply when the request names no {@code max_tokens}. */
        public Builder replyTokens(int n) {
            replyTokens = n;
            return this;
        }

        /** Listen on this port of 127.0.0.1 (0, the default: any free one), e.g. to come back where a stopped box was. */
        public Builder port(int p) {
            port = p;
            return this;
        }

        /**
         * Listen on this address instead of 127.0.0.1: only for a box inside a testbed namespace
         * ({@code ../shared/testbed/lan.sh}), where every address is private to the testbed.
         */
        public Builder host(String address) {
            host = Objects.requireNonNull(address);
            return this;
        }

        public SimulatedLlmBox start() {
            return new SimulatedLlmBox(this);
        }
    }

    /** One request inside the box. */
    private static final class Job {
        final String model;
        final int tokens;
        final boolean stream;
        final boolean includeUsage;
        final boolean chat;
        final Response response;
        final Callback callback;
        final String id = "sim-" + SEQ.incrementAndGet();
        boolean done;

        Job(
                String model,
                int tokens,
                boolean stream,
                boolean includeUsage,
                boolean chat,
                Response response,
                Callback callback) {
            this.model = model;
            this.tokens = tokens;
            this.stream = stream;
            this.includeUsage = includeUsage;
            this.chat = chat;
            this.response = response;
            this.callback = callback;
        }
    }

    private static final AtomicLong SEQ = new AtomicLong();

    private final Builder spec;
    private final Server server;
    private final ServerConnector connector;
    private final ScheduledExecutorService clock;
    private final Object lock = new Object();
    // guarded by lock
    private final Deque<Job> queue = new ArrayDeque<>();
    private final LinkedHashSet<String> residentLru = new LinkedHashSet<>();
    private final Map<String, Integer> runningByModel = new HashMap<>();
    private int running;
    private String loadingModel;
    private long loads;
    private long served;
    private long rejected;
    private long cancelled;
    private int maxRunningSeen;

    private SimulatedLlmBox(Builder spec) {
        this.spec = spec;
        residentLru.addAll(spec.resident);
        QueuedThreadPool pool = new QueuedThreadPool(64, 4);
        pool.setName("sim-" + spec.name);
        pool.setDaemon(true);
        server = new Server(pool);
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory());
        connector.setIdleTimeout(600_000);
        connector.setAcceptQueueSize(4096);
        clock = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sim-" + spec.name + "-clock");
            t.setDaemon(true);
            return t;
        });
        LoopbackHttp.serve(server, connector, this::handle);
        connector.setPort(spec.port);
        connector.setHost(spec.host);
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start simulated box " + spec.name, e);
        }
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return spec.name;
    }

    /** {@code http://127.0.0.1:PORT} (the {@link Builder#host} address instead, when one was given). */
    public String url() {
        String host = "0.0.0.0".equals(spec.host) ? "127.0.0.1" : spec.host;
        return "http://" + host + ":" + connector.getLocalPort();
    }

    public int slots() {
        return spec.slots;
    }

    /** Model loads since start (each one a swap when the box was full). */
    public long loads() {
        synchronized (lock) {
            return loads;
        }
    }

    /** Requests answered in full. */
    public long served() {
        synchronized (lock) {
            return served;
        }
    }

    /** Requests refused with 503 because the box's queue was full. */
    public long rejected() {
        synchronized (lock) {
            return rejected;
        }
    }

    /** Requests whose client went away before the answer was complete. */
    public long cancelled() {
        synchronized (lock) {
            return cancelled;
        }
    }

    /** The most requests that ran at once. */
    public int maxRunningSeen() {
        synchronized (lock) {
            return maxRunningSeen;
        }
    }

    public int running() {
        synchronized (lock) {
            return running;
        }
    }

    public int queued() {
        synchronized (lock) {
            return queue.size();
        }
    }

    /** The models in memory now, least recently used first. */
    public List<String> resident() {
        synchronized (lock) {
            return List.copyOf(residentLru);
        }
    }

    private void handle(Request request, String body, Throwable failure, Response response, Callback callback) {
        if (failure != null) {
            callback.failed(failure);
            return;
        }
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        if (method.equals("GET")) {
            get(path, response, callback);
        } else if (method.equals("POST") && (path.equals("/v1/chat/completions") || path.equals("/v1/completions"))) {
            generate(path.equals("/v1/chat/completions"), body, response, callback);
        } else {
            json(response, callback, 404, error("no such endpoint: " + method + " " + path, "not_found"));
        }
    }

    private void get(String path, Response response, Callback callback) {
        ObjectNode out = JSON.createObjectNode();
        switch (path) {
            case "/api/tags" -> {
                ArrayNode models = out.putArray("models");
                for (String m : spec.models) {
                    models.addObject().put("name", m).put("model", m).put("size", 4_700_000_000L);
                }
            }
            case "/api/ps" -> {
                ArrayNode models = out.putArray("models");
                for (String m : resident()) {
                    models.addObject()
                            .put("name", m)
                            .put("model", m)
                            .put("size_vram", 5_000_000_000L)
                            .put("context_length", 8192);
                }
            }
            case "/api/version" -> out.put("version", "0.5.7");
            case "/health" -> out.put("status", "ok");
            case "/props" -> out.put("total_slots", spec.slots);
            case "/slots" -> {
                ArrayNode slots = JSON.createArrayNode();
                int busy = running();
                for (int i = 0; i < spec.slots; i++) {
                    slots.addObject().put("id", i).put("is_processing", i < busy);
                }
                json(response, callback, 200, slots);
                return;
            }
            case "/v1/models" -> {
                out.put("object", "list");
                ArrayNode data = out.putArray("data");
                for (String m : spec.models) {
                    data.addObject().put("id", m).put("object", "model").put("owned_by", spec.name);
                }
            }
            default -> {
                json(response, callback, 404, error("no such endpoint: GET " + path, "not_found"));
                return;
            }
        }
        json(response, callback, 200, out);
    }

    private void generate(boolean chat, String body, Response response, Callback callback) {
        JsonNode req;
        try {
            req = JSON.readTree(body);
        } catch (IOException e) {
            json(response, callback, 400, error("body is not JSON", "invalid_request_error"));
            return;
        }
        String model = req.path("model").asText("");
        if (!spec.models.contains(model)) {
            json(response, callback, 404, error("model '" + model + "' not found", "model_not_found"));
            return;
        }
        int tokens = req.path("max_tokens").asInt(spec.replyTokens);
        boolean stream = req.path("stream").asBoolean(false);
        boolean usage = req.path("stream_options").path("include_usage").asBoolean(false);
        Job job = new Job(model, Math.max(1, tokens), stream, usage, chat, response, callback);
        synchronized (lock) {
            if (queue.size() >= spec.maxQueue) {
                rejected++;
                json(response, callback, 503, error("server busy, please try again", "server_busy"));
                return;
            }
            queue.addLast(job);
            dispatch();
        }
    }

    /** Starts what can start now; called under the lock whenever something changed. */
    private void dispatch() {
        while (!queue.isEmpty() && loadingModel == null) {
            Job head = queue.peekFirst();
            if (residentLru.contains(head.model)) {
                if (running >= spec.slots) {
                    return;
                }
                queue.pollFirst();
                residentLru.remove(head.model); // most recently used goes last
                residentLru.add(head.model);
                running++;
                runningByModel.merge(head.model, 1, Integer::sum);
                maxRunningSeen = Math.max(maxRunningSeen, running);
                long firstTokenNanos = spec.prefill.toNanos();
                clock.schedule(() -> emit(head, 0), firstTokenNanos, TimeUnit.NANOSECONDS);
                continue;
            }
            if (residentLru.size() >= spec.maxResident) {
                String victim = residentLru.stream()
                        .filter(m -> runningByModel.getOrDefault(m, 0) == 0)
                        .findFirst()
                        .orElse(null);
                if (victim == null) {
                    return; // wait for a running request to finish before swapping
                }
                residentLru.remove(victim);
            }
            loadingModel = head.model;
            String loading = head.model;
            clock.schedule(() -> loaded(loading), spec.loadTime.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void loaded(String model) {
        synchronized (lock) {
            residentLru.add(model);
            loadingModel = null;
            loads++;
            dispatch();
        }
    }

    /** Writes token {@code i} (0-based) of a job, then schedules the next. */
    private void emit(Job job, int i) {
        if (!job.stream) {
            long rest = (long) ((job.tokens - 1) * 1e9 / spec.tokensPerSecond);
            clock.schedule(() -> finishPlain(job), rest, TimeUnit.NANOSECONDS);
            return;
        }
        if (i == 0) {
            job.response.setStatus(200);
            job.response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
            job.response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        }
        boolean last = i == job.tokens - 1;
        StringBuilder sse = new StringBuilder(256);
        sse.append("data: ")
                .append(chunk(job, "tok" + i + ' ', last ? "stop" : null))
                .append("\n\n");
        if (last) {
            if (job.includeUsage) {
                sse.append("data: ").append(usageChunk(job)).append("\n\n");
            }
            sse.append("data: [DONE]\n\n");
        }
        long due = System.nanoTime() + (long) (1e9 / spec.tokensPerSecond);
        job.response.write(last, ByteBuffer.wrap(sse.toString().getBytes(StandardCharsets.UTF_8)), new Callback() {
            @Override
            public void succeeded() {
                if (last) {
                    // counted before the exchange completes: a client that has its answer sees it served
                    finished(job, false);
                    job.callback.succeeded();
                } else {
                    clock.schedule(() -> emit(job, i + 1), Math.max(0, due - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
            }

            @Override
            public void failed(Throwable x) {
                job.callback.failed(x);
                finished(job, true);
            }
        });
    }

    private void finishPlain(Job job) {
        ObjectNode out = JSON.createObjectNode();
        out.put("id", job.id)
                .put("object", job.chat ? "chat.completion" : "text_completion")
                .put("model", job.model);
        ObjectNode choice = out.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
        String text = "tok ".repeat(job.tokens).trim();
        if (job.chat) {
            choice.putObject("message").put("role", "assistant").put("content", text);
        } else {
            choice.put("text", text);
        }
        out.putObject("usage")
                .put("prompt_tokens", 12)
                .put("completion_tokens", job.tokens)
                .put("total_tokens", 12 + job.tokens);
        json(
                job.response,
                new Callback() {
                    @Override
                    public void succeeded() {
                        finished(job, false);
                        job.callback.succeeded();
                    }

                    @Override
                    public void failed(Throwable x) {
                        job.callback.failed(x);
                        finished(job, true);
                    }
                },
                200,
                out);
    }

    private void finished(Job job, boolean cancelledByClient) {
        synchronized (lock) {
            if (job.done) {
                return;
            }
            job.done = true;
            running--;
            runningByModel.merge(job.model, -1, Integer::sum);
            if (cancelledByClient) {
                cancelled++;
            } else {
                served++;
            }
            dispatch();
        }
    }

    private String chunk(Job job, String text, String finish) {
        ObjectNode c = JSON.createObjectNode();
        c.put("id", job.id)
                .put("object", job.chat ? "chat.completion.chunk" : "text_completion")
                .put("model", job.model);
        ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
        if (job.chat) {
            choice.putObject("delta").put("content", text);
        } else {
            choice.put("text", text);
        }
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return c.toString();
    }

    private String usageChunk(Job job) {
        ObjectNode c = JSON.createObjectNode();
        c.put("id", job.id).put("object", "chat.completion.chunk").put("model", job.model);
        c.putArray("choices");
        c.putObject("usage")
                .put("prompt_tokens", 12)
                .put("completion_tokens", job.tokens)
                .put("total_tokens", 12 + job.tokens);
        return c.toString();
    }

    private static ObjectNode error(String message, String code) {
        ObjectNode e = JSON.createObjectNode();
        e.putObject("error")
                .put("message", message)
                .put("type", "invalid_request_error")
                .put("code", code);
        return e;
    }

    private static void json(Response response, Callback callback, int status, JsonNode body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body.toString().getBytes(StandardCharsets.UTF_8)), callback);
    }

    /** What the box did, for a bench's report. */
    public String summary() {
        synchronized (lock) {
            List<String> parts = new ArrayList<>();
            parts.add(spec.name + ": served " + served);
            parts.add("loads " + loads);
            parts.add("max running " + maxRunningSeen + "/" + spec.slots);
            if (rejected > 0) {
                parts.add("rejected " + rejected);
            }
            if (cancelled > 0) {
                parts.add("cancelled " + cancelled);
            }
            return String.join(", ", parts);
        }
    }

    @Override
    public void close() {
        clock.shutdownNow();
        try {
            server.stop();
        } catch (Exception e) {
            // closing a test server: nothing to recover
        }
    }
}
