package io.nexusmonitor.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Fake Ollama backends for the footprint and soak benches, in their own JVM so the product's
 * memory is measured alone: N backends on 127.0.0.1, one port each, answering {@code /api/tags},
 * {@code /api/ps} and {@code POST /v1/chat/completions} at once. Writes a config with one
 * {@code [[backends]]} table per backend. With a flap share, that share of the backends (a
 * different set each time) stops listening every minute and comes back 20 s later: a restart.
 *
 * <p>Run: {@code BackendFarm CONFIG_OUT BACKENDS [FLAP_PERCENT_PER_MINUTE] [INTERVAL_S]}; runs
 * until killed. Loopback only.
 */
public final class BackendFarm {
    private static final byte[] TAGS =
            ("{\"models\":[{\"name\":\"llama3:8b\",\"model\":\"llama3:8b\",\"size\":4661224676},"
                            + "{\"name\":\"qwen2:7b\",\"model\":\"qwen2:7b\",\"size\":4431390227}]}")
                    .getBytes(StandardCharsets.UTF_8);
    private static final byte[] PS =
            "{\"models\":[{\"name\":\"llama3:8b\",\"model\":\"llama3:8b\",\"context_length\":8192}]}"
                    .getBytes(StandardCharsets.UTF_8);
    private static final byte[] CHAT =
            ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"llama3:8b\","
                            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}],"
                            + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}")
                    .getBytes(StandardCharsets.UTF_8);

    private BackendFarm() {}

    public static void main(String[] args) throws Exception {
        Path config = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        int flapPercent = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        int interval = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        QueuedThreadPool pool = new QueuedThreadPool(n + 40, 4); // a selector per port
        pool.setName("farm");
        Server server = new Server(pool);
        List<ServerConnector> connectors = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ServerConnector c = new ServerConnector(server, 0, 1);
            c.setHost("127.0.0.1");
            c.setPort(0);
            // nginx's default keepalive_timeout (the setup: 100 backends behind nginx); Jetty's
            // default 30 s would close every kept connection just as the next check at 30 s goes out
            c.setIdleTimeout(75_000);
            server.addConnector(c);
            connectors.add(c);
        }
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String path = Request.getPathInContext(request);
                byte[] body = path.equals("/api/tags")
                        ? TAGS
                        : path.equals("/api/ps") ? PS : path.startsWith("/v1/chat/completions") ? CHAT : null;
                if (body == null) {
                    response.setStatus(404);
                    callback.succeeded();
                    return true;
                }
                // drain a request body (the chat request) before answering
                org.eclipse.jetty.io.Content.Source.consumeAll(
                        request,
                        Callback.from(
                                () -> {
                                    response.setStatus(200);
                                    response.getHeaders().put("Content-Type", "application/json");
                                    response.write(true, ByteBuffer.wrap(body), callback);
                                },
                                callback::failed));
                return true;
            }
        });
        server.start();
        for (ServerConnector c : connectors) {
            c.setPort(c.getLocalPort()); // a restarted backend comes back on its own port
        }
        StringBuilder toml = new StringBuilder("[health_check]\ninterval_seconds = " + interval + "\n\n");
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int port = connectors.get(i).getLocalPort();
            ports.add(port);
            toml.append(String.format(
                    Locale.ROOT,
                    "[[backends]]\nname = \"farm-%03d\"\nurl = \"http://127.0.0.1:%d\"\ntype = \"ollama\"\n\n",
                    i,
                    port));
        }
        writeAtomically(config, toml.toString());
        System.out.printf(
                Locale.ROOT,
                "farm: %d backends on 127.0.0.1 ports %d..%d, %d%% restarting per minute%n",
                n,
                ports.get(0),
                ports.get(n - 1),
                flapPercent);
        int flapping = n * flapPercent / 100;
        if (flapping == 0) {
            server.join(); // steady backends until the process is stopped
            return;
        }
        for (int minute = 0; ; minute++) { // flapping until the process is stopped
            waitSeconds(40);
            List<ServerConnector> down = new ArrayList<>();
            for (int k = 0; k < flapping; k++) {
                down.add(connectors.get((minute * flapping + k) % n));
            }
            for (ServerConnector c : down) {
                c.stop(); // refuses connections: the check fails, the backend goes unhealthy after 3 failures
            }
            waitSeconds(20);
            for (ServerConnector c : down) {
                c.start();
            }
        }
    }

    private static void writeAtomically(Path to, String text) throws IOException {
        Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(
                tmp,
                to,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void waitSeconds(int s) throws InterruptedException {
        new CountDownLatch(1).await(s, TimeUnit.SECONDS); // a timed wait: nothing counts it down
    }
}
