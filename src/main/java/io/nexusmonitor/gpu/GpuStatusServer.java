package io.nexusmonitor.gpu;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code announce --status-port}: a read-only endpoint, {@code GET /status}, with this host's GPUs
 * as last read ({@code {"gpus":[…],"read_at":"…"}}). Nothing else is served: every other path is
 * 404, every other method 405, and a request never runs a GPU tool (the announcer reads on its own
 * schedule), so polling cannot load the host.
 */
public final class GpuStatusServer implements AutoCloseable {
    public static final String PATH = "/status";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the last read found, and when. */
    public record Snapshot(List<GpuReading> gpus, Instant readAt) {
        public Snapshot {
            gpus = List.copyOf(gpus);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;

    private GpuStatusServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Listens on {@code bind} (port 0: any free port), serving what {@code current} returns. */
    public static GpuStatusServer start(InetSocketAddress bind, Supplier<Snapshot> current) throws IOException {
        HttpServer s = HttpServer.create(bind, 16);
        s.createContext("/", ex -> answer(ex, current));
        ExecutorService e = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "announce-status");
            t.setDaemon(true);
            return t;
        });
        s.setExecutor(e);
        s.start();
        return new GpuStatusServer(s, e);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange ex, Supplier<Snapshot> current) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!ex.getRequestURI().getPath().equals(PATH)) {
                send(ex, 404, "{\"error\":\"not found: the only path is " + PATH + "\"}");
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                send(ex, 405, "{\"error\":\"read-only: use GET\"}");
            } else {
                Snapshot snap = current.get();
                ObjectNode o = JSON.createObjectNode();
                o.set("gpus", GpuJson.readings(snap.gpus()));
                o.put("read_at", snap.readAt().truncatedTo(ChronoUnit.MILLIS).toString());
                send(ex, 200, JSON.writeValueAsString(o));
            }
        }
    }

    private static void send(HttpExchange ex, int code, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(code, head ? -1 : b.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
